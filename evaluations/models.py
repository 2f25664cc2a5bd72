"""VDAB evaluations (screenings) of a worker's readiness to move to the regular economy."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.dates import age_in_years, check_not_before_birth
from common.history import set_null_with_history
from common.models import ManagedListItem, RegisteredModel, source_id_field, source_id_unique
from common.validators import validate_not_future
from evaluations.constants import ADVICE_READY, ReferralStatus
from evaluations.querysets import EvaluationQuerySet, ReferralQuerySet


class Advice(ManagedListItem):
    """An outcome of an evaluation: doorstroomklaar, interne doorstroom, nog ondersteuning nodig."""

    history = HistoricalRecords()

    class Meta(ManagedListItem.Meta):
        verbose_name = _("advice")
        verbose_name_plural = _("advices")


class DeclineReason(ManagedListItem):
    """Why a partner declines a referral: no capacity, not eligible, person declined, other."""

    history = HistoricalRecords()

    class Meta(ManagedListItem.Meta):
        verbose_name = _("decline reason")
        verbose_name_plural = _("decline reasons")


class Evaluation(RegisteredModel):
    """One VDAB evaluation of one employee, with its advice."""

    employee = models.ForeignKey(
        "employees.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluation_date = models.DateField(
        _("evaluation date"),
        null=True,
        blank=True,
        validators=[validate_not_future],
        help_text=_("Leave empty when the date is not known."),
    )
    advice = models.ForeignKey(Advice, verbose_name=_("advice"), on_delete=models.PROTECT, related_name="evaluations")
    employer = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        help_text=_("The employee's social-economy employer at the time of the evaluation."),
    )
    instrument = models.ForeignKey(
        "employees.Instrument",
        verbose_name=_("policy instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        help_text=_("The policy instrument of the employee's job at the time of the evaluation."),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    office = models.CharField(_("VDAB office"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Stored when saved, so that reports group by it without deriving it per row.
    age_years = models.PositiveSmallIntegerField(_("age at evaluation"), null=True, blank=True, editable=False)
    source_id = source_id_field()

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords()
    # On PostgreSQL the texts its list's search compares, in one column that triggers keep (evaluations 0013,
    # common/search_columns.py): the search filter reads it when it searches exactly these fields.
    SEARCH_ROW_COLUMN = "search_text"
    SEARCH_ROW_FIELDS = ("employee__first_name", "employee__last_name", "employer__name")

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluation_date", "-id"]
        constraints = [source_id_unique("evaluations_evaluation")]
        indexes = [
            models.Index(fields=["evaluation_date"], name="evaluations_eval_date_idx"),
            models.Index(fields=["employee", "evaluation_date"], name="evaluations_eval_employee_idx"),
            # The evaluation list's ?age_band= (issue 17; evaluations 0011, EXPLAIN ANALYZE at 371,000
            # evaluations): a band's matches with the list's sort keys from the index alone, 55+ 29 -> 7 ms,
            # under 25 42 -> 8 ms. The ?office= filter has a trigram index on PostgreSQL (evaluations 0012).
            models.Index(fields=["age_years", "evaluation_date", "id"], name="evaluations_eval_age_date_idx"),
        ]

    def __str__(self):
        when = self.evaluation_date.strftime("%d/%m/%Y") if self.evaluation_date else _("date unknown")
        return f"{self.employee} – {self.advice} ({when})"

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evaluations:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.employee_id:
            check_not_before_birth(self.employee, self.evaluation_date, "evaluation_date")

    def refresh_derived(self):
        """Store the age at the evaluation date; bulk writers call this themselves."""
        self.age_years = age_in_years(self.employee.birth_date, self.evaluation_date)


class Referral(RegisteredModel):
    """An evaluator's referral of a person advised 'doorstroomklaar' to a partner organisation."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="referrals"
    )
    employee = models.ForeignKey(
        "employees.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="referrals"
    )
    partner = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="referrals",
        limit_choices_to={"kind": "partner"},
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        related_name="referrals_made",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    trajectory = models.OneToOneField(
        "trajectories.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        related_name="referral",
    )
    # The partner's answer: a trajectory started (status started) or a decline with its reason.
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        related_name="referrals_answered",
    )
    decline_reason = models.ForeignKey(
        DeclineReason,
        verbose_name=_("reason for declining"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    answer_note = models.TextField(_("explanation"), blank=True)
    # The evaluator's withdrawal of a referral the partner had not answered yet.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=set_null_with_history,
        null=True,
        blank=True,
        related_name="referrals_withdrawn",
    )
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)
    # Stored when saved, so that reports take the median without deriving it per row.
    days_to_answer = models.PositiveIntegerField(_("days to answer"), null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords()
    # On PostgreSQL the texts its list's search compares, in one column that triggers keep (evaluations 0013,
    # common/search_columns.py): the search filter reads it when it searches exactly these fields.
    SEARCH_ROW_COLUMN = "search_text"
    SEARCH_ROW_FIELDS = ("employee__first_name", "employee__last_name")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values),
                name="evaluations_referral_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.DECLINED, decline_reason__isnull=False, answered_at__isnull=False)
                | (~Q(status=ReferralStatus.DECLINED) & Q(decline_reason__isnull=True)),
                name="evaluations_referral_declined_with_reason",
                violation_error_message=_("A declined referral has a reason and a date of answer, and only it."),
            ),
            models.UniqueConstraint(
                fields=["evaluation", "partner"],
                name="evaluations_referral_unique_partner",
                violation_error_message=_("This evaluation was already referred to this partner."),
            ),
        ]
        indexes = [models.Index(fields=["partner", "status"], name="evaluations_referral_queue_idx")]

    def __str__(self):
        return f"{self.employee} → {self.partner}"

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def refresh_derived(self):
        """Store the days from the referral to the partner's answer; bulk writers call this themselves."""
        self.days_to_answer = None
        if self.answered_at is not None and self.registered_on is not None:
            answered_on = timezone.localdate(self.answered_at)
            self.days_to_answer = max(0, (answered_on - self.registered_on).days)

    @property
    def is_open(self) -> bool:
        """Waiting for the partner's answer."""
        return self.status == ReferralStatus.WAITING

    def clean(self):
        super().clean()

        if self.evaluation_id and self.employee_id and self.evaluation.employee_id != self.employee_id:
            raise ValidationError({"employee": _("The referral must concern the person who was evaluated.")})
        if self.evaluation_id and self.evaluation.advice.code != ADVICE_READY:
            raise ValidationError(
                {"evaluation": _("Only a person advised 'doorstroomklaar' can be referred to a partner.")}
            )
