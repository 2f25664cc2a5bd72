"""Form parts shared by the forms of every app: identifier fields, date inputs,
an organisation typed by name or KBO number, and Bootstrap styling.

A model's INSZ (11 digits) or KBO number (10 digits) is stored compact, but
people type "85.07.30-033.28" or "BE 0403.170.701". These fields strip the
separators before the length check and the validators run, and let the
browser take the longer typed form. Use them in every ModelForm:

    class Meta:
        field_classes = {"insz": INSZFormField}
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.validators import normalise_insz, normalise_kbo


class NormalisedCharField(forms.CharField):
    """A CharField that normalises what was typed before it is validated."""

    typed_max_length = 20

    @staticmethod
    def normalise(value: str) -> str:
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if value else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["maxlength"] = str(self.typed_max_length)
        return attrs


class INSZFormField(NormalisedCharField):
    """An INSZ (national register or BIS number), typed with or without dots and dashes."""

    normalise = staticmethod(normalise_insz)


class KBOFormField(NormalisedCharField):
    """A KBO enterprise number, typed with or without 'BE', dots and spaces."""

    normalise = staticmethod(normalise_kbo)


class DateInput(forms.DateInput):
    """The browser's own date picker, keyboard-accessible, ISO value."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OrganisationField(forms.CharField):
    """An organisation typed by its KBO number or (part of) its name: never a dropdown of thousands.

    `kinds` limits which kinds of organisation may be chosen.
    """

    def __init__(self, *args, kinds=None, **kwargs):
        self.kinds = kinds
        kwargs.setdefault("help_text", _("Type the KBO number or the name (or a distinctive part of it)."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        from partners.models import Organisation

        if isinstance(value, Organisation):
            return value.name
        if isinstance(value, int):
            found = Organisation.objects.filter(pk=value).first()
            return found.name if found else ""
        return value

    def has_changed(self, initial, data):
        return (self.prepare_value(initial) or "") != (data or "").strip()

    def clean(self, value):
        from common.validators import normalise_kbo
        from partners.models import Organisation

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
            raise ValidationError(_("No organisation found for “%(value)s”. Check the name or type the KBO number."),
                                  params={"value": value}, code="not_found")
        names = ", ".join(f"{m.name} ({m.kbo_number})" for m in matches[:5])
        raise ValidationError(
            _("Several organisations match “%(value)s”: %(names)s. Type more of the name or the KBO number."),
            params={"value": value, "names": names},
            code="ambiguous",
        )


def style_form(form):
    """Give widgets Bootstrap classes and mark invalid fields for assistive technology."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if field.label:
            field.label = capfirst(field.label)
        if isinstance(widget, (forms.CheckboxInput,)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(widget, forms.CheckboxSelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            css = ""
        else:
            css = "form-control"
        if isinstance(widget, forms.DateInput) and not isinstance(widget, DateInput):
            field.widget = widget = DateInput(attrs=widget.attrs)
        existing = widget.attrs.get("class", "")
        if css and css not in existing:
            widget.attrs["class"] = f"{existing} {css}".strip()
        if form.is_bound and name in form.errors:
            widget.attrs["class"] += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form.auto_id % name if form.auto_id else name}_errors"
        elif field.help_text:
            widget.attrs["aria-describedby"] = f"{form.auto_id % name if form.auto_id else name}_help"
    return form
