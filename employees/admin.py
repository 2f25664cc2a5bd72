from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.models import AccessEvent
from casework.admin import INSZSearchAdminMixin
from common.tables import EstimatedCountPaginator
from employees.forms import EmployeeForm
from employees.models import AnonymisationRun, Employee, Employment, Instrument


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
    search_fields = ["last_name__matches", "first_name__matches"]
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
    search_fields = ["employee__last_name__matches", "employer__name__matches", "employer__kbo_number"]
    insz_search_field = "employee__insz_digest"
    autocomplete_fields = ["employee", "employer"]
    date_hierarchy = "start_date"


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """A log is evidence: nobody adds, changes or deletes a row through the admin, superusers included."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessEvent)
class AccessEventAdmin(INSZSearchAdminMixin, ReadOnlyLogAdmin):
    """Who opened which person's page, exported which list, looked up which number, and when."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["occurred_at", "user", "role", "organisation", "action", "employee", "list_name", "row_count"]
    list_filter = ["action", "role", "occurred_at"]
    list_select_related = ["user", "organisation", "employee"]
    search_fields = ["user__username", "user__last_name", "organisation__name", "list_name"]
    insz_search_field = "insz_digest"
    date_hierarchy = "occurred_at"
    readonly_fields = [
        "occurred_at",
        "user",
        "role",
        "organisation",
        "action",
        "employee",
        "insz_shown",
        "list_name",
        "export_format",
        "filters",
        "row_count",
    ]

    @admin.display(description=_("INSZ number looked up"))
    def insz_shown(self, obj):
        return obj.insz


@admin.register(AnonymisationRun)
class AnonymisationRunAdmin(ReadOnlyLogAdmin):
    """The runs of the retention command (`anonymise_persons`)."""

    list_display = ["started_at", "run_by", "retention_years", "cutoff", "persons"]
    list_filter = ["started_at", "retention_years"]
    search_fields = ["run_by"]
    readonly_fields = list_display
