"""Table of the person list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from audit.models import AccessEvent
from casework.tables import INSZColumn
from employees.models import Employee


class EmployeeTable(tables.Table):
    last_name = tables.Column(linkify=("employees:detail", {"pk": tables.A("pk")}))
    insz = INSZColumn()
    birth_date = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Employee
        fields = ("last_name", "first_name", "insz", "birth_date", "gender", "registered_on")
        attrs = {"class": "table table-striped table-hover"}


class AccessEventTable(tables.Table):
    occurred_at = tables.DateTimeColumn(format="d/m/Y H:i")
    organisation = tables.Column(order_by=("organisation__name",))
    employee = tables.Column(linkify=("employees:detail", {"pk": tables.A("employee_id")}), order_by=("employee_id",))
    insz = INSZColumn(verbose_name=_("INSZ number looked up"))

    class Meta:
        model = AccessEvent
        fields = (
            "occurred_at",
            "user",
            "role",
            "organisation",
            "action",
            "employee",
            "list_name",
            "export_format",
            "filters",
            "row_count",
            "insz",
        )
        attrs = {"class": "table table-striped table-hover"}
