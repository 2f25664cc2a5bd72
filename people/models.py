"""The daily counts of the data-quality page (people.data_quality), kept to show them over time."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import ADMIN
from people.constants import DataQualityKind


class DataQualitySnapshotQuerySet(ScopedQuerySet):
    # Administrators see every organisation's counts and the total; partner staff their organisation's.
    scope = Scope(sees_all=ADMIN, partner="organisation_id")


class DataQualitySnapshot(models.Model):
    """How many records of one kind broke a rule on one day, for one organisation or (null) for all."""

    day = models.DateField(_("day"))
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every organisation together."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DataQualityKind.choices)
    count = models.PositiveIntegerField(_("count"))

    objects = DataQualitySnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-quality count")
        verbose_name_plural = _("data-quality counts")
        ordering = ["-day", "kind"]
        # One row per day, organisation (or none: the total) and kind: `people.data_quality` replaces a
        # day's rows in one transaction rather than a unique constraint (an empty organisation is the total,
        # and NULLs are distinct in a unique index).
        indexes = [models.Index(fields=["organisation", "day"], name="people_dataquality_org_day_idx")]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.kind}: {self.count}"
