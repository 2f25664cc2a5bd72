"""Querysets for trajectories and internships, scoped to the user who asks."""

from django.db.models import Exists, OuterRef

from accounts.access import Scope, ScopedQuerySet
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


class InternshipQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Internships follow the visibility of their trajectory.
    scope = Scope(
        partner="trajectory__partner_id", partner_conditions=(("trajectory__access_withdrawn_at__isnull", True),)
    )
