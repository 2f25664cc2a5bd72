"""Evaluation and referral workflows: defaults for a new evaluation, referring a person, re-assigning a referral."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from employees.models import Employee
from employees.services import social_economy_job_on
from evaluations.constants import ReferralStatus
from evaluations.models import Evaluation, Referral


def evaluation_defaults(*, employee: Employee, on: datetime.date) -> dict:
    """The employer and instrument of the person's social-economy job on a date, to pre-fill an evaluation."""
    spell = social_economy_job_on(employee=employee, on=on)
    if spell is None:
        return {}
    return {"employer": spell.employer, "instrument": spell.instrument}


def referral_create(*, evaluation: Evaluation, partner, referred_by) -> Referral:
    """Refer the person of an evaluation advised 'doorstroomklaar' to a partner organisation."""
    referral = Referral(evaluation=evaluation, employee=evaluation.employee, partner=partner, referred_by=referred_by)
    with transaction.atomic():
        referral.full_clean()
        referral.save()
    return referral


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
