"""Filters of the organisation, grant and pilot lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from common.filters import CaseFilterSet, SearchFilter, organisation_name_filter, province_filter, year_filter
from partners.constants import OrganisationKind
from partners.models import Call, Grant, Organisation, Pilot


class OrganisationFilter(CaseFilterSet):
    q = SearchFilter(search_fields=("name", "kbo_number"), label=_("Name or KBO number"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("kind"))
    province = province_filter("province")

    class Meta:
        model = Organisation
        fields = []


class GrantFilter(CaseFilterSet):
    partner = organisation_name_filter("partner", _("partner"))
    call = django_filters.ModelChoiceFilter(queryset=Call.objects.all(), label=_("call"))
    year = year_filter("year", _("year"), lookup_expr="exact")

    class Meta:
        model = Grant
        fields = []


class PilotFilter(CaseFilterSet):
    q = SearchFilter(search_fields=("name", "sector", "organisations__name"), label=_("Name, sector or organisation"))
    year = year_filter("start_date", _("start year"))

    class Meta:
        model = Pilot
        fields = []

    @property
    def qs(self):
        return super().qs.distinct()
