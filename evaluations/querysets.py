"""Querysets for evaluations and referrals, scoped to the user who asks."""

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import Role
from common.history import HistoryQuerySet
from evaluations.constants import ADVICE_READY, ReferralStatus


class EvaluationQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators and evaluators see every evaluation; partner staff those of persons they may see.
    scope = Scope(sees_all=(Role.ADMINISTRATOR, Role.EVALUATOR), person="employee")

    def ready(self):

        return self.filter(advice__code=ADVICE_READY)


class ReferralQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators and evaluators see every referral; partner staff those made to their organisation.
    scope = Scope(sees_all=(Role.ADMINISTRATOR, Role.EVALUATOR), partner="partner_id")

    def waiting(self):

        return self.filter(status=ReferralStatus.WAITING)
