"""Trajectory workflows: start one (from a referral or a look-up), end it with its reason and the job that followed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from employees.models import Employee, Employment
from employees.services import employment_record, social_economy_job_on
from evaluations.models import Referral
from evaluations.services import referral_accept
from trajectories.forms import REASON_REQUIRED
from trajectories.models import Trajectory


def trajectory_start(
    *,
    employee: Employee,
    partner,
    call,
    start_date: datetime.date,
    caseworker=None,
    se_employer=None,
    instrument=None,
    voortraject_start: datetime.date | None = None,
    notes: str = "",
    referral: Referral | None = None,
    access_reason: str = "",
    reason_without_referral: bool = False,
) -> Trajectory:
    """Start a trajectory; without an employer and instrument given, take those of the social-economy job
    on the start date; a referral it answers is marked started and linked to it.

    With `reason_without_referral` (a start from a look-up by INSZ), a person not referred to the
    partner needs a written `access_reason`: it is stored on the trajectory, which then appears in the
    administrators' review (`Trajectory.objects.without_referral()`)."""
    access_reason = (access_reason or "").strip()
    if reason_without_referral:
        if referred_to(employee=employee, partner=partner):
            access_reason = ""
        elif not access_reason:
            raise ValidationError({"access_reason": REASON_REQUIRED})
    if se_employer is None and instrument is None:
        spell = social_economy_job_on(employee=employee, on=start_date)
        if spell is not None:
            se_employer, instrument = spell.employer, spell.instrument
    trajectory = Trajectory(
        employee=employee,
        partner=partner,
        call=call,
        start_date=start_date,
        caseworker=caseworker,
        se_employer=se_employer,
        instrument=instrument,
        voortraject_start=voortraject_start,
        notes=notes,
        access_reason=access_reason,
    )
    with transaction.atomic():
        trajectory.full_clean()
        trajectory.save()
        if referral is not None:
            referral_accept(referral=referral, trajectory=trajectory, by=caseworker)
    return trajectory


def referred_to(*, employee: Employee, partner) -> bool:
    """Whether the person was ever referred to this partner (a referral gives access without a reason)."""
    partner_id = getattr(partner, "pk", partner)
    return partner_id is not None and Referral.objects.filter(employee=employee, partner_id=partner_id).exists()


def withdraw_access(*, trajectory: Trajectory, by) -> bool:
    """An administrator withdraws a partner's access through this trajectory: who and when are stored
    (with history); from then on `visible_to` hides the trajectory, and the person unless referred, from
    the partner. False when it was already withdrawn (nothing changes)."""

    with transaction.atomic():
        locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        if locked.access_withdrawn_at is not None:
            return False
        locked.access_withdrawn_at = timezone.now()
        locked.access_withdrawn_by = by
        locked.save()
    trajectory.access_withdrawn_at, trajectory.access_withdrawn_by = locked.access_withdrawn_at, by
    return True


def trajectory_end(
    *,
    trajectory: Trajectory,
    end_date: datetime.date,
    end_reason,
    next_job: dict | None = None,
) -> tuple[Trajectory, Employment | None]:
    """End a trajectory with its reason and, when known, record the job that followed as an employment spell."""
    with transaction.atomic():
        trajectory.end_date = end_date
        trajectory.end_reason = end_reason
        trajectory.full_clean()
        trajectory.save()
        spell = None
        if next_job:
            spell = employment_record(employee=trajectory.employee, **next_job)
    return trajectory, spell
