"""Forms for persons, their employment spells and a partner's look-up by INSZ."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import CheckedModelForm, DateInput, INSZFormField, style_form
from common.validators import normalise_insz, validate_insz
from employees.models import Employee, Employment, Instrument
from partners.forms import OrganisationField


class EmployeeForm(CheckedModelForm):
    """A person. The INSZ is no column (it is stored encrypted and hashed): the form reads and writes
    `Employee.insz` and checks for a duplicate through the keyed hash."""

    insz = INSZFormField(
        label=_("INSZ number"), max_length=11, help_text=_("National register or BIS number: 11 digits.")
    )

    class Meta:
        model = Employee
        fields = ["first_name", "last_name", "birth_date", "gender", "registered_on"]
        widgets = {"birth_date": DateInput(), "registered_on": DateInput()}

    field_order = ["insz", "first_name", "last_name", "birth_date", "gender", "registered_on"]
    constraint_field_for = {"insz_digest": "insz"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.insz_encrypted:
            self.initial.setdefault("insz", self.instance.insz)

    def clean_insz(self):
        number = self.cleaned_data["insz"]
        try:
            validate_insz(number)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        if Employee.objects.with_insz(number).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("The %(field_label)s %(value)s is already registered for another %(model_name)s."),
                code="unique",
                params={"field_label": _("INSZ number"), "value": number, "model_name": Employee._meta.verbose_name},
            )
        return number

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("insz")  # checked above, once
        return exclusions

    def _post_clean(self):
        # The model's own rules (the birth date the INSZ encodes) read the new number.
        if self.cleaned_data.get("insz"):
            self.instance.insz = self.cleaned_data["insz"]
        super()._post_clean()


class EmploymentForm(CheckedModelForm):
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
