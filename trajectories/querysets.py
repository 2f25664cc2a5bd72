"""Querysets for trajectories and internships, scoped to the user who asks."""

import datetime

from django.db.models import Exists, F, OuterRef

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import Role
from common.functions import AddDays
from common.history import HistoryQuerySet
from employees.models import Employment
from trajectories.constants import JOB_FOUND


class TrajectoryQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators see every trajectory; partner staff their organisation's, except those whose access an
    # administrator withdrew (trajectories.services.withdraw_access); nobody else any.
    scope = Scope(partner="partner_id", partner_conditions=(("access_withdrawn_at__isnull", True),))

    def without_referral(self):
        """Trajectories started from a look-up by INSZ for a person not referred: they carry a reason."""
        return self.exclude(access_reason="")

    def ended(self):
        return self.filter(end_date__isnull=False)

    def awaiting_job(self):
        """Ended with "found a job" while the job is not recorded yet (its employer was not known): no
        employment spell of the person starts on or after the trajectory's start. They leave this list
        as soon as the job is recorded, by a form or an import."""
        job = Employment.objects.filter(employee_id=OuterRef("employee_id"), start_date__gte=OuterRef("start_date"))
        return self.filter(end_reason__code=JOB_FOUND, end_date__isnull=False).exclude(Exists(job))

    def past_planned_end(self, today: datetime.date):
        """Trajectories still running (no end date) whose planned end lies before today."""
        return self.filter(end_date__isnull=True, planned_end_date__lt=today)


class InternshipQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Internships follow the visibility of their trajectory.
    scope = Scope(
        partner="trajectory__partner_id", partner_conditions=(("trajectory__access_withdrawn_at__isnull", True),)
    )

    def running_longer_than_allowed(self, today: datetime.date):
        """Internships still running (no end date) that have lasted longer than their trajectory's call
        allows (`Call.max_internship_weeks`; a call without a limit flags none): today lies on or after
        the start plus the allowed weeks. Ended internships that were too long are a matter of data
        quality, not of today's work, and are not listed."""
        limit = AddDays(F("start_date"), F("trajectory__call__max_internship_weeks") * 7)
        return (
            self.filter(end_date__isnull=True, trajectory__call__max_internship_weeks__isnull=False)
            .alias(allowed_until=limit)
            .filter(allowed_until__lte=today)
        )


class JobFollowUpQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Follow-ups follow the visibility of their job: administrators and evaluators see all, partner staff
    # those of the persons they may see.
    scope = Scope(sees_all=(Role.ADMINISTRATOR, Role.EVALUATOR), person="employment__employee")
