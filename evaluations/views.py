"""Evaluations and referrals: the evaluator's screens and the partners' work queue."""

from django.contrib import messages
from django.db.models import Case, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, EVALUATION_WRITERS, PERSON_READERS, Role, role_of
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
from evaluations.forms import EvaluationForm, PartnerChoiceForm
from evaluations.models import Evaluation, Referral
from evaluations.tables import EvaluationTable, ReferralTable


class EvaluationListView(CaseListView):
    model = Evaluation
    roles = PERSON_READERS
    select_related = ("employee", "advice", "employer", "instrument")
    table_class = EvaluationTable
    filterset_class = EvaluationFilter


class EvaluationDetailView(CaseDetailView):
    model = Evaluation
    roles = PERSON_READERS
    select_related = ("employee", "advice", "employer", "instrument", "evaluator")
    template_name = "evaluations/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["referrals"] = (
            Referral.objects.visible_to(self.request.user).filter(evaluation=self.object).select_related("partner")
        )
        context["can_refer"] = (
            self.object.advice.code == ADVICE_READY and role_of(self.request.user) in EVALUATION_WRITERS
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


class ReferralCreateView(CaseFormView):
    """Refer the person of an evaluation advised 'doorstroomklaar' to a partner."""

    roles = EVALUATION_WRITERS
    form_class = PartnerChoiceForm
    title = _("Refer to a partner")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.evaluation = get_object_or_404(
                Evaluation.objects.visible_to(request.user).select_related("employee", "advice"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

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
        return redirect("evaluations:detail", pk=self.evaluation.pk)


class ReferralListView(CaseListView):
    """The referrals: for partner staff their work queue, waiting ones first."""

    model = Referral
    roles = PERSON_READERS
    select_related = ("employee", "evaluation", "partner")
    table_class = ReferralTable
    filterset_class = ReferralFilter
    template_name = "evaluations/referral_list.html"

    def get_table_kwargs(self):
        return {"role": role_of(self.request.user)}

    def get_queryset(self):
        # Waiting referrals first, oldest first: the order work is picked up in.
        waiting_first = Case(When(status=ReferralStatus.WAITING, then=0), default=1)
        return super().get_queryset().order_by(waiting_first, "registered_on", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if role_of(self.request.user) == Role.PARTNER_STAFF:
            context["title"] = gettext("Work queue")
        context["waiting_count"] = self.model.objects.visible_to(self.request.user).waiting().count()
        return context


class ReferralReassignView(CaseFormView):
    roles = ADMIN
    form_class = PartnerChoiceForm
    title = _("Re-assign a referral")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.referral = get_object_or_404(
                Referral.objects.visible_to(request.user).select_related("employee", "partner"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Re-assign the referral of %(person)s (now with %(partner)s)") % {
            "person": self.referral.employee,
            "partner": self.referral.partner,
        }
        return context

    def get_cancel_url(self):
        return reverse("evaluations:referral_list")

    def perform(self, form):
        referral = services.referral_reassign(referral=self.referral, partner=form.cleaned_data["partner"])
        messages.success(
            self.request, gettext("The referral was re-assigned to %(partner)s.") % {"partner": referral.partner}
        )
        return redirect("evaluations:referral_list")


class ReferralHistoryView(HistoryView):
    model = Referral
    roles = ADMIN
