"""Tables of the evaluation list and of the referral work queue."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from casework.tables import INSZColumn
from common.tables import heading
from evaluations.constants import ReferralStatus
from evaluations.models import Evaluation, Referral


class EvaluationTable(tables.Table):
    evaluation_date = tables.DateColumn(format="d/m/Y", linkify=("evaluations:detail", {"pk": tables.A("pk")}))
    employee = tables.Column(order_by=("employee__last_name", "employee__first_name"))
    insz = INSZColumn(accessor="employee__insz")
    employer = tables.Column(order_by=("employer__name",))
    province = tables.Column(accessor="employer__province", verbose_name=heading(_("province")))

    class Meta:
        model = Evaluation
        fields = (
            "evaluation_date",
            "employee",
            "insz",
            "advice",
            "employer",
            "province",
            "instrument",
            "age_years",
            "office",
        )
        attrs = {"class": "table table-striped table-hover"}
        empty_text = _("No evaluations match.")


class ReferralTable(tables.Table):
    employee = tables.Column(
        order_by=("employee__last_name", "employee__first_name"),
        linkify=("employees:detail", {"pk": tables.A("employee_id")}),
    )
    insz = INSZColumn(accessor="employee__insz")
    evaluation_date = tables.DateColumn(
        accessor="evaluation__evaluation_date", format="d/m/Y", verbose_name=heading(_("evaluation date"))
    )
    partner = tables.Column(order_by=("partner__name",))
    registered_on = tables.DateColumn(format="d/m/Y", verbose_name=heading(_("referred on")))
    answer = tables.Column(
        accessor="decline_reason",
        verbose_name=heading(_("reason for declining")),
        order_by=("decline_reason__position",),
    )
    days_to_answer = tables.Column(verbose_name=heading(_("days to answer")))
    action = tables.Column(
        empty_values=(), orderable=False, verbose_name=heading(_("action")), exclude_from_export=True
    )

    class Meta:
        model = Referral
        fields = ("employee", "insz", "evaluation_date", "partner", "registered_on", "status", "answer")
        sequence = (
            "employee",
            "insz",
            "evaluation_date",
            "partner",
            "registered_on",
            "status",
            "answer",
            "days_to_answer",
            "action",
        )
        attrs = {"class": "table table-striped table-hover"}
        empty_text = _("No referrals match.")

    def __init__(self, *args, role=None, **kwargs):
        self.role = role
        super().__init__(*args, **kwargs)

    def render_action(self, record):
        links = [_link(reverse("evaluations:referral_detail", args=[record.pk]), _("open"), record)]
        waiting = record.status == ReferralStatus.WAITING
        if waiting and self.role == Role.PARTNER_STAFF:
            links.insert(
                0, _button(reverse("trajectories:start_from_referral", args=[record.pk]), _("Start trajectory"))
            )
            links.insert(1, _link(reverse("evaluations:referral_decline", args=[record.pk]), _("decline"), record))
        if waiting and self.role == Role.EVALUATOR:
            links.append(_link(reverse("evaluations:referral_withdraw", args=[record.pk]), _("withdraw"), record))
        if waiting and self.role == Role.ADMINISTRATOR:
            links.append(_link(reverse("evaluations:referral_reassign", args=[record.pk]), _("re-assign"), record))
        if self.role == Role.ADMINISTRATOR:
            links.append(_link(reverse("evaluations:referral_history", args=[record.pk]), _("history"), record))
        if record.trajectory_id and self.role in (Role.PARTNER_STAFF, Role.ADMINISTRATOR):
            links.append(
                _link(reverse("trajectories:detail", args=[record.trajectory_id]), _("open trajectory"), record)
            )
        return format_html(" · ".join(["{}"] * len(links)), *links)


def _button(url, label):
    return format_html('<a class="btn btn-sm btn-primary" href="{}">{}</a>', url, label)


def _link(url, label, record):
    """A link whose text, for a screen reader, names the person it is about."""
    return format_html('<a href="{}">{}<span class="visually-hidden"> ({})</span></a>', url, label, record.employee)
