from django.contrib import admin

from api.models import IdempotentRequest


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(admin.ModelAdmin):
    """The answers kept for a day to replay a POST sent again with the same `Idempotency-Key`: read-only,
    for an administrator who looks into what a partner's system sent twice (docs/api.md)."""

    list_display = ["key", "user", "status_code", "location", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["user"]
    search_fields = ["key", "user__username", "location"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
