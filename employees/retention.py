"""Retention: anonymise the persons whose last record is older than the retention period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit.models import AccessEvent

from employees.models import AnonymisationRun, Employee


def retention_cutoff(*, today: datetime.date, years: int) -> datetime.date:
    """The day `years` years before `today` (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime.date
    persons: int
    run: AnonymisationRun | None


def persons_anonymise(*, years: int, today: datetime.date | None = None, run_by: str, dry_run: bool = False) -> RetentionResult:
    """Anonymise every person whose last record lies before the cut-off, in one transaction.

    Clears the identity (`EmployeeQuerySet.anonymise_identity`: names, INSZ, in the live and history
    tables), the free-text notes of their evaluations and trajectories (which may name them), and
    the number typed in look-ups by INSZ that found them; keeps everything the reports count by.
    Every table gets one UPDATE, whatever the number of persons. The access events stay: they name
    the person by id only, and who looked at whom remains evidence.
    """
    from evaluations.models import Evaluation
    from trajectories.models import Trajectory

    cutoff = retention_cutoff(today=today or timezone.localdate(), years=years)
    due = Employee.objects.retention_due(cutoff)
    if dry_run:
        return RetentionResult(cutoff=cutoff, persons=due.count(), run=None)
    with transaction.atomic():
        persons = due.values("pk")
        for model in (Evaluation, Trajectory):
            model._base_manager.filter(employee__in=persons).exclude(notes="").update(notes="")
            model.history.model.objects.filter(employee_id__in=persons).exclude(notes="").update(notes="")
        AccessEvent.objects.filter(employee__in=persons, insz_digest__isnull=False).update(
            insz_encrypted=None, insz_digest=None
        )
        count = due.anonymise_identity()
        run = AnonymisationRun.objects.create(run_by=run_by, retention_years=years, cutoff=cutoff, persons=count)
    return RetentionResult(cutoff=cutoff, persons=count, run=run)
