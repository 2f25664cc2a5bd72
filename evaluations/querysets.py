"""Querysets for evaluations and referrals, scoped to the user who asks."""

from accounts import access
from common.history import HistoryQuerySet


class EvaluationQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Administrators and evaluators see every evaluation; partner staff those of persons they may see."""
        if access.sees_everything(user) or access.is_evaluator(user):
            return self
        partner_id = access.partner_of(user)
        if partner_id is not None:
            from employees.models import Employee

            return self.filter(employee__in=Employee.objects.visible_to(user))
        return self.none()

    def ready(self):
        from evaluations.constants import ADVICE_READY

        return self.filter(advice__code=ADVICE_READY)


class ReferralQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Administrators and evaluators see every referral; partner staff those made to their organisation."""
        if access.sees_everything(user) or access.is_evaluator(user):
            return self
        partner_id = access.partner_of(user)
        if partner_id is not None:
            return self.filter(partner_id=partner_id)
        return self.none()

    def waiting(self):
        from evaluations.constants import ReferralStatus

        return self.filter(status=ReferralStatus.WAITING)
