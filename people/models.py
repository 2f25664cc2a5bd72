"""The daily counts of the data-quality page (people.data_quality), kept to show them over time."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import ADMIN


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
    kind = models.CharField(_("kind"), max_length=40)
    count = models.PositiveIntegerField(_("count"))

    objects = DataQualitySnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-quality count")
        verbose_name_plural = _("data-quality counts")
        ordering = ["-day", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organisation", "kind"],
                condition=Q(organisation__isnull=False),
                name="people_dataquality_one_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["day", "kind"], condition=Q(organisation__isnull=True), name="people_dataquality_one_total"
            ),
        ]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.kind}: {self.count}"
