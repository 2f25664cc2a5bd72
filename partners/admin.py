from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin_filters import text_filter
from common.forms import KBOFormField
from common.tables import EstimatedCountPaginator
from common.validators import normalise_kbo
from partners.models import Call, Grant, Organisation, Pilot


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["name", "kbo_number", "kind", "postcode", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name__matches", "kbo_number", "=postcode"]
    readonly_fields = ["province", "created_at", "updated_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kbo_number":
            kwargs["form_class"] = KBOFormField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Also find a KBO number typed as on a letterhead (BE 0403.170.701)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = normalise_kbo(search_term)
        if len(number) == 10 and number.isdigit() and number != search_term.strip():
            results |= queryset.filter(kbo_number=number)
        return results, may_have_duplicates


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "standard_cost", "esf_share", "start_date", "end_date"]
    list_filter = ["start_date", "end_date"]
    search_fields = ["number", "name"]


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ["call", "partner", "year", "esf_amount", "flemish_amount", "total", "spent_amount"]
    list_filter = ["call", "year", text_filter("partner__name__icontains", _("partner"))]
    list_select_related = ["call", "partner"]
    search_fields = ["partner__name__matches", "partner__kbo_number", "call__number"]
    autocomplete_fields = ["partner"]
    readonly_fields = ["total"]

    @admin.display(description=_("total granted"))
    def total(self, grant):
        """ESF and Flemish amounts together (derived, not stored)."""
        if grant.pk is None:
            return "–"
        return grant.total_amount


@admin.register(Pilot)
class PilotAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "start_date", "end_date"]
    list_filter = ["sector", "start_date"]
    search_fields = ["name", "sector", "organisations__name"]
    autocomplete_fields = ["organisations"]
