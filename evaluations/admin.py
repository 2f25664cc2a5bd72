from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casework.admin import INSZSearchAdminMixin
from common.admin_filters import text_filter
from common.tables import EstimatedCountPaginator
from evaluations.models import Advice, DeclineReason, Evaluation, Referral


@admin.register(Advice)
class AdviceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label_nl", "label_en", "position", "active"]
    list_filter = ["active"]
    search_fields = ["code", "label_nl", "label_en"]


@admin.register(DeclineReason)
class DeclineReasonAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label_nl", "label_en", "position", "active"]
    list_filter = ["active"]
    search_fields = ["code", "label_nl", "label_en"]


@admin.register(Evaluation)
class EvaluationAdmin(INSZSearchAdminMixin, SimpleHistoryAdmin):
    insz_search_field = "employee__insz_digest"
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["employee", "evaluation_date", "advice", "employer", "instrument", "office", "age_years"]
    list_filter = [
        "advice",
        "instrument",
        "employer__province",
        text_filter("office__icontains", _("VDAB office")),
        "evaluation_date",
        "registered_on",
    ]
    list_select_related = ["employee", "advice", "employer", "instrument"]
    search_fields = [
        "employee__last_name__matches",
        "employee__first_name__matches",
        "employer__name__matches",
        "evaluator__last_name",
        "office",
    ]
    autocomplete_fields = ["employee", "employer", "instrument", "evaluator"]
    readonly_fields = ["age_years"]
    date_hierarchy = "evaluation_date"


@admin.register(Referral)
class ReferralAdmin(INSZSearchAdminMixin, SimpleHistoryAdmin):
    insz_search_field = "employee__insz_digest"
    # At a million rows: no second COUNT of the whole table, and PostgreSQL's estimate for an
    # unfiltered list instead of a COUNT (common.tables.EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["employee", "partner", "status", "registered_on", "referred_by", "days_to_answer", "trajectory"]
    list_filter = [
        "status",
        "decline_reason",
        text_filter("partner__name__icontains", _("partner")),
        "registered_on",
        text_filter("evaluation__office__icontains", _("VDAB office")),
    ]
    list_select_related = [
        "employee",
        "partner",
        "referred_by",
        "trajectory__employee",
        "trajectory__partner",
    ]
    search_fields = [
        "employee__last_name__matches",
        "employee__first_name__matches",
        "partner__name__matches",
        "partner__kbo_number",
    ]
    autocomplete_fields = [
        "evaluation",
        "employee",
        "partner",
        "referred_by",
        "trajectory",
        "answered_by",
        "withdrawn_by",
    ]
    readonly_fields = ["days_to_answer"]
    date_hierarchy = "registered_on"
