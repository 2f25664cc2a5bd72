from django.contrib import admin

from jobs.models import BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ("label", "owner", "status", "progress_done", "progress_total", "created_at", "expires_at")
    list_filter = ("status", "kind")
    list_select_related = ("owner",)
    search_fields = ("label", "owner__username", "owner__last_name")
    readonly_fields = [field.name for field in BackgroundJob._meta.fields]
