"""Trajectories and internships: partner staff's daily work, and the administrators' overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accounts import access
from accounts.roles import ADMIN, TRAJECTORY_USERS, Role, role_of
from audit.constants import AccessAction
from audit.models import AccessEvent
from casework.views import (
    CaseCreateView,
    CaseDetailView,
    CaseFormView,
    CaseListView,
    CaseUpdateView,
    HistoryView,
    ReadOnlyRequestMixin,
    RoleRequiredMixin,
)
from employees.models import Employee, Employment
from employees.services import social_economy_job_on
from evaluations.constants import ReferralStatus
from evaluations.models import Referral
from trajectories import services
from trajectories.constants import ESF_SPECIAL_FIELDS
from trajectories.esf import special_categories_allowed
from trajectories.filters import InternshipFilter, TrajectoryFilter
from trajectories.forms import (
    InternshipForm,
    JobFollowUpForm,
    TrajectoryEndForm,
    TrajectoryForm,
    TrajectoryStartForm,
)
from trajectories.models import Internship, Trajectory
from trajectories.tables import InternshipTable, TrajectoryTable


class ProposesOrganisations:
    """A form with an organisation field: link to the page where a partner adds one not found."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["propose_organisation_url"] = (
            f"{reverse('partners:organisation_propose')}?{urlencode({'next': self.request.path})}"
        )
        return context


class TrajectoryListView(CaseListView):
    model = Trajectory
    roles = TRAJECTORY_USERS
    select_related = ("employee", "partner", "se_employer", "instrument", "end_reason")
    table_class = TrajectoryTable
    filterset_class = TrajectoryFilter

    def get_queryset(self):
        # A correlated subquery per shown row, not a GROUP BY over every trajectory joined with its
        # internships: the page then reads 25 rows from the start_date index and counts without a join.
        internships = (
            Internship.objects.filter(trajectory_id=OuterRef("pk"))
            .order_by()
            .values("trajectory_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset()
            .annotate(internship_count=Coalesce(Subquery(internships), 0))
            .order_by("-start_date", "-id")
        )


class TrajectoryDetailView(CaseDetailView):
    model = Trajectory
    roles = TRAJECTORY_USERS
    select_related = ("employee", "partner", "call", "se_employer", "instrument", "end_reason", "caseworker")
    template_name = "trajectories/trajectory_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["internships"] = self.object.internships.select_related("host")
        context["awaiting_job"] = (
            self.object.end_date is not None and Trajectory.objects.filter(pk=self.object.pk).awaiting_job().exists()
        )
        context["shows_special_categories"] = _shows_special_categories(self.request.user)
        return context


def _shows_special_categories(user) -> bool:
    """Disability and migrant background: administrators alone, and only with a legal basis (docs/esf.md)."""
    return special_categories_allowed() and access.can(user, "administer")


class _StartTrajectoryView(CaseFormView):
    """Start a trajectory for a person the partner may guide; the service links the referral."""

    roles = TRAJECTORY_USERS
    form_class = TrajectoryStartForm
    referral = None

    def get_partner(self):
        return self.request.user.organisation if role_of(self.request.user) == Role.PARTNER_STAFF else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["choose_partner"] = self.get_partner() is None and self.referral is None
        return kwargs

    def get_initial(self):
        today = timezone.localdate()
        initial = {"start_date": today}
        # The person's job only for a person the user may already see: the form must not show a stranger's
        # employer (the service takes the job on the start date when these are left empty).
        if self.may_see_person():
            spell = social_economy_job_on(employee=self.employee, on=today)
            if spell is not None:
                initial.update(se_employer=spell.employer, instrument=spell.instrument)
        return initial

    def may_see_person(self) -> bool:
        return Employee.objects.visible_to(self.request.user).filter(pk=self.employee.pk).exists()

    def extra_start_arguments(self, data) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Start a trajectory for %(person)s") % {"person": self.employee}
        context["submit_label"] = gettext("Start the trajectory")
        return context

    def perform(self, form):
        data = form.cleaned_data
        partner = self.referral.partner if self.referral else (self.get_partner() or data.get("partner"))
        se_employer, instrument = data.get("se_employer"), data.get("instrument")
        if "start_date" in form.changed_data and not {"se_employer", "instrument"} & set(form.changed_data):
            # The pre-filled job was today's; for another start date the service takes the job on that date.
            se_employer = instrument = None
        trajectory = services.trajectory_start(
            employee=self.employee,
            partner=partner,
            call=data["call"],
            start_date=data["start_date"],
            caseworker=self.request.user,
            se_employer=se_employer,
            instrument=instrument,
            voortraject_start=data.get("voortraject_start"),
            planned_end_date=data.get("planned_end_date"),
            notes=data.get("notes", ""),
            referral=self.referral,
            **self.extra_start_arguments(data),
        )
        messages.success(self.request, gettext("The trajectory of %(person)s started.") % {"person": self.employee})
        return redirect("trajectories:detail", pk=trajectory.pk)


class StartFromReferralView(_StartTrajectoryView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in self.roles:
            self.referral = get_object_or_404(
                Referral.objects.visible_to(request.user).select_related("employee", "partner"),
                pk=kwargs["pk"],
                status=ReferralStatus.WAITING,
            )
            self.employee = self.referral.employee
        return super().dispatch(request, *args, **kwargs)

    def may_see_person(self) -> bool:
        return True  # referred to the user's organisation (or the user is an administrator)

    def get_cancel_url(self):
        return reverse("evaluations:referral_list")


class StartFromLookupView(_StartTrajectoryView):
    """Only the user who looked the person up, and only for a look-up that found someone."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in self.roles:
            lookup = get_object_or_404(
                AccessEvent.objects.select_related("employee"),
                pk=kwargs["pk"],
                user=request.user,
                action=AccessAction.INSZ_LOOKUP,
                employee__isnull=False,
            )
            self.employee = lookup.employee
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        partner = self.get_partner()
        if partner is None:
            kwargs["ask_reason"] = False  # an administrator: asked by the service for the partner chosen
        elif not services.referred_to(employee=self.employee, partner=partner):
            kwargs["ask_reason"] = True
        return kwargs

    def extra_start_arguments(self, data) -> dict:
        return {"access_reason": data.get("access_reason", ""), "reason_without_referral": True}

    def get_cancel_url(self):
        return reverse("employees:lookup")


class AccessReviewView(ReadOnlyRequestMixin, RoleRequiredMixin, ListView):
    """Trajectories started without a referral, with the partner's reason, newest first (administrators),
    each with the action that withdraws the partner's access through it."""

    roles = ADMIN
    template_name = "trajectories/access_review.html"
    paginate_by = 50
    context_object_name = "trajectories"

    def get_queryset(self):
        return (
            Trajectory.objects.visible_to(self.request.user)
            .without_referral()
            .select_related("employee", "partner", "caseworker", "access_withdrawn_by")
            .order_by("-created_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Trajectories without a referral")
        return context


@login_required
@require_POST
def withdraw_access(request, pk):
    """An administrator withdraws a partner's access to a person through one trajectory (recorded who, when)."""
    if not access.sees_everything(request.user):
        raise Http404
    trajectory = get_object_or_404(
        Trajectory.objects.visible_to(request.user).select_related("employee", "partner"), pk=pk
    )
    if services.withdraw_access(trajectory=trajectory, by=request.user):
        messages.success(
            request,
            gettext("%(partner)s no longer reaches %(person)s through this trajectory.")
            % {"partner": trajectory.partner, "person": trajectory.employee},
        )
    else:
        messages.info(request, gettext("The access through this trajectory was already withdrawn."))
    return redirect("trajectories:access_review")


class TrajectoryUpdateView(CaseUpdateView):
    model = Trajectory
    roles = TRAJECTORY_USERS
    form_class = TrajectoryForm
    select_related = ("employee", "partner")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not _shows_special_categories(self.request.user):
            for name in ESF_SPECIAL_FIELDS:
                form.fields.pop(name, None)
        return form

    def get_success_url(self):
        return reverse("trajectories:detail", args=[self.object.pk])


class TrajectoryEndView(ProposesOrganisations, CaseUpdateView):
    """End a trajectory with its reason, and record the job that followed when there is one."""

    model = Trajectory
    roles = TRAJECTORY_USERS
    form_class = TrajectoryEndForm
    select_related = ("employee", "partner")
    success_message = _("The trajectory was ended.")

    def get_initial(self):
        initial = super().get_initial()
        if not self.object.end_date:
            initial["end_date"] = timezone.localdate()
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        running = list(services.running_internships(self.object, self.object.end_date))
        kwargs["running_internships"] = services.describe_internships(running) if running else ""
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("End the trajectory of %(person)s") % {"person": self.object.employee}
        context["submit_label"] = gettext("End the trajectory")
        return context

    def save_form(self, form):
        data = form.cleaned_data
        _trajectory, spell = services.trajectory_end(
            trajectory=form.instance,
            end_date=data["end_date"],
            end_reason=data["end_reason"],
            next_job=form.next_job(),
            job_unknown=data.get("job_unknown", False),
            end_internships=data.get("end_internships", False),
        )
        if data.get("job_unknown") and spell is None:
            messages.info(
                self.request,
                gettext("The trajectory is on your follow-up list until the job is recorded."),
            )
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse("trajectories:detail", args=[self.object.pk])


class AwaitingJobView(ReadOnlyRequestMixin, RoleRequiredMixin, ListView):
    """Trajectories ended with "found a job" whose job is not recorded yet, oldest end first: the
    partner's follow-up list (question 4 of the reports counts these jobs)."""

    roles = TRAJECTORY_USERS
    template_name = "trajectories/awaiting_job.html"
    paginate_by = 50
    context_object_name = "trajectories"

    def get_queryset(self):
        return (
            Trajectory.objects.visible_to(self.request.user)
            .awaiting_job()
            .select_related("employee", "partner")
            .order_by("end_date", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Jobs to record")
        return context


class PastPlannedEndView(ReadOnlyRequestMixin, RoleRequiredMixin, ListView):
    """Trajectories still running past their planned end, the longest overdue first: end them, or move
    the planned end when the trajectory goes on."""

    roles = TRAJECTORY_USERS
    template_name = "trajectories/past_planned_end.html"
    paginate_by = 50
    context_object_name = "trajectories"

    def get_queryset(self):
        return (
            Trajectory.objects.visible_to(self.request.user)
            .past_planned_end(timezone.localdate())
            .select_related("employee", "partner")
            .order_by("planned_end_date", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Trajectories past their planned end")
        context["order"] = gettext("Longest past its planned end first (by planned end).")
        return context


class InternshipsTooLongView(ReadOnlyRequestMixin, RoleRequiredMixin, ListView):
    """Internships still running longer than their trajectory's call allows, the oldest start first."""

    roles = TRAJECTORY_USERS
    template_name = "trajectories/internships_too_long.html"
    paginate_by = 50
    context_object_name = "internships"

    def get_queryset(self):
        return (
            Internship.objects.visible_to(self.request.user)
            .running_longer_than_allowed(timezone.localdate())
            .select_related("trajectory__employee", "trajectory__call", "host")
            .order_by("start_date", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Internships running longer than the call allows")
        context["order"] = gettext("Longest running first (by start of the internship).")
        return context


class JobFollowUpView(ReadOnlyRequestMixin, RoleRequiredMixin, ListView):
    """Regular jobs after one of the partner's trajectories whose 3-, 6- or 12-month mark has passed and
    that were not followed up at that mark yet, the oldest start first: the partner asks whether the
    person still works there and records the answer."""

    roles = TRAJECTORY_USERS
    template_name = "trajectories/job_follow_up.html"
    paginate_by = 50
    context_object_name = "jobs"

    def get_queryset(self):
        if self.kwargs["months"] not in services.FOLLOW_UP_MARKS:
            raise Http404
        return (
            services.jobs_to_follow_up(self.request.user, self.kwargs["months"])
            .select_related("employee", "employer")
            .order_by("start_date", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["months"] = self.kwargs["months"]
        context["title"] = gettext("Jobs to follow up at %(months)s months") % {"months": self.kwargs["months"]}
        context["order"] = gettext("Oldest job first (by start of the job).")
        return context


class JobFollowUpRecordView(CaseFormView):
    """Record the follow-up of a regular job at a mark ("Opvolging registreren"; the list's link gives the
    mark as `?na=6`); when the person left, the job ends on the day given, in the same step."""

    roles = TRAJECTORY_USERS
    form_class = JobFollowUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in self.roles:
            self.employment = get_object_or_404(
                Employment.objects.visible_to(request.user).regular().select_related("employee", "employer"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {"checked_on": timezone.localdate()}
        mark = self.request.GET.get("na", "")
        if mark.isdigit() and int(mark) in services.FOLLOW_UP_MARKS:
            initial["mark"] = int(mark)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Follow-up of the job of %(job)s") % {"job": self.employment}
        context["submit_label"] = gettext("Record the follow-up")
        return context

    def get_cancel_url(self):
        return reverse("employees:detail", args=[self.employment.employee_id])

    def perform(self, form):
        data = form.cleaned_data
        mark = int(data["mark"])
        services.job_follow_up_record(
            employment=self.employment,
            mark=mark,
            checked_on=data["checked_on"],
            still_in_work=data["still_in_work"] == "yes",
            job_end_date=data.get("job_end_date"),
            note=data.get("note", ""),
            by=self.request.user,
        )
        messages.success(
            self.request,
            gettext("The follow-up of %(person)s at %(months)s months was recorded.")
            % {"person": self.employment.employee, "months": mark},
        )
        return redirect("trajectories:job_follow_up", months=mark)


class TrajectoryHistoryView(HistoryView):
    model = Trajectory
    roles = ADMIN


class InternshipListView(CaseListView):
    model = Internship
    roles = TRAJECTORY_USERS
    select_related = ("trajectory__employee", "trajectory__partner", "host")
    table_class = InternshipTable
    filterset_class = InternshipFilter


class InternshipCreateView(ProposesOrganisations, CaseCreateView):
    model = Internship
    roles = TRAJECTORY_USERS
    form_class = InternshipForm
    success_message = _("The internship was recorded.")

    def get_trajectory(self):
        if not hasattr(self, "_trajectory"):
            self._trajectory = get_object_or_404(
                Trajectory.objects.visible_to(self.request.user).select_related("employee"),
                pk=self.kwargs["trajectory_pk"],
            )
        return self._trajectory

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in self.roles:
            trajectory = self.get_trajectory()
            if trajectory.end_date is not None:
                messages.error(
                    request,
                    gettext("This trajectory ended on %(end)s: no internship can be added to it any more.")
                    % {"end": trajectory.end_date.strftime("%d/%m/%Y")},
                )
                return redirect("trajectories:detail", pk=trajectory.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.trajectory = self.get_trajectory()
        return form

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = services.internship_save(form.instance)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("New internship for %(person)s") % {"person": self.get_trajectory().employee}
        context["cancel_url"] = reverse("trajectories:detail", args=[self.get_trajectory().pk])
        return context

    def get_success_url(self):
        return reverse("trajectories:detail", args=[self.get_trajectory().pk])


class InternshipUpdateView(ProposesOrganisations, CaseUpdateView):
    model = Internship
    roles = TRAJECTORY_USERS
    form_class = InternshipForm
    select_related = ("trajectory__employee", "host")

    def save_form(self, form):
        services.internship_save(form.instance)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse("trajectories:detail", args=[self.object.trajectory_id])


class InternshipHistoryView(HistoryView):
    model = Internship
    roles = ADMIN
