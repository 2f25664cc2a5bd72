"""Persons: the list, a person's page with their timeline, edits, jobs and a partner's look-up by INSZ."""

from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from accounts.roles import ADMIN, EVALUATION_WRITERS, PERSON_READERS, TRAJECTORY_USERS
from audit.constants import AccessAction
from audit.models import AccessEvent
from casework.views import (
    CaseCreateView,
    CaseListView,
    CaseUpdateView,
    HistoryView,
    RecordsPersonAccess,
    RoleRequiredMixin,
)
from employees.filters import AccessEventFilter, EmployeeFilter
from employees.forms import (
    EmployeeForm,
    EmploymentForm,
)
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
            self._employee = get_object_or_404(
                Employee.objects.visible_to(self.request.user), pk=self.kwargs["employee_pk"]
            )
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
