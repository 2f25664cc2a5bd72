"""Abstract base models shared by the apps."""

import functools

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.history import HistoryQuerySet
from common.validators import validate_not_future


class TimeStampedModel(models.Model):
    """Adds when the row was created and last changed in this application."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Bulk writes only with their history (common.history); models with their own queryset subclass it.
    objects = HistoryQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        """Put a period that ends before it starts on the end field, with a message naming it.

        The database constraints (`*_end_after_start`) hold the same rule where
        the ORM's validation is skipped; their message would not name a field.
        """
        super().clean()
        errors = {}
        for start_field, end_field, message in _date_ranges_of(type(self)):
            start, end = getattr(self, start_field), getattr(self, end_field)
            if start is not None and end is not None and end < start:
                errors[end_field] = ValidationError(
                    message, code="end_before_start", params={"start": start.strftime("%d/%m/%Y")}
                )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        """As Django does, but put the message of a check on one field (year, ESF share...) on that field.

        Django puts every CheckConstraint message among the form's general
        errors; a check that reads one field belongs next to that field.
        """
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = _single_field(constraint)
                    if field is not None:
                        errors.setdefault(field, []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        """Name the field and the value that is taken (an INSZ, a KBO number...) in the duplicate message."""
        if len(unique_check) != 1:
            return super().unique_error_message(model_class, unique_check)
        field = model_class._meta.get_field(unique_check[0])
        return ValidationError(
            _("The %(field_label)s %(value)s is already registered for another %(model_name)s."),
            code="unique",
            params={
                "field_label": field.verbose_name,
                "value": getattr(self, field.attname),
                "model_name": model_class._meta.verbose_name,
                "model": self,
                "model_class": model_class,
                "unique_check": unique_check,
            },
        )


def date_ranges():
    """The (start field, end field, message) pairs checked on every model that has both fields."""
    return [
        ("start_date", "end_date", _("The end date cannot lie before the start date (%(start)s).")),
        ("valid_from", "valid_until", _("'Valid until' cannot lie before 'valid from' (%(start)s).")),
    ]


@functools.cache
def _date_ranges_of(model) -> list:
    """The date ranges of `date_ranges` the model has both fields of, worked out once per model: clean()
    runs for every record an import checks, and a model's fields do not change while the program runs.
    (The messages are lazy: each is translated when shown.)"""
    return [r for r in date_ranges() if _has_field(model, r[0]) and _has_field(model, r[1])]


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class RegisteredModel(TimeStampedModel):
    """A case record with the date it was first registered at its source.

    Reports read the register as it stood on a day (`known_at`): a record
    counts only once it was registered. Records imported from another system
    keep their original registration date.
    """

    registered_on = models.DateField(
        _("registered on"),
        default=timezone.localdate,
        validators=[validate_not_future],
        help_text=_("The date the record was first registered at its source."),
    )

    class Meta:
        abstract = True


def source_id_field():
    """The record's own identifier in the system it was imported from (the `source_id` column of every
    import file): a re-imported row with it updates that record, whatever else the row corrects."""
    return models.CharField(
        _("source identifier"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("The record's own identifier in the system it was imported from; empty when not known."),
    )


def source_id_unique(app_model: str):
    """At most one record per source identifier; records without one are not compared."""
    return models.UniqueConstraint(
        fields=["source_id"],
        condition=~Q(source_id=""),
        name=f"{app_model}_source_id_unique",
        violation_error_message=_("Another record already has this source identifier."),
    )


class ManagedListItem(models.Model):
    """An entry of a list that administrators manage (advices, end reasons...).

    `code` is stable and used by the application's rules; the labels are
    what users see, in Dutch and English.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label_nl = models.CharField(_("Dutch label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive entries cannot be chosen any more."))

    objects = HistoryQuerySet.as_manager()
    # The fields __str__ reads (the label of either language): an export reads only these for a
    # related record's text (common/export.py).
    STR_FIELDS = ("label_nl", "label_en")

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language (Dutch unless English was chosen)."""

        return self.label_en if (get_language() or "nl").startswith("en") else self.label_nl


def _single_field(constraint) -> str | None:
    """The one field a constraint is about, or None when it reads several (or is not a plain Q)."""
    if isinstance(constraint, models.UniqueConstraint):
        return constraint.fields[0] if len(constraint.fields) == 1 else None
    condition = getattr(constraint, "condition", None)
    if not isinstance(condition, Q):
        return None
    names = _fields_read_by(condition)
    return names.pop() if len(names) == 1 else None


def _fields_read_by(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _fields_read_by(child)
            continue
        lookup, value = child
        names.add(lookup.split("__")[0])
        if isinstance(value, F):
            names.add(value.name.split("__")[0])
    return names
