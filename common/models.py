"""Abstract base models shared by the apps."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_not_future


class TimeStampedModel(models.Model):
    """Adds when the row was created and last changed in this application."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


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

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language (Dutch unless English was chosen)."""
        from django.utils.translation import get_language

        return self.label_en if (get_language() or "nl").startswith("en") else self.label_nl
