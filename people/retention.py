"""Retention: anonymise the persons whose last record is older than the retention period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from audit.models import AccessEvent
from common.dates import years_before
from employees.models import AnonymisationRun, Employee, Employment
from evaluations.models import Evaluation, Referral
from trajectories.models import Internship, JobFollowUp, Trajectory


def retention_cutoff(*, today: datetime.date, years: int) -> datetime.date:
    """The day `years` years before `today` (28 February for a 29 February)."""
    return years_before(today, years)


def retention_due(cutoff: datetime.date):
    """Persons not yet anonymised whose last record of any kind lies before the cut-off.

    A record counts by every date it holds (start, end, evaluation date, registration); a job,
    trajectory or internship without an end is still running, so its person is never due.
    """

    def recent(model, person, dates, open_end=False):
        condition = Q()
        for field in dates:
            condition |= Q(**{f"{field}__gte": cutoff})
        if open_end:
            condition |= Q(end_date__isnull=True)
        return Exists(model._base_manager.filter(condition, **{person: OuterRef("pk")}))

    return Employee.objects.filter(insz_digest__isnull=False, registered_on__lt=cutoff).exclude(
        recent(Employment, "employee", ("start_date", "end_date", "registered_on"), open_end=True)
        | recent(Evaluation, "employee", ("evaluation_date", "registered_on"))
        | recent(Referral, "employee", ("registered_on",))
        | recent(
            Trajectory,
            "employee",
            (
                "start_date",
                "end_date",
                "registered_on",
                "voortraject_start",
                "jobmatching_start",
                "stage_start",
                "nazorg_start",
            ),
            open_end=True,
        )
        | recent(Internship, "trajectory__employee", ("start_date", "end_date", "registered_on"), open_end=True)
        | recent(JobFollowUp, "employment__employee", ("checked_on",))
    )


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime.date
    persons: int
    run: AnonymisationRun | None


def persons_anonymise(
    *, years: int, today: datetime.date | None = None, run_by: str, dry_run: bool = False
) -> RetentionResult:
    """Anonymise every person whose last record lies before the cut-off, in one transaction.

    Clears the identity (`EmployeeQuerySet.anonymise_identity`: names, INSZ, in the live and history
    tables), the free-text notes of their evaluations, trajectories and job follow-ups (which may name
    them), and
    the number typed in look-ups by INSZ that found them; keeps everything the reports count by.
    Every table gets one UPDATE, whatever the number of persons. The access events stay: they name
    the person by id only, and who looked at whom remains evidence.
    """
    cutoff = retention_cutoff(today=today or timezone.localdate(), years=years)
    due = retention_due(cutoff)
    if dry_run:
        return RetentionResult(cutoff=cutoff, persons=due.count(), run=None)
    with transaction.atomic():
        persons = due.values("pk")
        for model in (Evaluation, Trajectory):
            model._base_manager.filter(employee__in=persons).exclude(notes="").update(notes="")
            model.history.model.objects.filter(employee_id__in=persons).exclude(notes="").update(notes="")
        follow_ups = JobFollowUp._base_manager.filter(employment__employee__in=persons)
        follow_ups.exclude(note="").update(note="")
        JobFollowUp.history.model.objects.filter(employment_id__in=follow_ups.values("employment_id")).exclude(
            note=""
        ).update(note="")
        AccessEvent.objects.filter(employee__in=persons, insz_digest__isnull=False).update(
            insz_encrypted=None, insz_digest=None
        )
        count = due.anonymise_identity()
        run = AnonymisationRun.objects.create(run_by=run_by, retention_years=years, cutoff=cutoff, persons=count)
    return RetentionResult(cutoff=cutoff, persons=count, run=run)
