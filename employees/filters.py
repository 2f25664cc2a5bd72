"""Filters of the person list."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import ALL, CaseFilterSet, AgeBand, SearchFilter, year_filter
from employees.constants import Gender
from employees.models import Employee, PersonLookup


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class EmployeeFilter(CaseFilterSet):
    q = SearchFilter(search_fields=("first_name", "last_name", "insz"), label=_("Name or INSZ"))
    age_band = django_filters.ChoiceFilter(label=_("age band (today)"), choices=AgeBand.CHOICES, method="filter_age_band")
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("gender"))
    registered = year_filter("registered_on", _("registered in (year)"))

    class Meta:
        model = Employee
        fields = []

    def filter_age_band(self, queryset, name, value):
        today = timezone.localdate()
        if value == "unknown":
            return queryset.filter(birth_date__isnull=True)
        if value == "lt25":
            return queryset.filter(birth_date__gt=_years_ago(today, 25))
        if value == "25-54":
            return queryset.filter(birth_date__lte=_years_ago(today, 25), birth_date__gt=_years_ago(today, 55))
        return queryset.filter(birth_date__lte=_years_ago(today, 55))


class PersonLookupFilter(CaseFilterSet):
    q = SearchFilter(search_fields=("insz", "user__username", "user__last_name", "organisation__name"),
                     label=_("INSZ, user or organisation"))
    found = django_filters.BooleanFilter(
        label=_("found"), widget=forms.Select(choices=[("", ALL), ("true", _("yes")), ("false", _("no"))])
    )
    year = year_filter("looked_up_at", _("year"))

    class Meta:
        model = PersonLookup
        fields = []
