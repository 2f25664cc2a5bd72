"""Querysets for evaluations and referrals, scoped to the user who asks."""

import datetime

from django.db.models import Exists, OuterRef

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import Role
from common.history import HistoryQuerySet
from evaluations.constants import ADVICE_READY, ReferralStatus


class EvaluationQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators and evaluators see every evaluation; partner staff those of persons they may see.
    scope = Scope(sees_all=(Role.ADMINISTRATOR, Role.EVALUATOR), person="employee")

    def ready(self):

        return self.filter(advice__code=ADVICE_READY)

    def ready_unreferred(self):
        """Advised 'doorstroomklaar', with no referral waiting or taken up, and not followed by a later
        evaluation of the same person: the evaluator's list of persons to refer."""
        referral = self.model._meta.get_field("referrals").related_model
        pending = referral.objects.filter(
            evaluation_id=OuterRef("pk"), status__in=[ReferralStatus.WAITING, ReferralStatus.STARTED]
        )
        later = self.model.objects.filter(
            employee_id=OuterRef("employee_id"), evaluation_date__gt=OuterRef("evaluation_date")
        )
        return self.ready().exclude(Exists(pending)).exclude(Exists(later))


class ReferralQuerySet(ScopedQuerySet, HistoryQuerySet):
    # Administrators and evaluators see every referral; partner staff those made to their organisation.
    scope = Scope(sees_all=(Role.ADMINISTRATOR, Role.EVALUATOR), partner="partner_id")

    def waiting(self):

        return self.filter(status=ReferralStatus.WAITING)

    def waiting_since(self, days: int, today: datetime.date):
        """Still waiting for the partner's answer `days` days or more after they were sent."""
        return self.waiting().filter(registered_on__lte=today - datetime.timedelta(days=days))
