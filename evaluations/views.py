"""Evaluations and referrals: the evaluator's screens and the partners' work queue."""

from django.contrib import messages
from django.db.models import Case, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, EVALUATION_WRITERS, PERSON_READERS, TRAJECTORY_USERS, Role, role_of
from casework.views import (
    CaseCreateView,
    CaseDetailView,
    CaseFormView,
    CaseListView,
    CaseUpdateView,
    HistoryView,
    suggest_next_step,
)
from employees.models import Employee
from evaluations import services
from evaluations.constants import ADVICE_READY, ReferralStatus
from evaluations.filters import EvaluationFilter, ReferralFilter
from evaluations.forms import DeclineForm, EvaluationForm, PartnerChoiceForm, WithdrawForm
from evaluations.models import Evaluation, Referral
from evaluations.tables import EvaluationTable, ReferralTable


class EvaluationListView(CaseListView):
    model = Evaluation
    roles = PERSON_READERS
    select_related = ("employee", "advice", "employer", "instrument")
    table_class = EvaluationTable
    filterset_class = EvaluationFilter


class ReadyUnreferredListView(EvaluationListView):
    """Persons advised 'doorstroomklaar' and not referred yet, the longest waiting first (evaluators)."""

    roles = EVALUATION_WRITERS

    def get_queryset(self):
        return super().get_queryset().ready_unreferred().order_by("evaluation_date", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Ready to move on, not referred yet")
        context["order"] = gettext("Longest waiting first (by date of evaluation).")
        return context


class EvaluationDetailView(CaseDetailView):
    model = Evaluation
    roles = PERSON_READERS
    select_related = ("employee", "advice", "employer", "instrument", "evaluator")
    template_name = "evaluations/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["referrals"] = (
            Referral.objects.visible_to(self.request.user)
            .filter(evaluation=self.object)
            .select_related("partner", "decline_reason")
            .order_by("-registered_on", "-id")
        )
        pending = Referral.objects.filter(
            evaluation=self.object, status__in=[ReferralStatus.WAITING, ReferralStatus.STARTED]
        ).exists()
        context["can_refer"] = (
            self.object.advice.code == ADVICE_READY and role_of(self.request.user) in EVALUATION_WRITERS and not pending
        )
        return context


class EvaluationCreateView(CaseCreateView):
    """Record an evaluation of a person, pre-filled with their current social-economy employer and instrument."""

    model = Evaluation
    roles = EVALUATION_WRITERS
    form_class = EvaluationForm
    success_message = _("The evaluation was recorded.")

    def get_employee(self):
        if not hasattr(self, "_employee"):
            self._employee = get_object_or_404(
                Employee.objects.visible_to(self.request.user), pk=self.kwargs["employee_pk"]
            )
        return self._employee

    def get_initial(self):
        today = timezone.localdate()
        initial = {"evaluation_date": today, "office": getattr(self.request.user, "office", "")}
        initial.update(services.evaluation_defaults(employee=self.get_employee(), on=today))
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.employee = self.get_employee()
        form.instance.evaluator = self.request.user
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("New evaluation of %(person)s") % {"person": self.get_employee()}
        context["cancel_url"] = reverse("employees:detail", args=[self.get_employee().pk])
        return context

    def get_success_url(self):
        if self.object.advice.code == ADVICE_READY:
            suggest_next_step(self.request, gettext("The person is ready to move on: refer them to a partner."))
            return reverse("evaluations:refer", args=[self.object.pk])
        return reverse("evaluations:detail", args=[self.object.pk])


class EvaluationUpdateView(CaseUpdateView):
    model = Evaluation
    roles = EVALUATION_WRITERS
    form_class = EvaluationForm
    select_related = ("employee",)

    def get_success_url(self):
        return reverse("evaluations:detail", args=[self.object.pk])


class EvaluationHistoryView(HistoryView):
    model = Evaluation
    roles = ADMIN


class _ReferralFormView(CaseFormView):
    """A form about one referral the user may see; `waiting_only` answers 404 for one already answered."""

    waiting_only = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in self.roles:
            referrals = Referral.objects.visible_to(request.user).select_related("employee", "partner", "evaluation")
            if self.waiting_only:
                referrals = referrals.filter(status=ReferralStatus.WAITING)
            self.referral = get_object_or_404(referrals, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("evaluations:referral_detail", args=[self.referral.pk])


class ReferralCreateView(CaseFormView):
    """Refer the person of an evaluation advised 'doorstroomklaar' to a partner with a running grant."""

    roles = EVALUATION_WRITERS
    form_class = PartnerChoiceForm
    title = _("Refer to a partner")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.evaluation = get_object_or_404(
                Evaluation.objects.visible_to(request.user).select_related("employee", "advice"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The partners this evaluation was referred to before are not offered again.
        earlier = Referral.objects.filter(evaluation=self.evaluation).values_list("partner_id", flat=True)
        return {**kwargs, "on": timezone.localdate(), "exclude": earlier}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Refer %(person)s to a partner") % {"person": self.evaluation.employee}
        context["submit_label"] = gettext("Refer")
        return context

    def get_cancel_url(self):
        return reverse("evaluations:detail", args=[self.evaluation.pk])

    def perform(self, form):
        referral = services.referral_create(
            evaluation=self.evaluation, partner=form.cleaned_data["partner"], referred_by=self.request.user
        )
        messages.success(
            self.request,
            gettext("%(person)s was referred to %(partner)s.")
            % {"person": referral.employee, "partner": referral.partner},
        )
        return redirect("evaluations:referral_detail", pk=referral.pk)


class ReferralDetailView(CaseDetailView):
    """One referral from sending to answer: who referred whom to which partner, and what came of it."""

    model = Referral
    roles = PERSON_READERS
    select_related = (
        "employee",
        "evaluation__advice",
        "partner",
        "referred_by",
        "answered_by",
        "decline_reason",
        "withdrawn_by",
        "trajectory",
    )
    template_name = "evaluations/referral_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        referral = self.object
        context["overdue"] = services.overdue_referrals(Referral.objects.filter(pk=referral.pk)).exists()
        context["answer_days"] = services.answer_days()
        # Referring elsewhere: once this referral was declined or withdrawn and nothing else is pending.
        context["may_refer_again"] = (
            referral.status in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN)
            and not Referral.objects.filter(
                evaluation_id=referral.evaluation_id, status__in=[ReferralStatus.WAITING, ReferralStatus.STARTED]
            ).exists()
        )
        return context


class ReferralDeclineView(_ReferralFormView):
    """The partner declines a waiting referral, with a reason from the managed list."""

    roles = TRAJECTORY_USERS
    form_class = DeclineForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Decline the referral of %(person)s") % {"person": self.referral.employee}
        context["submit_label"] = gettext("Decline the referral")
        return context

    def perform(self, form):
        services.referral_decline(
            referral=self.referral,
            reason=form.cleaned_data["decline_reason"],
            note=form.cleaned_data["answer_note"],
            by=self.request.user,
        )
        messages.success(
            self.request,
            gettext("The referral of %(person)s was declined. The evaluator sees your answer.")
            % {"person": self.referral.employee},
        )
        return redirect("evaluations:referral_list")


class ReferralWithdrawView(_ReferralFormView):
    """The evaluator withdraws a referral the partner has not answered yet, with a reason."""

    roles = EVALUATION_WRITERS
    form_class = WithdrawForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Withdraw the referral of %(person)s to %(partner)s") % {
            "person": self.referral.employee,
            "partner": self.referral.partner,
        }
        context["submit_label"] = gettext("Withdraw the referral")
        return context

    def perform(self, form):
        services.referral_withdraw(
            referral=self.referral, reason=form.cleaned_data["withdrawal_reason"], by=self.request.user
        )
        messages.success(
            self.request,
            gettext("The referral was withdrawn. You can refer %(person)s to another partner.")
            % {"person": self.referral.employee},
        )
        return redirect("evaluations:referral_detail", pk=self.referral.pk)


class ReferralListView(CaseListView):
    """The referrals, newest first; for partner staff their work queue, waiting ones first."""

    model = Referral
    roles = PERSON_READERS
    select_related = ("employee", "evaluation", "partner", "decline_reason")
    table_class = ReferralTable
    filterset_class = ReferralFilter
    template_name = "evaluations/referral_list.html"

    def get_table_kwargs(self):
        return {"role": role_of(self.request.user)}

    def waiting_first(self) -> bool:
        return role_of(self.request.user) == Role.PARTNER_STAFF

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.waiting_first():
            # The work queue: what waits for an answer first, the newest on top.
            return queryset.order_by(
                Case(When(status=ReferralStatus.WAITING, then=0), default=1), "-registered_on", "-id"
            )
        return queryset.order_by("-registered_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if role_of(self.request.user) == Role.PARTNER_STAFF:
            context["title"] = gettext("Work queue")
        context["waiting_count"] = self.model.objects.visible_to(self.request.user).waiting().count()
        context["order"] = (
            gettext("Waiting referrals first, then newest first (by date of referral).")
            if self.waiting_first()
            else gettext("Newest first (by date of referral).")
        )
        return context


class OverdueReferralListView(ReferralListView):
    """Referrals without an answer DOORSTROOM_REFERRAL_ANSWER_DAYS days after they were sent (administrators),
    the longest waiting first."""

    roles = ADMIN

    def get_queryset(self):
        return services.overdue_referrals(super().get_queryset()).order_by("registered_on", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = services.answer_days()
        context["title"] = gettext("Referrals unanswered after %(days)s days") % {"days": days}
        context["order"] = gettext("Longest waiting first (by date of referral).")
        context["overdue_days"] = days
        return context


class NotTakenUpReferralListView(ReferralListView):
    """Referrals the partner has not taken up NOT_TAKEN_UP_DAYS days after they were sent (evaluators),
    the longest waiting first."""

    roles = EVALUATION_WRITERS

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .waiting_since(services.NOT_TAKEN_UP_DAYS, timezone.localdate())
            .order_by("registered_on", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Referrals not taken up after %(days)s days") % {"days": services.NOT_TAKEN_UP_DAYS}
        context["order"] = gettext("Longest waiting first (by date of referral).")
        return context


class ReferralReassignView(_ReferralFormView):
    roles = ADMIN
    form_class = PartnerChoiceForm
    title = _("Re-assign a referral")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "on": timezone.localdate(), "exclude": [self.referral.partner_id]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Re-assign the referral of %(person)s (now with %(partner)s)") % {
            "person": self.referral.employee,
            "partner": self.referral.partner,
        }
        return context

    def perform(self, form):
        referral = services.referral_reassign(referral=self.referral, partner=form.cleaned_data["partner"])
        messages.success(
            self.request, gettext("The referral was re-assigned to %(partner)s.") % {"partner": referral.partner}
        )
        return redirect("evaluations:referral_list")


class ReferralHistoryView(HistoryView):
    model = Referral
    roles = ADMIN
