from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluations.models import Advice, Evaluation, Referral


@admin.register(Advice)
class AdviceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label_nl", "label_en", "position", "active"]
    list_filter = ["active"]
    search_fields = ["code", "label_nl", "label_en"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "evaluation_date", "advice", "employer", "instrument", "office", "age_years"]
    list_filter = ["advice", "instrument", "employer__province", "office"]
    list_select_related = ["employee", "advice", "employer", "instrument"]
    search_fields = ["employee__insz", "employee__last_name", "employee__first_name", "employer__name"]
    autocomplete_fields = ["employee", "employer", "evaluator"]
    readonly_fields = ["age_years"]
    date_hierarchy = "evaluation_date"


@admin.register(Referral)
class ReferralAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "partner", "status", "registered_on", "referred_by"]
    list_filter = ["status", "partner"]
    list_select_related = ["employee", "partner", "referred_by"]
    search_fields = ["employee__insz", "employee__last_name", "partner__name"]
    autocomplete_fields = ["evaluation", "employee", "partner", "referred_by"]
