"""Evaluation and referral workflows: defaults for a new evaluation; a referral from sending to answer
(refer, accept by starting the trajectory, decline with a reason, withdraw, re-assign); the partners
a person may be referred to; the referrals left unanswered too long."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from employees.models import Employee
from employees.services import social_economy_job_on
from evaluations.constants import DECLINE_OTHER, ReferralStatus
from evaluations.models import DeclineReason, Evaluation, Referral
from partners.constants import OrganisationKind
from partners.models import Call, Organisation


def evaluation_defaults(*, employee: Employee, on: datetime.date) -> dict:
    """The employer and instrument of the person's social-economy job on a date, to pre-fill an evaluation."""
    spell = social_economy_job_on(employee=employee, on=on)
    if spell is None:
        return {}
    return {"employer": spell.employer, "instrument": spell.instrument}


def partners_for_referral(*, on: datetime.date):
    """The partners a person can be referred to on a day: those with a grant of a call running that day
    (a call without a start or end date is open on that side), by name."""
    running = Call.objects.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    return (
        Organisation.objects.filter(kind=OrganisationKind.PARTNER, grants__call__in=running)
        .distinct()
        .order_by("name", "id")
    )


def referral_create(*, evaluation: Evaluation, partner, referred_by, on: datetime.date | None = None) -> Referral:
    """Refer the person of an evaluation advised 'doorstroomklaar' to a partner with a grant of a call
    running on the day of the referral (today unless given). A person whose referral from this
    evaluation waits for an answer or led to a trajectory is not referred again: withdraw it first."""
    on = on or timezone.localdate()
    if not partners_for_referral(on=on).filter(pk=getattr(partner, "pk", None)).exists():
        raise ValidationError(
            {
                "partner": _("%(partner)s has no grant of a call that runs on %(day)s: choose a partner from the list.")
                % {"partner": partner, "day": date_format(on, "d/m/Y")}
            }
        )
    referral = Referral(
        evaluation=evaluation, employee=evaluation.employee, partner=partner, referred_by=referred_by, registered_on=on
    )
    with transaction.atomic():
        # Lock the evaluation: two referrals of the same evaluation at once cannot both pass the check.
        Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
        pending = (
            Referral.objects.filter(evaluation=evaluation, status__in=[ReferralStatus.WAITING, ReferralStatus.STARTED])
            .select_related("partner")
            .first()
        )
        if pending is not None:
            message = (
                _("%(person)s is already waiting for an answer from %(partner)s: withdraw that referral first.")
                if pending.status == ReferralStatus.WAITING
                else _("%(person)s already started a trajectory with %(partner)s after this evaluation.")
            )
            raise ValidationError({"partner": message % {"person": evaluation.employee, "partner": pending.partner}})
        referral.full_clean()
        referral.save()
    return referral


def _lock_waiting(referral: Referral, message: str) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != ReferralStatus.WAITING:
        raise ValidationError(message)
    return locked


def referral_accept(*, referral: Referral, trajectory, by=None) -> Referral:
    """The partner accepts a referral by starting its trajectory (`trajectories.services.trajectory_start`
    calls this in its own transaction): the referral is marked started, linked, and its answer dated."""
    locked = _lock_waiting(referral, _("This referral is no longer waiting for your organisation."))
    if locked.partner_id != trajectory.partner_id:
        raise ValidationError(_("This referral is no longer waiting for your organisation."))
    locked.status = ReferralStatus.STARTED
    locked.trajectory = trajectory
    locked.answered_at = timezone.now()
    locked.answered_by = by
    locked.save()
    return locked


def referral_decline(*, referral: Referral, reason: DeclineReason, note: str = "", by=None) -> Referral:
    """The partner declines a waiting referral with a reason of the managed list ('other' needs an
    explanation); the evaluator sees the answer and may refer the person elsewhere."""
    note = (note or "").strip()
    if reason is None or not reason.active:
        raise ValidationError({"decline_reason": _("Choose a reason from the list.")})
    if reason.code == DECLINE_OTHER and not note:
        raise ValidationError({"answer_note": _("Explain the reason when you choose 'other'.")})
    with transaction.atomic():
        locked = _lock_waiting(referral, _("This referral was already answered or withdrawn."))
        locked.status = ReferralStatus.DECLINED
        locked.decline_reason = reason
        locked.answer_note = note
        locked.answered_at = timezone.now()
        locked.answered_by = by
        locked.full_clean()
        locked.save()
    return locked


def referral_withdraw(*, referral: Referral, reason: str, by=None) -> Referral:
    """The evaluator withdraws a referral the partner has not answered yet, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdrawal_reason": _("Say why the referral is withdrawn.")})
    with transaction.atomic():
        locked = _lock_waiting(referral, _("Only a referral that was not answered yet can be withdrawn."))
        locked.status = ReferralStatus.WITHDRAWN
        locked.withdrawal_reason = reason
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = by
        locked.full_clean()
        locked.save()
    return locked


# After how many days an evaluator sees a referral the partner has not taken up (their home page's work list).
NOT_TAKEN_UP_DAYS = 30


def answer_days() -> int:
    """After how many days without an answer a referral is overdue (DOORSTROOM_REFERRAL_ANSWER_DAYS)."""
    return settings.DOORSTROOM_REFERRAL_ANSWER_DAYS


def overdue_referrals(referrals, *, today: datetime.date | None = None):
    """The referrals among `referrals` still waiting `answer_days()` days or more after they were sent."""
    today = today or timezone.localdate()
    return referrals.filter(
        status=ReferralStatus.WAITING, registered_on__lte=today - datetime.timedelta(days=answer_days())
    )


def referral_reassign(*, referral: Referral, partner) -> Referral:
    """Move a waiting referral to another partner (administrators do this)."""
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != ReferralStatus.WAITING:
            raise ValidationError(_("Only a referral that is still waiting can be re-assigned."))
        if locked.partner_id == partner.pk:
            raise ValidationError({"partner": _("The referral is already with this partner.")})
        locked.partner = partner
        locked.full_clean()
        locked.save()
    return locked
