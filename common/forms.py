"""Form fields for identifiers that people type with separators.

A model's INSZ (11 digits) or KBO number (10 digits) is stored compact, but
people type "85.07.30-033.28" or "BE 0403.170.701". These fields strip the
separators before the length check and the validators run, and let the
browser take the longer typed form. Use them in every ModelForm:

    class Meta:
        field_classes = {"insz": INSZFormField}
"""

from django import forms

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
