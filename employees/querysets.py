"""Querysets for persons and employment spells."""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q

from accounts import access
from common.history import HistoryQuerySet


class EmploymentQuerySet(HistoryQuerySet):
    def covering(self, on: datetime.date):
        """Spells that started on or before the date and had not ended before it."""
        return self.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))

    def regular(self):
        """Jobs in the regular economy (NEC): spells without a policy instrument."""
        return self.filter(instrument__isnull=True)

    def social_economy(self):
        """Jobs in the social economy: spells with a policy instrument."""
        return self.filter(instrument__isnull=False)

    def visible_to(self, user):
        """Administrators and evaluators see every spell; partner staff the spells of persons they may see."""
        from employees.models import Employee

        if access.sees_everything(user) or access.is_evaluator(user):
            return self
        if access.partner_of(user) is not None:
            return self.filter(employee__in=Employee.objects.visible_to(user))
        return self.none()


class EmployeeQuerySet(HistoryQuerySet):
    def visible_to(self, user):
        """Administrators and evaluators see every person; partner staff only the persons referred to
        their organisation or in its trajectories; analysts no one."""
        if access.sees_everything(user) or access.is_evaluator(user):
            return self
        partner_id = access.partner_of(user)
        if partner_id is not None:
            from evaluations.models import Referral
            from trajectories.models import Trajectory

            referred = Referral.objects.filter(employee=OuterRef("pk"), partner_id=partner_id)
            guided = Trajectory.objects.filter(employee=OuterRef("pk"), partner_id=partner_id)
            return self.filter(Exists(referred) | Exists(guided))
        return self.none()


class PersonLookupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only administrators audit the look-ups by INSZ: a look-up names a person outside a caseload."""
        return self if access.sees_everything(user) else self.none()
