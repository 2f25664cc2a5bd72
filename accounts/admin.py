from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from common.admin_filters import text_filter
from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "office", "is_active"]
    list_filter = ["groups", "is_active", "is_staff", text_filter("organisation__name__icontains", _("organisation"))]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Doorstroom"), {"fields": ["organisation", "office"]}),
    )


# The admin is the administrators' screen: name it after the application, in their language.
admin.site.site_header = _("Doorstroom administration")
admin.site.site_title = _("Doorstroom administration")
admin.site.index_title = _("Records, reference lists and users")
