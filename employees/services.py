"""What other apps may ask about persons: their social-economy job on a date and the job that followed a
trajectory. What reads across the apps (the person's state and timeline, the look-up) is in people/."""

from __future__ import annotations

import datetime

from django.db import transaction

from employees.models import Employee, Employment, Instrument


def social_economy_job_on(*, employee: Employee, on: datetime.date | None) -> Employment | None:
    """The person's social-economy spell on a date (the latest started one if several), or None."""
    if on is None:
        return None
    return (
        Employment.objects.filter(employee=employee)
        .social_economy()
        .covering(on)
        .select_related("employer", "instrument")
        .order_by("-start_date", "-id")
        .first()
    )


def employment_record(
    *,
    employee: Employee,
    employer,
    start_date: datetime.date,
    instrument: Instrument | None = None,
    end_date: datetime.date | None = None,
    with_support_package: bool = False,
) -> Employment:
    """Record an employment spell (a job that followed a trajectory, or any other), validated as a whole."""
    spell = Employment(
        employee=employee,
        employer=employer,
        start_date=start_date,
        instrument=instrument,
        end_date=end_date,
        with_support_package=with_support_package,
    )
    with transaction.atomic():
        spell.full_clean()
        spell.save()
    return spell


def employment_end(*, employment: Employment, end_date: datetime.date) -> Employment:
    """End an employment spell on a day (a job the person left, found at a follow-up), validated as a whole."""
    with transaction.atomic():
        employment.end_date = end_date
        employment.full_clean()
        employment.save()
    return employment
