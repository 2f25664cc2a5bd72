"""Table of the person list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from employees.models import Employee


class EmployeeTable(tables.Table):
    last_name = tables.Column(linkify=("employees:detail", {"pk": tables.A("pk")}))
    birth_date = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Employee
        fields = ("last_name", "first_name", "insz", "birth_date", "gender", "registered_on")
        attrs = {"class": "table table-striped table-hover"}
