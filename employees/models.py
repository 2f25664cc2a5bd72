"""Target-group employees, policy instruments and employment spells (Dimona)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.insz import DIGEST_REGEX, INSZMixin
from common.models import RegisteredModel, TimeStampedModel, source_id_field, source_id_unique
from common.validators import insz_birth_date, validate_insz, validate_not_future
from employees.constants import Gender
from employees.querysets import EmployeeQuerySet, EmploymentQuerySet


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
    # The fields __str__ reads: an export reads only these for a related record's text (common/export.py).
    STR_FIELDS = ("name",)

    class Meta:
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="employees_instrument_valid_until_after_from",
                violation_error_message=_("'Valid until' cannot lie before 'valid from'."),
            ),
        ]

    def __str__(self):
        return self.name


class Employee(INSZMixin, RegisteredModel):
    """A target-group employee (doelgroepwerknemer), identified by INSZ.

    The INSZ is never stored in clear (common/crypto.py): `insz_encrypted` can be
    read back by the application, `insz_digest` finds a person by exact number.
    Both are NULL for an anonymised person; the digest is unique among the others.
    """

    insz_encrypted = models.TextField(
        _("INSZ number (encrypted)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A Fernet token; the key is kept outside the database."),
    )
    # Unique through Meta.constraints (a UniqueConstraint: on PostgreSQL no second, LIKE-pattern index).
    insz_digest = models.CharField(_("INSZ number (keyed hash)"), max_length=64, null=True, blank=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True, validators=[validate_not_future])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)

    source_id = source_id_field()
    objects = EmployeeQuerySet.as_manager()
    history = HistoricalRecords()
    # On PostgreSQL the searched text of both names in one column that the database keeps
    # (employees 0015; common/search.py, `matches`): one trigram index, a plain LIKE to recheck.
    SEARCH_TEXT_COLUMN = "search_name"
    SEARCH_TEXT_FIELDS = ("first_name", "last_name")
    # The fields __str__ reads: an export reads only these for a related record's text (common/export.py).
    STR_FIELDS = ("first_name", "last_name")

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name"]
        constraints = [
            source_id_unique("employees_employee"),
            models.CheckConstraint(
                condition=Q(gender__in=["", *Gender.values]),
                name="employees_employee_gender_valid",
            ),
            # Both INSZ columns are filled (a digest of 64 hex characters) or both empty (anonymised).
            models.CheckConstraint(
                condition=Q(insz_digest__isnull=True, insz_encrypted__isnull=True)
                | Q(insz_digest__isnull=False, insz_digest__regex=DIGEST_REGEX, insz_encrypted__isnull=False),
                name="employees_employee_insz_digest_hex",
                violation_error_message=_("The stored INSZ number is damaged."),
            ),
            # NULLs do not collide: anonymised persons (both columns NULL) coexist.
            models.UniqueConstraint(fields=["insz_digest"], name="employees_employee_insz_digest_unique"),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="employees_employee_name_idx"),
            # The person list's filters (issue 17; employees 0016: at 1,000,000 persons each filter read
            # the whole table, 70-100 ms). ?gender=x (9,924 persons) 102 -> 11 ms, ?gender=m 77 -> 19 ms.
            models.Index(fields=["gender"], name="employees_emp_gender_idx"),
            # ?age_band=: 55+ 70 -> 7 ms, under 25 104 -> 13 ms, 25 to 54 72 -> 31 ms (the count).
            models.Index(fields=["birth_date"], name="employees_emp_birth_date_idx"),
            # ?registered=2014: 82 -> 3 ms (the count, index-only).
            models.Index(fields=["registered_on"], name="employees_emp_registered_idx"),
            # A person's facts that reports label their units by, read without the table (issue 17, employees
            # 0017): esf_participants_by_gender_year read all 34,000 pages for 68,000 trajectories, now 5,400.
            models.Index(fields=["id"], include=["gender", "birth_date"], name="employees_emp_person_facts_idx"),
        ]

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
        return reverse("employees:detail", args=[self.pk])

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "insz" not in (exclude or ()):
            try:
                validate_insz(self.insz)
            except ValidationError as exc:
                errors.setdefault("insz", []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        """The INSZ is unique through its keyed hash: say so on the INSZ, with the number as typed."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            if "insz_digest" in errors:
                errors.setdefault("insz", []).extend(errors.pop("insz_digest"))
            raise ValidationError(errors) from exc

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) != ("insz_digest",):
            return super().unique_error_message(model_class, unique_check)
        return ValidationError(
            _("The %(field_label)s %(value)s is already registered for another %(model_name)s."),
            code="unique",
            params={
                "field_label": _("INSZ number"),
                "value": self.insz,
                "model_name": model_class._meta.verbose_name,
                "model": self,
                "model_class": model_class,
                "unique_check": unique_check,
            },
        )

    def clean(self):
        super().clean()
        encoded = insz_birth_date(self.insz)
        if self.birth_date and encoded and encoded != self.birth_date:
            raise ValidationError(
                {
                    "birth_date": _("The birth date does not match the INSZ number, which gives %(encoded)s.")
                    % {"encoded": encoded.strftime("%d/%m/%Y")}
                }
            )
        if self.pk and self.birth_date:
            # The ages stored with the person's evaluations and trajectories are recomputed on save.
            earliest = [
                d
                for d in (
                    self.evaluations.filter(evaluation_date__isnull=False)
                    .order_by("evaluation_date")
                    .values_list("evaluation_date", flat=True)
                    .first(),
                    self.trajectories.order_by("start_date").values_list("start_date", flat=True).first(),
                )
                if d is not None
            ]
            if earliest and min(earliest) < self.birth_date:
                raise ValidationError(
                    {
                        "birth_date": _(
                            "The person has an evaluation or a trajectory on %(date)s, before this birth date."
                        )
                        % {"date": min(earliest).strftime("%d/%m/%Y")}
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

    source_id = source_id_field()
    objects = EmploymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employment spell")
        verbose_name_plural = _("employment spells")
        ordering = ["employee", "start_date"]
        constraints = [
            source_id_unique("employees_employment"),
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
            # A person's regular-economy spells, read per person without the table (migration 0011 says why).
            models.Index(
                fields=["employee", "start_date"],
                include=["end_date", "employer", "with_support_package", "instrument"],
                condition=Q(instrument__isnull=True),
                name="employees_empl_regular_idx",
            ),
        ]

    def __str__(self):
        end = self.end_date.strftime("%d/%m/%Y") if self.end_date else "…"
        return f"{self.employee} – {self.employer} ({self.start_date.strftime('%d/%m/%Y')} – {end})"

    @property
    def is_regular(self) -> bool:
        return self.instrument_id is None


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
