"""Forms administrators use for organisations, grants and pilots, and the organisation field of every form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import CheckedModelForm, DateInput, KBOFormField
from common.validators import normalise_kbo
from partners.constants import OrganisationKind
from partners.models import Grant, Organisation, Pilot


class OrganisationField(forms.CharField):
    """An organisation typed by its KBO number or (part of) its name: never a dropdown of thousands.

    `kinds` limits which kinds of organisation may be chosen.
    """

    def __init__(self, *args, kinds=None, **kwargs):
        self.kinds = kinds
        kwargs.setdefault("help_text", _("Type the KBO number or the name (or a distinctive part of it)."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return value.name
        if isinstance(value, int):
            found = Organisation.objects.filter(pk=value).first()
            return found.name if found else ""
        return value

    def has_changed(self, initial, data):
        return (self.prepare_value(initial) or "") != (data or "").strip()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        queryset = Organisation.objects.all()
        if self.kinds:
            queryset = queryset.filter(kind__in=self.kinds)
        kbo = normalise_kbo(value)
        if kbo.isdigit() and len(kbo) == 10:
            match = queryset.filter(kbo_number=kbo).first()
            if match:
                return match
        exact = list(queryset.filter(name__iexact=value.strip())[:2])
        if len(exact) == 1:
            return exact[0]
        matches = list(queryset.filter(name__icontains=value.strip()).order_by("name")[:6])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                _(
                    "No organisation found for “%(value)s”. Check the name or type the KBO number; not in the "
                    "register yet? Propose it (the link below the form)."
                ),
                params={"value": value},
                code="not_found",
            )
        names = ", ".join(f"{m.name} ({m.kbo_number})" for m in matches[:5])
        raise ValidationError(
            _("Several organisations match “%(value)s”: %(names)s. Type more of the name or the KBO number."),
            params={"value": value, "names": names},
            code="ambiguous",
        )


class RegisteredOnForm(CheckedModelForm):
    """The registration date may be given (an organisation or grant registered earlier, elsewhere); left
    empty, it is today for a new record and stays as it was for an existing one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["registered_on"]
        field.required = False
        field.help_text = _("The day the register first held it. Left empty: today for a new record.")

    def clean_registered_on(self):
        given = self.cleaned_data.get("registered_on")
        if given is not None:
            return given
        return self.instance.registered_on if self.instance.pk else timezone.localdate()


class OrganisationForm(RegisteredOnForm):
    class Meta:
        model = Organisation
        fields = ["name", "kbo_number", "kind", "postcode", "registered_on"]
        widgets = {"registered_on": DateInput()}


class GrantForm(RegisteredOnForm):
    partner = OrganisationField(label=_("partner"), kinds=[OrganisationKind.PARTNER])

    class Meta:
        model = Grant
        fields = ["call", "partner", "year", "esf_amount", "flemish_amount", "spent_amount", "registered_on"]
        widgets = {"registered_on": DateInput()}


class PilotForm(CheckedModelForm):
    class Meta:
        model = Pilot
        fields = ["name", "sector", "start_date", "end_date", "results"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class OrganisationProposalForm(CheckedModelForm):
    """A partner adds an organisation not found in the register (partners.services.organisation_propose)."""

    class Meta:
        model = Organisation
        fields = ["kbo_number", "name", "postcode", "kind"]
        field_classes = {"kbo_number": KBOFormField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (OrganisationKind.REGULAR_EMPLOYER, OrganisationKind.REGULAR_EMPLOYER.label),
            (OrganisationKind.SE_EMPLOYER, OrganisationKind.SE_EMPLOYER.label),
        ]
        self.fields["kind"].initial = OrganisationKind.REGULAR_EMPLOYER
        self.fields["postcode"].required = True
        self.fields["kbo_number"].help_text = _(
            "The enterprise number from the KBO (kbopub.economie.fgov.be): 10 digits, the last two a check number."
        )


class OrganisationMergeForm(forms.Form):
    into = OrganisationField(
        label=_("merge into"),
        help_text=_("The existing organisation that replaces the proposed one: its KBO number or its name."),
    )
