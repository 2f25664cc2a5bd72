"""Querysets for persons and employment spells."""

import datetime

from django.db.models import Q

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import Role
from common.history import HistoryQuerySet
from common.insz import INSZQuerySet


class EmploymentQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators and evaluators see every spell; partner staff the spells of persons they may see.
    scope = Scope(sees_all=(Role.ADMINISTRATOR, Role.EVALUATOR), person="employee")

    def covering(self, on: datetime.date):
        """Spells that started on or before the date and had not ended before it."""
        return self.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))

    def regular(self):
        """Jobs in the regular economy (NEC): spells without a policy instrument."""
        return self.filter(instrument__isnull=True)

    def social_economy(self):
        """Jobs in the social economy: spells with a policy instrument."""
        return self.filter(instrument__isnull=False)


ANONYMISED_NAME = "Geanonimiseerd"


class EmployeeQuerySet(ScopedQuerySet, INSZQuerySet):
    # Administrators and evaluators see every person; partner staff the persons referred to their
    # organisation or in one of its trajectories whose access no administrator withdrew (a trajectory
    # started without a referral, from a look-up by INSZ, is reviewed: trajectories.services
    # .withdraw_access); analysts no one.
    scope = Scope(
        sees_all=(Role.ADMINISTRATOR, Role.EVALUATOR),
        partner_via=(("referrals", ()), ("trajectories", (("access_withdrawn_at__isnull", True),))),
    )

    def anonymise_identity(self) -> int:
        """Clear the direct identifiers of these persons in the live and the history table; return how many.

        The one place that knows which columns identify a person: names and INSZ. Everything a
        report groups or counts by (birth date, gender, registration and record dates) stays, so
        every aggregate figure stays the same. One UPDATE per table, whatever the number of persons (in
        batches of ids for the live table, see common.history);
        the history first, because the selection may read the live INSZ.
        """
        identity = {
            "first_name": ANONYMISED_NAME,
            "last_name": ANONYMISED_NAME,
            "insz_encrypted": None,
            "insz_digest": None,
        }
        self.model.history.model.objects.filter(id__in=self.values("pk")).update(**identity)
        # The change itself is recorded too (a new, already anonymised history row): who ran it, when, why.
        return self.update_with_history(reason="anonymised (retention)", **identity)

    def anonymised(self):
        """Persons whose identity was cleared by the retention command."""
        return self.filter(insz_digest__isnull=True)
