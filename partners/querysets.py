"""Querysets for organisations, grants and pilots, scoped to the user who asks."""

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import ALL_ROLES
from common.history import HistoryQuerySet
from partners.constants import OrganisationKind, OrganisationStatus


class OrganisationQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Organisations are public register data: every user with a role sees them.
    scope = Scope(sees_all=ALL_ROLES)

    def partners(self):

        return self.filter(kind=OrganisationKind.PARTNER)

    def proposed(self):
        """Added by partners, waiting for an administrator to confirm or merge them."""
        return self.filter(status=OrganisationStatus.PROPOSED)


class GrantQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators see every grant; partner staff their organisation's; nobody else any.
    scope = Scope(partner="partner_id")


class PilotQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Sector pilots are public: every user with a role sees them.
    scope = Scope(sees_all=ALL_ROLES)
