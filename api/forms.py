"""The screens' forms as the API's validation: the same fields, rules and messages (Dutch, or English
for a user who chose it), fed from a JSON object; and, for the schema, a serializer describing each form.

Reference lists are named by their stable code in the API (an end reason "job_regular", an advice,
an instrument), a call by its number, an organisation by its KBO number (or name), as on the screens.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from api.problems import field_errors
from partners.forms import OrganisationField

# The natural key a client names a reference list's entry by, instead of a database id.
NATURAL_KEYS = ("code", "number")


def natural_key(model) -> str | None:
    names = {field.name for field in model._meta.concrete_fields}
    return next((name for name in NATURAL_KEYS if name in names), None)


def for_api(form: forms.BaseForm) -> forms.BaseForm:
    """Let the form's reference-list fields take the entry's code (or number) instead of its id."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            key = natural_key(field.queryset.model)
            if key is not None:
                field.to_field_name = key
    return form


def payload(data) -> dict:
    """The JSON object as a form's data: null is an empty field."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return {str(key): "" if value is None else value for key, value in data.items()}


def bind(form_class, data, **kwargs) -> forms.BaseForm:
    return for_api(form_class(data=payload(data), **kwargs))


def bind_changes(form_class, data, *, instance, **kwargs) -> forms.BaseForm:
    """A form for a partial change (PATCH): the record's values, with those sent replacing them."""
    current = for_api(form_class(instance=instance, **kwargs))
    values = {}
    for name, field in current.fields.items():
        value = current[name].value()
        if isinstance(field, forms.ModelChoiceField) and field.to_field_name and value not in (None, ""):
            value = getattr(field.queryset.model.objects.filter(pk=value).first(), field.to_field_name, value)
        values[name] = "" if value is None else value
    return for_api(form_class(data={**values, **payload(data)}, instance=instance, **kwargs))


def errors_of(error: DjangoValidationError) -> dict:
    """A service's ValidationError as messages by field."""
    if hasattr(error, "error_dict"):
        return field_errors(error.message_dict)
    return {"non_field_errors": [str(message) for message in error.messages]}


# --- the schema: a serializer that describes a form (never used to validate) --------------------


def _describe(field: forms.Field) -> serializers.Field:
    options = {"required": field.required, "help_text": str(field.help_text or field.label or "") or None}
    if not field.required:
        options["allow_null"] = True
    if isinstance(field, forms.BooleanField):
        options.pop("allow_null", None)
        return serializers.BooleanField(**options)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**options)
    if isinstance(field, forms.ModelChoiceField):
        key = natural_key(field.queryset.model)
        if key is None:
            return serializers.IntegerField(**options)
        return serializers.CharField(**options)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(**options)
    if isinstance(field, forms.ChoiceField):
        choices = [value for value, _label in field.choices if value != ""]
        if not field.required:
            options["allow_blank"] = True
        return serializers.ChoiceField(choices=choices, **options)
    if isinstance(field, OrganisationField):
        options["help_text"] = "KBO number (or the name) of the organisation."
    if not field.required:
        options["allow_blank"] = True
    if getattr(field, "max_length", None):
        options["max_length"] = field.max_length
    return serializers.CharField(**options)


def form_serializer(name: str, form: forms.BaseForm, extra: dict | None = None) -> type[serializers.Serializer]:
    """A serializer class named `name` with one field per field of the form instance (plus `extra`)."""
    fields = {field_name: _describe(field) for field_name, field in for_api(form).fields.items()}
    fields.update(extra or {})
    return type(name, (serializers.Serializer,), fields)
