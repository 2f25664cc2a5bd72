from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import APIToken, OTPEnrolmentCode, User
from common.admin_filters import text_filter


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "office", "is_active"]
    list_filter = ["groups", "is_active", "is_staff", text_filter("organisation__name__icontains", _("organisation"))]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Doorstroom"), {"fields": ["organisation", "office"]}),)


# The admin is the administrators' screen: name it after the application, in their language.
admin.site.site_header = _("Doorstroom administration")
admin.site.site_title = _("Doorstroom administration")
admin.site.index_title = _("Records, reference lists and users")


@admin.register(OTPEnrolmentCode)
class OTPEnrolmentCodeAdmin(admin.ModelAdmin):
    """Who was issued an enrolment code, by whom, and whether it was used: read-only, the code itself is
    never shown (only its HMAC is kept). Codes are issued on the administrator's home page."""

    list_display = ["user", "issued_by", "issued_at", "expires_at", "used_at", "withdrawn_at", "failed_attempts"]
    list_filter = ["issued_at", "used_at", "withdrawn_at"]
    list_select_related = ["user", "issued_by"]
    search_fields = ["user__username", "user__last_name", "issued_by__username"]
    exclude = ["code_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    """Personal API keys: who has one, its scope, expiry, last use and revocation. Read-only: only a digest
    of a key is kept, and keys are made and revoked on the page "API-sleutels" (accounts/views.py)."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "user__last_name", "prefix"]
    exclude = ["key_digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
