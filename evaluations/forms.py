"""Forms for evaluations and referrals."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CheckedModelForm, DateInput
from evaluations.models import Advice, Evaluation
from partners.constants import OrganisationKind
from partners.forms import OrganisationField


class EvaluationForm(CheckedModelForm):
    employer = OrganisationField(
        label=_("employer"),
        required=False,
        help_text=_("The social-economy employer at the time of the evaluation (KBO number or name)."),
    )

    class Meta:
        model = Evaluation
        fields = ["evaluation_date", "advice", "employer", "instrument", "office", "notes", "registered_on"]
        widgets = {
            "evaluation_date": DateInput(),
            "registered_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        advice = Advice.objects.filter(active=True)
        if self.instance.pk and self.instance.advice_id:
            advice = Advice.objects.filter(active=True) | Advice.objects.filter(pk=self.instance.advice_id)
        self.fields["advice"].queryset = advice


class PartnerChoiceForm(forms.Form):
    partner = OrganisationField(
        label=_("partner organisation"),
        kinds=[OrganisationKind.PARTNER],
        help_text=_("The ESF transition partner: KBO number or name."),
    )
