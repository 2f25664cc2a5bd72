"""Persons: the list, a person's page with their timeline, edits, jobs and a partner's look-up by INSZ."""

from django.contrib import messages
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from accounts.roles import ADMIN, EVALUATION_WRITERS, PERSON_READERS, TRAJECTORY_USERS
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
from employees import services
from audit.services import record_access
from audit.constants import AccessAction
from employees.filters import AccessEventFilter, EmployeeFilter
from employees.forms import (
    EmployeeForm,
    EmploymentForm,
    PersonLookupForm,
    StateDateForm,
)
from audit.models import AccessEvent
from employees.models import Employee, Employment
from employees.tables import AccessEventTable, EmployeeTable


class EmployeeListView(CaseListView):
    model = Employee
    roles = PERSON_READERS
    table_class = EmployeeTable
    filterset_class = EmployeeFilter
    create_url = reverse_lazy("employees:create")
    create_roles = EVALUATION_WRITERS
    create_label = _("New person")


class RecordsPersonAccess:
    """A page that shows one person: each opening goes into the access log (a 404 records nothing)."""

    access_action: AccessAction

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_access(user=request.user, action=self.access_action, employee=self.object)
        return response


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
        context["state"] = services.employee_current_state(employee=self.object, on=on)
        context["timeline"] = services.timeline(employee=self.object, user=self.request.user)
        return context


class EmployeeCreateView(CaseCreateView):
    model = Employee
    roles = EVALUATION_WRITERS
    form_class = EmployeeForm
    success_message = _("The person was registered.")
    cancel_url = reverse_lazy("employees:list")

    def get_success_url(self):
        return reverse("employees:detail", args=[self.object.pk])


class EmployeeUpdateView(CaseUpdateView):
    model = Employee
    roles = EVALUATION_WRITERS
    form_class = EmployeeForm

    def get_success_url(self):
        return reverse("employees:detail", args=[self.object.pk])


class EmployeeHistoryView(RecordsPersonAccess, HistoryView):
    model = Employee
    roles = ADMIN
    # Every version of the person's identity is on this page: as much an opening of the person as the page itself.
    access_action = AccessAction.HISTORY_VIEWED


class EmploymentCreateView(CaseCreateView):
    """Record a job, for instance the one that followed a trajectory."""

    model = Employment
    roles = TRAJECTORY_USERS
    form_class = EmploymentForm
    success_message = _("The job was recorded.")

    def get_employee(self):
        if not hasattr(self, "_employee"):
            self._employee = get_object_or_404(Employee.objects.visible_to(self.request.user), pk=self.kwargs["employee_pk"])
        return self._employee

    def get(self, request, *args, **kwargs):
        self.get_employee()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_employee()
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.employee = self.get_employee()
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext("New job for %(person)s") % {"person": self.get_employee()}
        context["cancel_url"] = reverse("employees:detail", args=[self.get_employee().pk])
        return context

    def get_success_url(self):
        return reverse("employees:detail", args=[self.get_employee().pk])


class EmploymentUpdateView(CaseUpdateView):
    model = Employment
    roles = TRAJECTORY_USERS
    form_class = EmploymentForm
    select_related = ("employee", "employer")

    def get_success_url(self):
        return reverse("employees:detail", args=[self.object.employee_id])


class EmploymentHistoryView(HistoryView):
    model = Employment
    roles = ADMIN


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


class AccessLogView(CaseListView):
    """The access log: every person page opened, every list exported, every look-up by INSZ (administrators)."""

    model = AccessEvent
    roles = ADMIN
    select_related = ("user", "organisation", "employee")
    table_class = AccessEventTable
    filterset_class = AccessEventFilter


class EmployeeAccessView(RoleRequiredMixin, ListView):
    """Who looked at this person: every access event that names them, newest first (administrators)."""

    roles = ADMIN
    template_name = "employees/employee_access.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):
        self.employee = get_object_or_404(Employee.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        return (
            AccessEvent.objects.visible_to(self.request.user)
            .filter(employee=self.employee)
            .select_related("user", "organisation")
            .order_by("-occurred_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["employee"] = self.employee
        context["title"] = gettext("Who looked at %(person)s") % {"person": self.employee}
        return context


class LookupsWithoutTrajectoryView(ReadOnlyRequestMixin, RoleRequiredMixin, TemplateView):
    """Look-ups by INSZ that led to no trajectory of the person at the user's organisation, per user
    (administrators): the users with such look-ups, the latest first; for one user (?user=<id>) their
    look-ups, newest first. A partner farming numbers shows up here on the first day."""

    roles = ADMIN
    template_name = "employees/lookups_without_trajectory.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        from accounts.models import User

        context = super().get_context_data(**kwargs)
        context["title"] = gettext("Look-ups without a trajectory")
        lookups = services.lookups_without_trajectory(AccessEvent.objects.visible_to(self.request.user))
        chosen = self.request.GET.get("user", "")
        user = User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 12 else None
        if user is not None:
            events = lookups.filter(user=user).select_related("employee", "organisation").order_by("-occurred_at", "-id")
            page = Paginator(events, self.paginate_by).get_page(self.request.GET.get("page"))
            context.update(chosen=user, page_obj=page, events=page.object_list)
            context["title"] = gettext("Look-ups without a trajectory by %(user)s") % {"user": user}
            return context
        rows = list(
            lookups.order_by().values("user").annotate(count=Count("id"), last=Max("occurred_at")).order_by("-last", "user")
        )
        users = User.objects.in_bulk([row["user"] for row in rows])
        context["users"] = [{**row, "user": users[row["user"]]} for row in rows]
        return context

