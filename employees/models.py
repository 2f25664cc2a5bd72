"""Target-group employees, policy instruments and employment spells (Dimona)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from common.models import RegisteredModel, TimeStampedModel
from common.validators import insz_birth_date, normalise_insz, validate_insz, validate_not_future
from employees.constants import AccessAction, Gender
from employees.querysets import AccessEventQuerySet, EmployeeQuerySet, EmploymentQuerySet


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
        null=True,
        validators=[validate_insz],
        help_text=_("National register or BIS number: 11 digits. Empty once the person is anonymised."),
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


class AccessEvent(models.Model):
    """One opening of a person's page, one list export or one look-up by INSZ: who, what, when.

    Append-only: rows are written by `employees.audit.record_access` and never changed or deleted
    through the application or the admin. An export is one event with the list, format, filters
    and row count, not one row per exported person (see docs/security.md).
    """

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("user"), on_delete=models.PROTECT, related_name="access_events"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_events",
        help_text=_("The user's organisation at the moment of access."),
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_events",
    )
    insz = models.CharField(
        _("INSZ number looked up"), max_length=11, blank=True, help_text=_("Only for a look-up by INSZ.")
    )
    list_name = models.CharField(_("list"), max_length=100, blank=True)
    export_format = models.CharField(_("format"), max_length=10, blank=True)
    filters = models.TextField(_("filters"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="person_viewed") | Q(employee__isnull=False),
                name="employees_accessevent_view_has_person",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "-occurred_at"], name="employees_access_person_idx"),
            models.Index(fields=["-occurred_at"], name="employees_access_when_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_action_display()} ({timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only.")

    @property
    def found(self) -> bool:
        """For a look-up: whether the number belonged to a registered person."""
        return self.employee_id is not None


class AnonymisationRun(models.Model):
    """One run of the retention command: when, by what, with which cut-off, how many persons."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    run_by = models.CharField(_("run by"), max_length=150, help_text=_("The command or user that ran it."))
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"))
    cutoff = models.DateField(_("last record before"))
    persons = models.PositiveIntegerField(_("persons anonymised"))

    class Meta:
        verbose_name = _("anonymisation run")
        verbose_name_plural = _("anonymisation runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{timezone.localtime(self.started_at):%d/%m/%Y %H:%M} – {self.persons}"
