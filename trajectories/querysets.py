"""Querysets for trajectories and internships, scoped to the user who asks."""

from accounts import access
from common.history import HistoryQuerySet


class TrajectoryQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Administrators see every trajectory; partner staff their organisation's, except those whose
        access an administrator withdrew (trajectories.services.withdraw_access); nobody else any."""
        if access.sees_everything(user):
            return self
        partner_id = access.partner_of(user)
        if partner_id is not None:
            return self.filter(partner_id=partner_id, access_withdrawn_at__isnull=True)
        return self.none()

    def without_referral(self):
        """Trajectories started from a look-up by INSZ for a person not referred: they carry a reason."""
        return self.exclude(access_reason="")

    def ended(self):
        return self.filter(end_date__isnull=False)


class InternshipQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Internships follow the visibility of their trajectory."""
        if access.sees_everything(user):
            return self
        partner_id = access.partner_of(user)
        if partner_id is not None:
            return self.filter(trajectory__partner_id=partner_id, trajectory__access_withdrawn_at__isnull=True)
        return self.none()
