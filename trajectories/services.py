"""Trajectory workflows: start one (from a referral or a look-up), end it with its reason and the job that followed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from employees.models import Employee, Employment
from employees.services import employment_record, social_economy_job_on
from evaluations.constants import ReferralStatus
from evaluations.models import Referral
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
) -> Trajectory:
    """Start a trajectory; without an employer and instrument given, take those of the social-economy job
    on the start date; a referral it answers is marked started and linked to it."""
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
    )
    with transaction.atomic():
        trajectory.full_clean()
        trajectory.save()
        if referral is not None:
            locked = Referral.objects.select_for_update().get(pk=referral.pk)
            if locked.status != ReferralStatus.WAITING or locked.partner_id != partner.pk:
                raise ValidationError(_("This referral is no longer waiting for your organisation."))
            locked.status = ReferralStatus.STARTED
            locked.trajectory = trajectory
            locked.save()
    return trajectory


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
