"""Forms administrators use for organisations, grants and pilots."""

from django import forms

from common.forms import CheckedModelForm, DateInput, OrganisationField
from partners.constants import OrganisationKind
from partners.models import Grant, Organisation, Pilot
from django.utils.translation import gettext_lazy as _


class OrganisationForm(CheckedModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kbo_number", "kind", "postcode"]


class GrantForm(CheckedModelForm):
    partner = OrganisationField(label=_("partner"), kinds=[OrganisationKind.PARTNER])

    class Meta:
        model = Grant
        fields = ["call", "partner", "year", "esf_amount", "flemish_amount", "spent_amount"]


class PilotForm(CheckedModelForm):
    class Meta:
        model = Pilot
        fields = ["name", "sector", "start_date", "end_date", "results"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
