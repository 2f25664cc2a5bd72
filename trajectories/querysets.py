"""Querysets for trajectories and internships, scoped to the user who asks."""

from accounts.access import Scope, ScopedQuerySet
from common.history import HistoryQuerySet


class TrajectoryQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators see every trajectory; partner staff their organisation's, except those whose access an
    # administrator withdrew (trajectories.services.withdraw_access); nobody else any.
    scope = Scope(partner="partner_id", partner_conditions=(("access_withdrawn_at__isnull", True),))

    def without_referral(self):
        """Trajectories started from a look-up by INSZ for a person not referred: they carry a reason."""
        return self.exclude(access_reason="")

    def ended(self):
        return self.filter(end_date__isnull=False)


class InternshipQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Internships follow the visibility of their trajectory.
    scope = Scope(
        partner="trajectory__partner_id", partner_conditions=(("trajectory__access_withdrawn_at__isnull", True),)
    )
