"""Filters of the person list."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.constants import AccessAction
from audit.models import AccessEvent
from common import age_bands
from common.filters import CaseFilterSet, SearchFilter, year_filter
from employees.constants import Gender
from employees.models import Employee


class EmployeeFilter(CaseFilterSet):
    q = SearchFilter(search_fields=("first_name", "last_name", "insz"), label=_("Name or INSZ"))
    age_band = django_filters.ChoiceFilter(
        label=_("age band (today)"), choices=age_bands.DEFAULT.choices(), method="filter_age_band"
    )
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("gender"))
    registered = year_filter("registered_on", _("registered in (year)"))

    class Meta:
        model = Employee
        fields = []

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(age_bands.DEFAULT.birth_date_q("birth_date", value, timezone.localdate()))


class AccessEventFilter(CaseFilterSet):
    """The access log's filters: who, which action, between which days."""

    user = django_filters.CharFilter(method="filter_user", label=_("user"))
    action = django_filters.ChoiceFilter(choices=AccessAction.choices, label=_("action"))
    since = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label=_("until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AccessEvent
        fields = []

    def filter_user(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(user__username__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
        return queryset
