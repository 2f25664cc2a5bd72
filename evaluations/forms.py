"""Forms for evaluations and referrals."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CheckedModelForm, DateInput
from evaluations.models import Advice, DeclineReason, Evaluation
from evaluations.services import partners_for_referral
from partners.forms import OrganisationField
from partners.models import Organisation

CHOOSE = _("— choose —")


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
    """A partner chosen from those with a grant of a call running on the day (a select, with a search
    box that static/js/doorstroom.js adds over any select marked `data-filter`), never free text."""

    partner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("partner organisation"),
        empty_label=CHOOSE,
        help_text=_("The partners with a grant of a call that runs today. Type part of a name to filter the list."),
        widget=forms.Select(attrs={"data-filter": _("Search a partner")}),
        error_messages={"invalid_choice": _("Choose a partner from the list.")},
    )

    def __init__(self, *args, on, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_for_referral(on=on).exclude(pk__in=list(exclude))


class DeclineForm(forms.Form):
    decline_reason = forms.ModelChoiceField(
        queryset=DeclineReason.objects.filter(active=True),
        label=_("reason for declining"),
        empty_label=CHOOSE,
        error_messages={"invalid_choice": _("Choose a reason from the list.")},
    )
    answer_note = forms.CharField(
        label=_("explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you choose 'other'. The evaluator reads it."),
    )


class WithdrawForm(forms.Form):
    withdrawal_reason = forms.CharField(
        label=_("reason for withdrawing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The partner and the administrators read it."),
    )
