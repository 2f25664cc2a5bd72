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
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
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
    """A date written dd/mm/yyyy, as a Belgian writes it, whatever the browser's language.

    The browser's own date picker (type="date") follows the browser's language, not the page's:
    in an English browser it shows and takes dates month first (02/11/2015 for 11 February), and
    typing 06071984 into it in Chromium gave 7 June (issue 15). A plain text field shows the date
    dd/mm/yyyy, says the order in its placeholder and reads what was typed by DATE_INPUT_FORMATS
    (config/formats/: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and yyyy-mm-dd). It is a text
    field for every assistive technology, with its label and, when wrong, its message.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {"inputmode": "numeric", "autocomplete": "off", "placeholder": _("dd/mm/yyyy"), **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


# The empty choice of every select, instead of Django's "---------" (settings.FILTERS_EMPTY_CHOICE_LABEL
# says the same for the filters).
EMPTY_LABEL = _("— choose —")
DJANGO_EMPTY_LABEL = "---------"


def _name_the_empty_choice(field):
    """Replace Django's "---------" by EMPTY_LABEL, in a model choice field and in a field with choices."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = EMPTY_LABEL
        return
    choices = getattr(field, "choices", None)
    if isinstance(field, forms.ChoiceField) and choices and choices[0] == ("", DJANGO_EMPTY_LABEL):
        field.choices = [("", EMPTY_LABEL), *choices[1:]]


def style_form(form):
    """Give widgets Bootstrap classes and mark invalid fields for assistive technology.

    Labels start with a capital, also on a form that comes back with errors: validating it made
    its bound fields (which copy the label) before this ran, so they get the new label too.
    """
    bound_fields = getattr(form, "_bound_fields_cache", {})
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if field.label:
            field.label = capfirst(field.label)
            if name in bound_fields:
                bound_fields[name].label = field.label
        _name_the_empty_choice(field)
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput,)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            css = ""
        else:
            css = "form-control"
        if isinstance(widget, forms.DateInput) and not isinstance(widget, DateInput):
            attrs = {key: value for key, value in widget.attrs.items() if key != "type"}
            field.widget = widget = DateInput(attrs=attrs)
        existing = widget.attrs.get("class", "")
        if css and css not in existing:
            widget.attrs["class"] = f"{existing} {css}".strip()
        # The ids casework/_form_fields.html gives the errors and the help text (Django's own suffix
        # for the help, which it also names by itself where no description is set).
        field_id = form.auto_id % name if form.auto_id else name
        described_by = [f"{field_id}_helptext"] if field.help_text else []
        if form.is_bound and name in form.errors:
            widget.attrs["class"] += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
            described_by.insert(0, f"{field_id}_errors")
        if described_by:
            widget.attrs["aria-describedby"] = " ".join(described_by)
    return form


class CheckedModelForm(forms.ModelForm):
    """A ModelForm that checks every unique rule of its model, also those on fields the view sets.

    Django's ModelForm leaves out of its unique checks every model field that is
    not a form field. A view that sets the trajectory of a new internship (or the
    person of a new job) on `form.instance` thus saved a duplicate straight into
    the database's UniqueConstraint: an IntegrityError and a 500 (issue 12,
    item 6). Here the fields the view set count as well: a unique field, a
    `unique_together` or a UniqueConstraint that reads one of them is checked
    after Django's own checks. The message of a broken UniqueConstraint goes on
    the form field the user can change (the last one of the rule that is in the
    form; Django would put a rule of several fields above the form), in the
    user's language. docs/security.md, row 12.6; tests/test_form_constraints.py walks
    every ModelForm.

    `constraint_field_for` names the form field a model field is typed in when
    the names differ (EmployeeForm: the INSZ digest is typed as `insz`).
    """

    constraint_field_for: dict[str, str] = {}

    def _set_by_view(self, exclude) -> set[str]:
        """The model fields that are no form field but hold a value on the instance."""
        names = set()
        for field in self.instance._meta.concrete_fields:
            if field.primary_key or field.name in self.fields or field.name not in exclude:
                continue
            if getattr(self.instance, field.attname) is not None:
                names.add(field.name)
        return names

    def _field_for(self, names) -> str | None:
        in_form = [self.constraint_field_for.get(name, name) for name in names]
        in_form = [name for name in in_form if name in self.fields]
        return in_form[-1] if in_form else None

    def validate_unique(self):
        super().validate_unique()
        exclude = self._get_validation_exclusions()
        set_by_view = self._set_by_view(exclude)
        if not set_by_view:
            return
        exclude -= set_by_view
        instance = self.instance
        # Unique fields and unique_together that read a field the view set: Django skipped them.
        unique_checks, _date_checks = instance._get_unique_checks(exclude=exclude)
        for model_class, check in unique_checks:
            if not set(check) & set_by_view:
                continue
            for found in instance._perform_unique_checks([(model_class, check)]).values():
                self._add_once(self._field_for(check), ValidationError(found))
        # UniqueConstraints (Model.full_clean skipped those that read an excluded field).
        using = router.db_for_write(type(instance), instance=instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if not isinstance(constraint, models.UniqueConstraint) or not set(constraint.fields) & set_by_view:
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as error:
                    self._add_once(self._field_for(constraint.fields), error)

    def _add_once(self, field, error: ValidationError):
        """Add the messages the field does not show yet (the form's own check may have said the same)."""
        shown = set(self._errors.get(field or NON_FIELD_ERRORS, []))
        new = [e for e in error.error_list if not set(e.messages) <= shown]
        if new:
            self.add_error(field, ValidationError(new))

    def _post_clean(self):
        super()._post_clean()
        self._put_rule_messages_on_fields()

    def _put_rule_messages_on_fields(self):
        """Move the message of a UniqueConstraint that Django put above the form onto its field."""
        general = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        if not general:
            return
        field_by_message = {}
        for _model_class, constraints in self.instance.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                    field = self._field_for(constraint.fields)
                    if field is not None:
                        field_by_message[str(constraint.get_violation_error_message())] = field
        keep, move = [], []
        for error in general.as_data():
            field = field_by_message.get(error.messages[0]) if len(error.messages) == 1 else None
            (move if field else keep).append((field, error))
        if not move:
            return
        if keep:
            self._errors[NON_FIELD_ERRORS] = self.error_class(
                [error for _field, error in keep], error_class="nonfield", renderer=self.renderer
            )
        else:
            del self._errors[NON_FIELD_ERRORS]
        for field, error in move:
            self.add_error(field, error)
