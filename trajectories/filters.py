"""Filters of the trajectory and internship lists."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import (
    ALL,
    CaseFilterSet,
    SearchFilter,
    age_band_filter,
    organisation_name_filter,
    province_filter,
    year_filter,
)
from common.forms import DateInput
from employees.models import Instrument
from trajectories.constants import InternshipOutcome
from trajectories.models import EndReason, Internship, Trajectory

STATUS_CHOICES = [
    ("running", _("running")),
    ("ended", _("ended")),
    ("not_started", _("not started yet")),
]


class TrajectoryFilter(CaseFilterSet):
    q = SearchFilter(
        search_fields=(
            "employee__first_name",
            "employee__last_name",
            "employee__insz",
            "partner__name",
            "se_employer__name",
        ),
        label=_("Name, INSZ or organisation"),
    )
    year = year_filter("start_date", _("start year"))
    partner = organisation_name_filter("partner", _("partner"))
    province = province_filter("se_employer__province", _("employer province"))
    instrument = django_filters.ModelChoiceFilter(queryset=Instrument.objects.all(), label=_("policy instrument"))
    age_band = age_band_filter("age_years", _("age band at start"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label=_("status"), method="filter_status")
    on = django_filters.DateFilter(label=_("status on (date)"), method="keep", widget=DateInput())
    with_internship = django_filters.BooleanFilter(
        label=_("with an internship"),
        method="filter_with_internship",
        widget=forms.Select(choices=[("", ALL), ("true", _("yes")), ("false", _("no"))]),
    )
    end_reason = django_filters.ModelChoiceFilter(queryset=EndReason.objects.all(), label=_("end reason"))

    class Meta:
        model = Trajectory
        fields = []

    def keep(self, queryset, name, value):
        # `on` only qualifies the status filter.
        return queryset

    def filter_status(self, queryset, name, value):
        on = self.form.cleaned_data.get("on") or timezone.localdate()
        if value == "not_started":
            return queryset.filter(start_date__gt=on)
        if value == "ended":
            return queryset.filter(end_date__lt=on)
        return queryset.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))

    def filter_with_internship(self, queryset, name, value):
        has = Exists(Internship.objects.filter(trajectory=OuterRef("pk")))
        return queryset.filter(has) if value else queryset.exclude(has)


class InternshipFilter(CaseFilterSet):
    q = SearchFilter(
        search_fields=(
            "trajectory__employee__first_name",
            "trajectory__employee__last_name",
            "trajectory__employee__insz",
            "host__name",
        ),
        label=_("Name, INSZ or host"),
    )
    year = year_filter("start_date", _("start year"))
    partner = organisation_name_filter("trajectory__partner", _("partner"))
    sector = django_filters.CharFilter(field_name="sector", lookup_expr="icontains", label=_("sector"))
    outcome = django_filters.ChoiceFilter(choices=InternshipOutcome.choices, label=_("outcome"))
    province = province_filter("host__province", _("host province"))

    class Meta:
        model = Internship
        fields = []
