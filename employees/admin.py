from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin_filters import text_filter
from common.forms import INSZFormField
from common.tables import EstimatedCountPaginator
from common.validators import normalise_insz
from employees.models import Employee, Employment, Instrument, PersonLookup


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "valid_from", "valid_until", "is_employment"]
    list_filter = ["is_employment", "valid_from"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    autocomplete_fields = ["employer"]
    fields = ["employer", "instrument", "start_date", "end_date", "with_support_package", "registered_on"]


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["last_name", "first_name", "insz", "birth_date", "gender", "registered_on"]
    list_filter = ["gender", "birth_date", "registered_on"]
    search_fields = ["insz", "last_name", "first_name"]
    inlines = [EmploymentInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "insz":
            kwargs["form_class"] = INSZFormField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Also find an INSZ typed with dots and dashes (85.07.30-033.28)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = normalise_insz(search_term)
        if len(number) == 11 and number.isdigit() and number != search_term.strip():
            results |= queryset.filter(insz=number)
        return results, may_have_duplicates


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["employee", "employer", "instrument", "start_date", "end_date", "with_support_package"]
    list_filter = ["instrument", "with_support_package", "employer__province", ("end_date", admin.EmptyFieldListFilter)]
    list_select_related = ["employee", "employer", "instrument"]
    search_fields = ["employee__insz", "employee__last_name", "employer__name", "employer__kbo_number"]
    autocomplete_fields = ["employee", "employer"]
    date_hierarchy = "start_date"


@admin.register(PersonLookup)
class PersonLookupAdmin(admin.ModelAdmin):
    """The log of look-ups by exact INSZ: read only, it is evidence of who looked for whom."""

    list_display = ["looked_up_at", "user", "organisation", "insz", "employee", "found"]
    list_filter = ["found", text_filter("organisation__name__icontains", _("organisation"))]
    list_select_related = ["user", "organisation", "employee"]
    search_fields = ["insz", "user__username", "employee__last_name", "organisation__name"]
    readonly_fields = ["looked_up_at", "user", "organisation", "insz", "employee", "found"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
