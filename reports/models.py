"""Saved reports: a measure, its breakdown, filters and default dates, built by administrators."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import REPORT_USERS
from common.models import TimeStampedModel
from reports.constants import AgeBandScheme
from reports.measures import MEASURES, measure_choices


class SavedReportQuerySet(ScopedQuerySet):
    # Reports are aggregates: administrators and analysts run them; nobody else sees they exist.
    scope = Scope(sees_all=REPORT_USERS)


class SavedReport(TimeStampedModel):
    """A report definition that anyone allowed to run reports can run for any reference date."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in the address and by export_report.")
    )
    description = models.TextField(_("description"), blank=True)
    measure = models.CharField(_("measure"), max_length=50, choices=measure_choices())
    population = models.CharField(
        _("figure"),
        max_length=50,
        blank=True,
        help_text=_("Which figure of the measure is counted when the status is not a dimension; empty: the first."),
    )
    row_dimensions = models.JSONField(_("row dimensions"), default=list, blank=True)
    column_dimension = models.CharField(_("column dimension"), max_length=50, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True, help_text=_("Labels to keep, per dimension."))
    fixed_labels = models.JSONField(
        _("fixed labels"),
        default=dict,
        blank=True,
        help_text=_("Labels always listed first, in this order, per dimension (the ministerial tables' rows)."),
    )
    period_from = models.DateField(_("counted date from"), null=True, blank=True)
    period_to = models.DateField(_("counted date until"), null=True, blank=True)
    as_of = models.DateField(_("default reference date"), null=True, blank=True, help_text=_("Empty: today."))
    known_at = models.DateField(_("default register state"), null=True, blank=True, help_text=_("Empty: now."))
    age_bands = models.CharField(
        _("age bands"), max_length=20, choices=AgeBandScheme.choices, default=AgeBandScheme.ESF_2014
    )
    suppress_small_cells = models.BooleanField(
        _("suppress small cells"), default=False, help_text=_("Show counts 1 to 4 as '<5', for publication.")
    )
    in_pack = models.BooleanField(_("in the parliamentary pack"), default=False)
    pack_position = models.PositiveSmallIntegerField(_("position in the pack"), default=0)
    question = models.CharField(_("question"), max_length=20, blank=True)
    question_text = models.TextField(_("question text"), blank=True)

    objects = SavedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")
        ordering = ["-in_pack", "pack_position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__isnull=True)
                | models.Q(period_from__isnull=True)
                | models.Q(period_to__gte=models.F("period_from")),
                name="reports_savedreport_period_order",
                violation_error_message=_("'Counted date until' cannot lie before 'counted date from'."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:run", args=[self.slug])

    @property
    def dimensions(self) -> list[str]:
        return [*self.row_dimensions, *([self.column_dimension] if self.column_dimension else [])]

    def clean(self):
        """Check the dimensions and figure against the measure (the form shows these as general errors)."""
        super().clean()
        measure = MEASURES.get(self.measure)
        if measure is None:
            return
        allowed = set(measure.dimension_names)
        errors = []
        unknown = [d for d in self.dimensions if d not in allowed]
        if unknown:
            errors.append(
                _("Rows and columns: not a dimension of the measure %(measure)s: %(names)s.")
                % {"measure": measure.label, "names": ", ".join(unknown)}
            )
        if len(set(self.dimensions)) != len(self.dimensions):
            errors.append(_("Rows and columns: choose each dimension once."))
        if self.population and self.population not in {s.code for s in measure.statuses}:
            errors.append(_("Figure: not a figure of the measure %(measure)s.") % {"measure": measure.label})
        if errors:
            raise ValidationError(errors)
