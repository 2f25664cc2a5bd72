"""What other apps may ask about persons: their current state, their social-economy job on a date,
the job that followed a trajectory, and a partner's recorded look-up by INSZ."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import normalise_insz
from employees.models import AccessEvent, Employee, Employment, Instrument
from employees.work_status import WorkSituation, WorkStatus, work_situation


class CurrentState(models.TextChoices):
    REGULAR_INTERNAL = WorkStatus.REGULAR_INTERNAL.value, WorkStatus.REGULAR_INTERNAL.label
    REGULAR_EXTERNAL = WorkStatus.REGULAR_EXTERNAL.value, WorkStatus.REGULAR_EXTERNAL.label
    IN_TRAJECTORY = "in_trajectory", _("in a transition trajectory")
    BACK_IN_SOCIAL_ECONOMY = WorkStatus.BACK_IN_SOCIAL_ECONOMY.value, WorkStatus.BACK_IN_SOCIAL_ECONOMY.label
    SOCIAL_ECONOMY = WorkStatus.SOCIAL_ECONOMY.value, WorkStatus.SOCIAL_ECONOMY.label
    NONE = "none", _("no job or trajectory known")


@dataclass(frozen=True)
class PersonState:
    """Where a person stands on a date: the state shown on the person's page, and the work situation behind it."""

    state: CurrentState
    work: WorkSituation

    @property
    def label(self):
        return self.state.label

    def __str__(self) -> str:
        return self.state.value


def employee_current_state(*, employee: Employee, on: datetime.date) -> PersonState:
    """Where the person stands on a date (two queries).

    A regular job comes first (internal or external transition, from
    `work_status`), then a running trajectory, then a social-economy job (back
    in it after a regular job, or not), else nothing known. The work situation
    itself is computed only in `employees.work_status`.
    """
    work = work_situation(employee, on)
    # Asked always, so that the page runs the same queries whatever the state.
    running = employee.trajectories.filter(
        Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    ).exists()
    if work.in_regular_work:
        return PersonState(CurrentState(work.status), work)
    if running:
        return PersonState(CurrentState.IN_TRAJECTORY, work)
    if work.status == WorkStatus.NOT_AT_WORK:
        return PersonState(CurrentState.NONE, work)
    return PersonState(CurrentState(work.status), work)


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


def person_lookup(*, user, insz: str) -> AccessEvent:
    """Look one person up by exact INSZ and record it in the access log: who looked, when, what, whom it found."""
    from employees.audit import record_access
    from employees.constants import AccessAction

    number = normalise_insz(insz)
    employee = Employee.objects.with_insz(number).first()
    return record_access(user=user, action=AccessAction.INSZ_LOOKUP, employee=employee, insz=number)


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
