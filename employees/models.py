"""Target-group employees, policy instruments and employment spells (Dimona)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import RegisteredModel, TimeStampedModel
from common.validators import insz_birth_date, normalise_insz, validate_insz, validate_not_future
from employees.constants import Gender
from employees.querysets import EmployeeQuerySet, EmploymentQuerySet, PersonLookupQuerySet


class Instrument(TimeStampedModel):
    """A social-economy policy instrument (beleidsinstrument), valid between two dates."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("In lower case, as in the ministerial tables.")
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_employment = models.BooleanField(
        _("is employment"),
        default=True,
        help_text=_("False for arbeidszorg: social economy, but its participants keep their benefit."),
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="employees_instrument_valid_until_after_from",
                violation_error_message=_("'Valid until' cannot lie before 'valid from'."),
            ),
        ]

    def __str__(self):
        return self.name


class Employee(RegisteredModel):
    """A target-group employee (doelgroepwerknemer), identified by INSZ."""

    insz = models.CharField(
        _("INSZ number"),
        max_length=11,
        unique=True,
        validators=[validate_insz],
        help_text=_("National register or BIS number: 11 digits."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True, validators=[validate_not_future])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)

    objects = EmployeeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gender__in=["", *Gender.values]),
                name="employees_employee_gender_valid",
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"], name="employees_employee_name_idx")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_birth_date = instance.__dict__.get("birth_date")
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Ages at evaluations and trajectory starts are stored; keep them true.
        if getattr(self, "_loaded_birth_date", self.birth_date) != self.birth_date:
            for related in (*self.evaluations.all(), *self.trajectories.all()):
                related.employee = self
                related.save(update_fields=["age_years"])
        self._loaded_birth_date = self.birth_date

    def get_absolute_url(self):
        return reverse("admin:employees_employee_change", args=[self.pk])

    def clean_fields(self, exclude=None):
        self.insz = normalise_insz(self.insz)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        encoded = insz_birth_date(self.insz)
        if self.birth_date and encoded and encoded != self.birth_date:
            raise ValidationError(
                {
                    "birth_date": _(
                        "The birth date does not match the INSZ number, which gives %(encoded)s."
                    )
                    % {"encoded": encoded.strftime("%d/%m/%Y")}
                }
            )
        if self.pk and self.birth_date:
            # The ages stored with the person's evaluations and trajectories are recomputed on save.
            earliest = [d for d in (
                self.evaluations.filter(evaluation_date__isnull=False).order_by("evaluation_date")
                .values_list("evaluation_date", flat=True).first(),
                self.trajectories.order_by("start_date").values_list("start_date", flat=True).first(),
            ) if d is not None]
            if earliest and min(earliest) < self.birth_date:
                raise ValidationError({"birth_date": _(
                    "The person has an evaluation or a trajectory on %(date)s, before this birth date."
                ) % {"date": min(earliest).strftime("%d/%m/%Y")}})


class Employment(RegisteredModel):
    """An employment spell as declared in Dimona: a job with one employer from a start to an end.

    A spell with a policy instrument is a social-economy job; one without is
    a job in the regular economy (NEC).
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="employments"
    )
    employer = models.ForeignKey(
        "partners.Organisation", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="employments"
    )
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("policy instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employments",
        help_text=_("Leave empty for a job in the regular economy."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    with_support_package = models.BooleanField(
        _("with work-support package"),
        default=False,
        help_text=_("Whether the job comes with a werkondersteuningspakket (wage and coaching premium)."),
    )

    objects = EmploymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employment spell")
        verbose_name_plural = _("employment spells")
        ordering = ["employee", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="employees_employment_end_after_start",
                violation_error_message=_("The end date cannot lie before the start date."),
            ),
            models.UniqueConstraint(
                fields=["employee", "employer", "start_date"],
                name="employees_employment_unique_spell",
                violation_error_message=_("This employee already has a spell with this employer from this date."),
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "start_date"], name="employees_employment_emp_idx"),
        ]

    def __str__(self):
        end = self.end_date.isoformat() if self.end_date else "…"
        return f"{self.employee} – {self.employer} ({self.start_date.isoformat()} – {end})"

    @property
    def is_regular(self) -> bool:
        return self.instrument_id is None


class PersonLookup(models.Model):
    """A partner's look-up of one person by exact INSZ, recorded because it reaches beyond their caseload."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("looked up by"), on_delete=models.PROTECT, related_name="person_lookups"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_lookups",
    )
    insz = models.CharField(_("INSZ number looked up"), max_length=11)
    employee = models.ForeignKey(
        Employee, verbose_name=_("person found"), on_delete=models.PROTECT, null=True, blank=True, related_name="lookups"
    )
    found = models.BooleanField(_("found"))
    looked_up_at = models.DateTimeField(_("looked up at"), auto_now_add=True)

    objects = PersonLookupQuerySet.as_manager()

    class Meta:
        verbose_name = _("person look-up")
        verbose_name_plural = _("person look-ups")
        ordering = ["-looked_up_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(found=False, employee__isnull=True) | Q(found=True, employee__isnull=False),
                name="employees_personlookup_found_has_employee",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.insz} ({self.looked_up_at:%d/%m/%Y %H:%M})"
