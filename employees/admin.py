from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import INSZSearchAdminMixin
from common.tables import EstimatedCountPaginator
from employees.forms import EmployeeForm
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
class EmployeeAdmin(INSZSearchAdminMixin, SimpleHistoryAdmin):
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    form = EmployeeForm
    list_display = ["last_name", "first_name", "insz", "birth_date", "gender", "registered_on"]
    list_filter = ["gender", "birth_date", "registered_on"]
    search_fields = ["last_name", "first_name"]
    insz_search_field = "insz_digest"
    inlines = [EmploymentInline]


@admin.register(Employment)
class EmploymentAdmin(INSZSearchAdminMixin, SimpleHistoryAdmin):
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["employee", "employer", "instrument", "start_date", "end_date", "with_support_package"]
    list_filter = ["instrument", "with_support_package", "employer__province", ("end_date", admin.EmptyFieldListFilter)]
    list_select_related = ["employee", "employer", "instrument"]
    search_fields = ["employee__last_name", "employer__name", "employer__kbo_number"]
    insz_search_field = "employee__insz_digest"
    autocomplete_fields = ["employee", "employer"]
    date_hierarchy = "start_date"


@admin.register(PersonLookup)
class PersonLookupAdmin(INSZSearchAdminMixin, admin.ModelAdmin):
    """The log of look-ups by exact INSZ: read only, it is evidence of who looked for whom."""

    list_display = ["looked_up_at", "user", "organisation", "insz", "employee", "found"]
    list_filter = ["found", "organisation"]
    list_select_related = ["user", "organisation", "employee"]
    search_fields = ["user__username", "employee__last_name", "organisation__name"]
    insz_search_field = "insz_digest"
    readonly_fields = ["looked_up_at", "user", "organisation", "insz_shown", "employee", "found"]

    @admin.display(description=_("INSZ number looked up"))
    def insz_shown(self, obj):
        return obj.insz

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
