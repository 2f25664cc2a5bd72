from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casework.admin import INSZSearchAdminMixin
from common.admin_filters import text_filter
from common.tables import EstimatedCountPaginator
from trajectories.constants import ESF_SPECIAL_FIELDS
from trajectories.esf import special_categories_allowed
from trajectories.models import EndReason, Internship, JobFollowUp, Trajectory


@admin.register(EndReason)
class EndReasonAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label_nl", "label_en", "position", "active"]
    list_filter = ["active"]
    search_fields = ["code", "label_nl", "label_en"]


class InternshipInline(admin.TabularInline):
    model = Internship
    extra = 0
    autocomplete_fields = ["host"]
    fields = ["host", "sector", "start_date", "end_date", "outcome", "registered_on"]


@admin.register(Trajectory)
class TrajectoryAdmin(INSZSearchAdminMixin, SimpleHistoryAdmin):
    insz_search_field = "employee__insz_digest"
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["employee", "partner", "call", "start_date", "end_date", "end_reason", "age_years"]
    list_filter = [
        "call",
        text_filter("partner__name__icontains", _("partner")),
        ("end_date", admin.EmptyFieldListFilter),
        "end_reason",
        "instrument",
        "se_employer__province",
        "registered_on",
    ]
    list_select_related = ["employee", "partner", "call", "end_reason"]
    search_fields = ["employee__last_name__matches", "employee__first_name__matches", "partner__name__matches"]
    autocomplete_fields = ["employee", "partner", "se_employer", "instrument", "caseworker"]
    # The reason and the withdrawal are written by the look-up workflow and the review page only.
    readonly_fields = ["age_years", "access_reason", "access_withdrawn_at", "access_withdrawn_by"]
    date_hierarchy = "start_date"
    inlines = [InternshipInline]

    def get_exclude(self, request, obj=None):
        """The special categories only with their legal basis (docs/esf.md); without it they are not stored."""
        if special_categories_allowed():
            return super().get_exclude(request, obj)
        return [*(super().get_exclude(request, obj) or ()), *ESF_SPECIAL_FIELDS]


@admin.register(Internship)
class InternshipAdmin(INSZSearchAdminMixin, SimpleHistoryAdmin):
    insz_search_field = "trajectory__employee__insz_digest"
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["trajectory", "host", "sector", "start_date", "end_date", "outcome"]
    list_filter = [
        "outcome",
        text_filter("sector__icontains", _("sector")),
        text_filter("trajectory__partner__name__icontains", _("partner")),
        "registered_on",
    ]
    list_select_related = ["trajectory__employee", "trajectory__partner", "host"]
    search_fields = ["trajectory__employee__last_name__matches", "host__name__matches", "sector"]
    autocomplete_fields = ["trajectory", "host"]
    date_hierarchy = "start_date"


@admin.register(JobFollowUp)
class JobFollowUpAdmin(INSZSearchAdminMixin, SimpleHistoryAdmin):
    insz_search_field = "employment__employee__insz_digest"
    list_display = ["employment", "mark", "checked_on", "still_in_work", "recorded_by"]
    list_filter = ["mark", "still_in_work", "checked_on"]
    list_select_related = ["employment__employee", "employment__employer", "recorded_by"]
    search_fields = ["employment__employee__last_name", "employment__employer__name"]
    autocomplete_fields = ["employment"]
    date_hierarchy = "checked_on"
