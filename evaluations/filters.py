"""Filters of the evaluation list and of the referral work queue."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import (
    CaseFilterSet,
    SearchFilter,
    age_band_filter,
    organisation_name_filter,
    province_filter,
    year_filter,
)
from employees.models import Instrument
from evaluations.constants import ReferralStatus
from evaluations.models import Advice, Evaluation, Referral


class EvaluationFilter(CaseFilterSet):
    q = SearchFilter(
        search_fields=("employee__first_name", "employee__last_name", "employee__insz", "employer__name"),
        label=_("Name, INSZ or employer"),
    )
    year = year_filter("evaluation_date", _("year of evaluation"))
    advice = django_filters.ModelChoiceFilter(queryset=Advice.objects.all(), label=_("advice"))
    instrument = django_filters.ModelChoiceFilter(queryset=Instrument.objects.all(), label=_("policy instrument"))
    province = province_filter("employer__province", _("employer province"))
    age_band = age_band_filter("age_years", _("age band at evaluation"))
    office = django_filters.CharFilter(field_name="office", lookup_expr="icontains", label=_("VDAB office"))

    class Meta:
        model = Evaluation
        fields = []


class ReferralFilter(CaseFilterSet):
    q = SearchFilter(
        search_fields=("employee__first_name", "employee__last_name", "employee__insz"), label=_("Name or INSZ")
    )
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label=_("status"))
    partner = organisation_name_filter("partner", _("partner"))
    year = year_filter("registered_on", _("year referred"))

    class Meta:
        model = Referral
        fields = []
