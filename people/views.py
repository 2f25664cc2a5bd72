"""The person's page (state on a date and one timeline across the apps), the look-up by INSZ, and the
administrators' list of look-ups that led to no trajectory."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import as_partner, can, otp_enrolment_targets, sees_everything
from accounts.models import User
from accounts.roles import ADMIN, PERSON_READERS, TRAJECTORY_USERS, Role, role_of
from audit.constants import AccessAction
from audit.models import AccessEvent
from casework.views import CaseDetailView, CaseFormView, ReadOnlyRequestMixin, RecordsPersonAccess, RoleRequiredMixin
from employees.forms import PersonLookupForm, StateDateForm
from employees.models import Employee
from jobs import services as jobs
from people import data_quality, services
from people.models import DataQualitySnapshot
from people.retention import persons_anonymise
from people.tasks import anonymise_persons
from people.worklists import work_lists


class EmployeeDetailView(RecordsPersonAccess, CaseDetailView):
    model = Employee
    roles = PERSON_READERS
    template_name = "employees/employee_detail.html"
    access_action = AccessAction.PERSON_VIEWED

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = StateDateForm(self.request.GET or None)
        on = today
        if form.is_valid() and form.cleaned_data["on"]:
            on = form.cleaned_data["on"]
        context["today"] = today
        context["on"] = on
        context["state_form"] = form
        # The spells are read once, for the state and for the timeline.
        spells = services.visible_spells(employee=self.object, user=self.request.user)
        context["state"] = services.employee_current_state(employee=self.object, on=on, spells=spells)
        context["timeline"] = services.timeline(employee=self.object, user=self.request.user, spells=spells)
        return context


class PersonLookupView(CaseFormView):
    """A partner looks one person up by exact INSZ to start a trajectory; every look-up is recorded.

    Within a per-user limit per hour and per day (a refusal answers 429 with the form and a Dutch
    message, and is recorded too). The page shows only `services.lookup_result`: name and birth
    year, and a link to the person's page when the user may already open it; never the person itself.
    """

    roles = TRAJECTORY_USERS
    form_class = PersonLookupForm
    template_name = "employees/person_lookup.html"
    title = _("Look a person up by INSZ")

    def form_valid(self, form):
        # Not in CaseFormView's savepoint: a refusal is recorded, then reported, and must stay recorded.
        try:
            lookup = services.person_lookup(user=self.request.user, insz=form.cleaned_data["insz"])
        except services.LookupLimitReached as refusal:
            form.add_error(None, refusal.message)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if not lookup.found:
            messages.warning(self.request, gettext("No person with this INSZ number is registered."))
        result = services.lookup_result(lookup=lookup, user=self.request.user)
        context = self.get_context_data(form=self.form_class(), result=result)
        return render(self.request, self.template_name, context)


class LookupsWithoutTrajectoryView(ReadOnlyRequestMixin, RoleRequiredMixin, TemplateView):
    """Look-ups by INSZ that led to no trajectory of the person at the user's organisation, per user
    (administrators): the users with such look-ups, the latest first; for one user (?user=<id>) their
    look-ups, newest first. A partner farming numbers shows up here on the first day."""

    roles = ADMIN
    template_name = "employees/lookups_without_trajectory.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Look-ups without a trajectory")
        lookups = services.lookups_without_trajectory(AccessEvent.objects.visible_to(self.request.user))
        chosen = self.request.GET.get("user", "")
        user = User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 12 else None
        if user is not None:
            events = (
                lookups.filter(user=user).select_related("employee", "organisation").order_by("-occurred_at", "-id")
            )
            page = Paginator(events, self.paginate_by).get_page(self.request.GET.get("page"))
            context.update(chosen=user, page_obj=page, events=page.object_list)
            context["title"] = gettext("Look-ups without a trajectory by %(user)s") % {"user": user}
            return context
        rows = list(
            lookups.order_by()
            .values("user")
            .annotate(count=Count("id"), last=Max("occurred_at"))
            .order_by("-last", "user")
        )
        users = User.objects.in_bulk([row["user"] for row in rows])
        context["users"] = [{**row, "user": users[row["user"]]} for row in rows]
        return context


class DataQualityView(RoleRequiredMixin, TemplateView):
    """The records that make figures fall into `onbekend` or break a rule, per kind, each with the link that
    fixes it, and their counts over time. Partner staff see their organisation's; administrators every
    record, or (?organisation=<id>) what that partner's staff see, and today's counts per partner.

    Not read-only: when today's counts of the scope shown are missing, the page writes them.
    """

    roles = TRAJECTORY_USERS
    template_name = "people/data_quality.html"

    def _scope(self):
        """(the user whose view is shown, the organisation id of the counts, the organisation chosen)"""
        user = self.request.user
        if not sees_everything(user):
            return user, user.organisation_id, None
        chosen = self.request.GET.get("organisation", "")
        organisation = None
        if chosen.isdigit() and len(chosen) < 12:
            organisation = data_quality.partners().filter(pk=int(chosen)).first()
        if organisation is None:
            return user, None, None
        return as_partner(organisation.pk), organisation.pk, organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        viewer, organisation_id, chosen = self._scope()
        snapshots = DataQualitySnapshot.objects.visible_to(self.request.user)
        mine = snapshots.filter(day=today, organisation_id=organisation_id)
        if not mine.exists():
            data_quality.take_own_snapshot(today, viewer, organisation_id)
        context.update(
            title=gettext("Data quality"),
            chosen=chosen,
            kinds=data_quality.listing(viewer),
            kind_labels=[kind.label for kind in data_quality.KINDS],
            series=data_quality.series(self.request.user, organisation_id, until=today),
        )
        if sees_everything(self.request.user) and chosen is None:
            context["per_organisation"] = _per_organisation(snapshots.filter(day=today, organisation__isnull=False))
            context["organisations"] = data_quality.partners()
        return context


def _per_organisation(snapshots):
    """Today's counts of each partner (written by `snapshot_data_quality`), one row per organisation."""
    rows: dict = {}
    for snapshot in snapshots.select_related("organisation").order_by("organisation__name", "organisation_id"):
        rows.setdefault(snapshot.organisation, {})[snapshot.kind] = snapshot.count
    return [
        {"organisation": organisation, "counts": [found.get(kind.code) for kind in data_quality.KINDS]}
        for organisation, found in rows.items()
    ]


@login_required
def home(request):
    """Show the signed-in user the tasks of their role, with the work lists that wait for them."""
    role = role_of(request.user)
    template = {
        Role.EVALUATOR: "accounts/home_evaluator.html",
        Role.PARTNER_STAFF: "accounts/home_partner.html",
        Role.ADMINISTRATOR: "accounts/home_administrator.html",
        Role.ANALYST: "accounts/home_analyst.html",
    }.get(role, "accounts/home_no_role.html")
    context = {"role": role, "work_lists": work_lists(request.user)}
    if role == Role.ADMINISTRATOR:
        context["without_app"] = _administrators_without_app(request.user)
    return render(request, template, context)


def _administrators_without_app(user):
    """Other administrators who have not linked an authenticator app yet: they need an enrolment code."""

    linked = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return otp_enrolment_targets(user).filter(~Exists(linked))[:50]


@login_required
def retention(request):
    """Administrators: how many persons are past the retention period, and a button that anonymises them
    in the background (people/tasks.py), as the nightly `manage.py anonymise_persons` does."""
    if not can(request.user, "administer"):
        raise Http404
    if request.method == "POST":
        job = jobs.start(
            user=request.user,
            kind="retention",
            label=gettext("Anonymise the persons past the retention period"),
            task=anonymise_persons,
            parameters={"years": settings.DOORSTROOM_RETENTION_YEARS},
            source_url=request.path,
        )
        jobs.watch(request, job)
        messages.success(request, gettext("The persons are anonymised in the background."))
        return redirect(request.path)
    years = settings.DOORSTROOM_RETENTION_YEARS
    due = persons_anonymise(years=years, run_by="", dry_run=True)
    return render(request, "people/retention.html", {"years": years, "due": due})
