from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partners.models import Call, Grant, Organisation, Pilot


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kbo_number", "kind", "postcode", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "kbo_number"]
    readonly_fields = ["province"]


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "standard_cost", "esf_share", "start_date", "end_date"]
    search_fields = ["number", "name"]


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ["call", "partner", "year", "esf_amount", "flemish_amount", "spent_amount"]
    list_filter = ["call", "year"]
    list_select_related = ["call", "partner"]
    search_fields = ["partner__name", "partner__kbo_number", "call__number"]
    autocomplete_fields = ["partner"]


@admin.register(Pilot)
class PilotAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "start_date", "end_date"]
    list_filter = ["sector"]
    search_fields = ["name", "sector", "organisations__name"]
    autocomplete_fields = ["organisations"]
