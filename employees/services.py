"""What other apps may ask about persons: their current state, their social-economy job on a date,
the job that followed a trajectory, and a partner's recorded look-up by INSZ."""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import normalise_insz
from employees.models import Employee, Employment, Instrument, PersonLookup


class CurrentState(models.TextChoices):
    REGULAR_WORK = "regular_work", _("at work in the regular economy")
    IN_TRAJECTORY = "in_trajectory", _("in a transition trajectory")
    SOCIAL_ECONOMY = "social_economy", _("in the social economy")
    NONE = "none", _("no job or trajectory known")


def employee_current_state(*, employee: Employee, on: datetime.date) -> CurrentState:
    """Where the person stands on a date: a regular job first, then a running trajectory, then a social-economy job."""
    spells = Employment.objects.filter(employee=employee).covering(on)
    if spells.regular().exists():
        return CurrentState.REGULAR_WORK
    running = employee.trajectories.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))
    if running.exists():
        return CurrentState.IN_TRAJECTORY
    if spells.social_economy().exists():
        return CurrentState.SOCIAL_ECONOMY
    return CurrentState.NONE


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


def person_lookup(*, user, insz: str) -> PersonLookup:
    """Look one person up by exact INSZ and record who looked, when, what and whether someone was found."""
    number = normalise_insz(insz)
    employee = Employee.objects.filter(insz=number).first()
    return PersonLookup.objects.create(
        user=user,
        organisation_id=getattr(user, "organisation_id", None),
        insz=number,
        employee=employee,
        found=employee is not None,
    )


def timeline(*, employee: Employee, user) -> list[dict]:
    """One chronological list of the person's jobs, evaluations, trajectories and internships the user may see."""
    from evaluations.models import Evaluation
    from trajectories.models import Internship, Trajectory

    events = []
    for spell in Employment.objects.visible_to(user).filter(employee=employee).select_related("employer", "instrument"):
        events.append(
            {
                "date": spell.start_date,
                "end": spell.end_date,
                "kind": "regular_job" if spell.is_regular else "se_job",
                "label": _("Job in the regular economy") if spell.is_regular else _("Social-economy job"),
                "object": spell,
            }
        )
    for evaluation in Evaluation.objects.visible_to(user).filter(employee=employee).select_related("advice", "employer"):
        events.append(
            {"date": evaluation.evaluation_date, "end": None, "kind": "evaluation", "label": _("Evaluation"), "object": evaluation}
        )
    for trajectory in (
        Trajectory.objects.visible_to(user).filter(employee=employee).select_related("partner", "end_reason")
    ):
        events.append(
            {"date": trajectory.start_date, "end": trajectory.end_date, "kind": "trajectory", "label": _("Trajectory"), "object": trajectory}
        )
    for internship in (
        Internship.objects.visible_to(user).filter(trajectory__employee=employee).select_related("host", "trajectory")
    ):
        events.append(
            {"date": internship.start_date, "end": internship.end_date, "kind": "internship", "label": _("Internship"), "object": internship}
        )
    # Undated events (an evaluation whose date is unknown) come first, as the oldest.
    events.sort(key=lambda e: (e["date"] is not None, e["date"] or datetime.date.min))
    return events
