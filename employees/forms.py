"""Forms for persons, their employment spells and a partner's look-up by INSZ."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, OrganisationField, style_form
from common.validators import normalise_insz, validate_insz
from employees.models import Employee, Employment, Instrument


class EmployeeForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = ["insz", "first_name", "last_name", "birth_date", "gender", "registered_on"]
        widgets = {"birth_date": DateInput(), "registered_on": DateInput()}


class EmploymentForm(forms.ModelForm):
    """An employment spell: a regular job when no instrument is chosen, a social-economy job otherwise."""

    employer = OrganisationField(label=_("employer"))

    class Meta:
        model = Employment
        fields = ["employer", "instrument", "start_date", "end_date", "with_support_package"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.all()
        self.fields["instrument"].empty_label = _("none: a job in the regular economy")


class PersonLookupForm(forms.Form):
    insz = forms.CharField(
        label=_("INSZ number"),
        max_length=20,
        help_text=_("The exact national register number (11 digits). Only an exact match is shown."),
    )

    def clean_insz(self):
        value = normalise_insz(self.cleaned_data["insz"])
        try:
            validate_insz(value)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return value


class StateDateForm(forms.Form):
    """The date on which the person's page shows where the person stands (GET, default today)."""

    on = forms.DateField(label=_("Situation on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
