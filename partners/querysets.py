"""Querysets for organisations, grants and pilots, scoped to the user who asks."""

from accounts import access
from accounts.roles import role_of
from common.history import HistoryQuerySet


class OrganisationQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Organisations are public register data: every user with a role sees them."""
        return self if role_of(user) is not None else self.none()

    def partners(self):
        from partners.constants import OrganisationKind

        return self.filter(kind=OrganisationKind.PARTNER)


class GrantQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Administrators see every grant; partner staff their organisation's; nobody else any."""
        if access.sees_everything(user):
            return self
        partner_id = access.partner_of(user)
        if partner_id is not None:
            return self.filter(partner_id=partner_id)
        return self.none()


class PilotQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Sector pilots are public: every user with a role sees them."""
        return self if role_of(user) is not None else self.none()
