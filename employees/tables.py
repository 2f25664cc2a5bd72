"""Table of the person list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.tables import INSZColumn
from employees.models import Employee, PersonLookup


class EmployeeTable(tables.Table):
    last_name = tables.Column(linkify=("employees:detail", {"pk": tables.A("pk")}))
    insz = INSZColumn()
    birth_date = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Employee
        fields = ("last_name", "first_name", "insz", "birth_date", "gender", "registered_on")
        attrs = {"class": "table table-striped table-hover"}


class PersonLookupTable(tables.Table):
    looked_up_at = tables.DateTimeColumn(format="d/m/Y H:i")
    organisation = tables.Column(order_by=("organisation__name",))
    insz = INSZColumn(verbose_name=_("INSZ number looked up"))

    class Meta:
        model = PersonLookup
        fields = ("looked_up_at", "user", "organisation", "insz", "found", "employee")
        attrs = {"class": "table table-striped table-hover"}
