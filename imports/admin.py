from django.contrib import admin

from imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "kind",
        "status",
        "user",
        "created_at",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    exclude = ["content"]
    readonly_fields = [
        f
        for f in [
            "user",
            "kind",
            "file_name",
            "status",
            "rows_total",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "errors",
            "created_at",
            "finished_at",
        ]
    ]

    def has_add_permission(self, request):
        return False
