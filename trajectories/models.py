"""Transition trajectories (doorstroomtrajecten) of ESF partners, and their internships."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.dates import age_in_years, check_not_before_birth
from common.history import set_null_with_history
from common.models import ManagedListItem, RegisteredModel, TimeStampedModel, source_id_field, source_id_unique
from common.validators import validate_not_future
from partners.constants import OrganisationKind
from trajectories.constants import (
    FOLLOW_UP_MARKS,
    PHASES,
    EducationLevel,
    FollowUpMark,
    HouseholdSituation,
    InternshipOutcome,
    LabourMarketStatus,
    LeavingSituation,
    SpecialCategory,
)
from trajectories.esf import clear_special_categories
from trajectories.querysets import InternshipQuerySet, JobFollowUpQuerySet, TrajectoryQuerySet


class EndReason(ManagedListItem):
    """Why a trajectory ended (for instance found a job, stopped early for health reasons)."""

    history = HistoricalRecords()

    class Meta(ManagedListItem.Meta):
        verbose_name = _("end reason")
        verbose_name_plural = _("end reasons")


def _phase_after_start(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": F("start_date")})


class Trajectory(RegisteredModel):
    """A guidance trajectory of about 140 hours, in four phases, run by one ESF partner."""

    employee = models.ForeignKey(
        "employees.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="trajectories"
    )
    partner = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="trajectories",
        limit_choices_to={"kind": OrganisationKind.PARTNER},
    )
    call = models.ForeignKey(
        "partners.Call", verbose_name=_("call"), on_delete=models.PROTECT, related_name="trajectories"
    )
    se_employer = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("social-economy employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="se_trajectories",
        help_text=_("The employee's social-economy employer at the start of the trajectory."),
    )
    instrument = models.ForeignKey(
        "employees.Instrument",
        verbose_name=_("policy instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
        help_text=_("The policy instrument of the employee's job at the start of the trajectory."),
    )
    start_date = models.DateField(_("start date"), validators=[validate_not_future])
    planned_end_date = models.DateField(
        _("planned end"),
        null=True,
        blank=True,
        help_text=_(
            "The day the trajectory is planned to end. Left empty at the start, it is the start plus the "
            "duration of the call, when the call sets one. Past this day without an end, the trajectory "
            "appears on your work list."
        ),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_not_future])
    end_reason = models.ForeignKey(
        EndReason,
        verbose_name=_("end reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    voortraject_start = models.DateField(_("pre-trajectory from"), null=True, blank=True)
    jobmatching_start = models.DateField(_("job matching from"), null=True, blank=True)
    stage_start = models.DateField(_("internship phase from"), null=True, blank=True)
    nazorg_start = models.DateField(_("aftercare from"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # A trajectory started from a look-up by INSZ for a person not referred to the partner: why the
    # partner guides them (required then, see trajectories.services). Administrators review these and
    # may withdraw the access: the partner then no longer sees the person through this trajectory.
    access_reason = models.TextField(
        _("reason for access without a referral"),
        blank=True,
        editable=False,
        help_text=_("Why the partner guides this person without a referral to their organisation."),
    )
    access_withdrawn_at = models.DateTimeField(_("access withdrawn at"), null=True, blank=True, editable=False)
    access_withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("access withdrawn by"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # ESF participant data (docs/esf.md): the characteristics on entry into the call, asked at the
    # person's first trajectory of the call, and where they went on leaving, at their last one.
    esf_labour_status = models.CharField(
        _("labour-market status on entry"), max_length=30, choices=LabourMarketStatus.choices, blank=True
    )
    esf_education = models.CharField(
        _("education level on entry"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    esf_household = models.CharField(
        _("household situation on entry"), max_length=30, choices=HouseholdSituation.choices, blank=True
    )
    esf_leaving_situation = models.CharField(
        _("situation on leaving"),
        max_length=20,
        choices=LeavingSituation.choices,
        blank=True,
        help_text=_("Beside work, which the employment records show: where the person went within four weeks."),
    )
    # Special categories of personal data: only stored when DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS
    # states the legal basis (trajectories.esf), shown to administrators alone, never exported.
    esf_disability = models.CharField(_("disability"), max_length=10, choices=SpecialCategory.choices, blank=True)
    esf_migrant_background = models.CharField(
        _("migrant or foreign background"),
        max_length=10,
        choices=SpecialCategory.choices,
        blank=True,
    )
    # Stored when saved, so that reports group by it without deriving it per row.
    age_years = models.PositiveSmallIntegerField(_("age at start"), null=True, blank=True, editable=False)

    source_id = source_id_field()
    objects = TrajectoryQuerySet.as_manager()
    history = HistoricalRecords()
    # On PostgreSQL the texts its list's search compares, in one column that triggers keep (trajectories 0009,
    # common/search_columns.py): the search filter reads it when it searches exactly these fields.
    SEARCH_ROW_COLUMN = "search_text"
    SEARCH_ROW_FIELDS = ("employee__first_name", "employee__last_name", "partner__name", "se_employer__name")

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start_date", "-id"]
        constraints = [
            source_id_unique("trajectories_trajectory"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="trajectories_trajectory_end_after_start",
                violation_error_message=_("The end date cannot lie before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True) | Q(planned_end_date__gte=F("start_date")),
                name="trajectories_trajectory_planned_end_after_start",
                violation_error_message=_("The planned end cannot lie before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(end_reason__isnull=True) | Q(end_date__isnull=False),
                name="trajectories_trajectory_reason_needs_end",
                violation_error_message=_("An end reason needs an end date."),
            ),
            models.CheckConstraint(
                condition=_phase_after_start("voortraject_start")
                & _phase_after_start("jobmatching_start")
                & _phase_after_start("stage_start")
                & _phase_after_start("nazorg_start"),
                name="trajectories_trajectory_phases_after_start",
                violation_error_message=_("A phase cannot start before the trajectory."),
            ),
            models.UniqueConstraint(
                fields=["employee", "partner", "start_date"],
                name="trajectories_trajectory_unique_start",
                violation_error_message=_("This partner already has a trajectory for this employee from this date."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"], name="trajectories_traj_start_idx"),
            models.Index(fields=["partner", "start_date"], name="trajectories_traj_partner_idx"),
        ]

    def __str__(self):
        return f"{self.employee} – {self.partner} ({self.start_date.strftime('%d/%m/%Y')})"

    def save(self, *args, **kwargs):
        self.refresh_derived()
        clear_special_categories(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trajectories:detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        previous = None
        for field, label in PHASES:
            value = getattr(self, field)
            if value is None:
                continue
            if self.start_date and value < self.start_date:
                errors[field] = _("The %(phase)s phase cannot start before the trajectory.") % {"phase": label}
            elif self.end_date and value > self.end_date:
                errors[field] = _("The %(phase)s phase cannot start after the trajectory ended.") % {"phase": label}
            elif previous is not None and value < previous:
                errors[field] = _("The %(phase)s phase cannot start before the previous phase.") % {"phase": label}
            previous = value
        if self.end_reason_id and not self.end_date:
            errors["end_date"] = _("Give the end date together with the end reason.")
        if self.employee_id and "start_date" not in errors:
            try:
                check_not_before_birth(self.employee, self.start_date, "start_date")
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def refresh_derived(self):
        """Store the age at the start date; bulk writers call this themselves."""
        self.age_years = age_in_years(self.employee.birth_date, self.start_date)


class Internship(RegisteredModel):
    """An internship (stage) with a potential regular employer, within a trajectory."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="internships"
    )
    host = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="internships",
    )
    sector = models.CharField(_("sector"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=InternshipOutcome.choices, blank=True)

    source_id = source_id_field()
    objects = InternshipQuerySet.as_manager()
    history = HistoricalRecords()
    # On PostgreSQL the texts its list's search compares, in one column that triggers keep (trajectories 0009,
    # common/search_columns.py): the search filter reads it when it searches exactly these fields.
    SEARCH_ROW_COLUMN = "search_text"
    SEARCH_ROW_FIELDS = ("trajectory__employee__first_name", "trajectory__employee__last_name", "host__name")

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-start_date", "-id"]
        constraints = [
            source_id_unique("trajectories_internship"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="trajectories_internship_end_after_start",
                violation_error_message=_("The end date cannot lie before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *InternshipOutcome.values]),
                name="trajectories_internship_outcome_valid",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "host", "start_date"],
                name="trajectories_internship_unique_start",
                violation_error_message=_("This trajectory already has an internship with this host from this date."),
            ),
        ]

    def __str__(self):
        return f"{self.trajectory.employee} – {self.host} ({self.start_date.strftime('%d/%m/%Y')})"

    def get_absolute_url(self):
        return reverse("trajectories:detail", args=[self.trajectory_id])

    def clean(self):
        super().clean()
        if not self.trajectory_id or not self.start_date:
            return
        trajectory = self.trajectory
        if self.start_date < trajectory.start_date:
            raise ValidationError({"start_date": _("An internship cannot start before its trajectory.")})
        if trajectory.end_date and self.start_date > trajectory.end_date:
            raise ValidationError(
                {
                    "start_date": _("An internship cannot start after its trajectory ended (%(end)s).")
                    % {"end": trajectory.end_date.strftime("%d/%m/%Y")}
                }
            )


class JobFollowUp(TimeStampedModel):
    """A partner's check, at the 3-, 6- or 12-month mark of a regular job after a trajectory, whether the
    person still works there; it takes the job off that mark's follow-up list (trajectories.services)."""

    employment = models.ForeignKey(
        "employees.Employment", verbose_name=_("job"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    mark = models.PositiveSmallIntegerField(_("follow-up after"), choices=FollowUpMark.choices)
    checked_on = models.DateField(_("checked on"), validators=[validate_not_future])
    still_in_work = models.BooleanField(_("still in this job"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = JobFollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("job follow-up")
        verbose_name_plural = _("job follow-ups")
        ordering = ["employment_id", "mark"]
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "mark"],
                name="trajectories_jobfollowup_unique_mark",
                violation_error_message=_("This job's follow-up at this mark was already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(mark__in=FOLLOW_UP_MARKS),
                name="trajectories_jobfollowup_mark_valid",
            ),
        ]

    def __str__(self):
        return f"{self.employment} – {self.get_mark_display()}"

    def get_absolute_url(self):
        return reverse("employees:detail", args=[self.employment.employee_id])

    def clean(self):
        super().clean()
        if self.employment_id and self.checked_on and self.checked_on < self.employment.start_date:
            raise ValidationError({"checked_on": _("The follow-up cannot lie before the start of the job.")})
