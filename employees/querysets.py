"""Querysets for persons and employment spells."""

import datetime

from django.db.models import Exists, OuterRef, Q

from accounts import access
from common.history import HistoryQuerySet
from common.insz import INSZQuerySet


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


ANONYMISED_NAME = "Geanonimiseerd"


class EmployeeQuerySet(INSZQuerySet):
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

    def retention_due(self, cutoff: datetime.date):
        """Persons not yet anonymised whose last record of any kind lies before the cut-off.

        A record counts by every date it holds (start, end, evaluation date, registration); a job,
        trajectory or internship without an end is still running, so its person is never due.
        """
        from employees.models import Employment
        from evaluations.models import Evaluation, Referral
        from trajectories.models import Internship, Trajectory

        def recent(model, person, dates, open_end=False):
            condition = Q()
            for field in dates:
                condition |= Q(**{f"{field}__gte": cutoff})
            if open_end:
                condition |= Q(end_date__isnull=True)
            return Exists(model._base_manager.filter(condition, **{person: OuterRef("pk")}))

        return self.filter(insz_digest__isnull=False, registered_on__lt=cutoff).exclude(
            recent(Employment, "employee", ("start_date", "end_date", "registered_on"), open_end=True)
            | recent(Evaluation, "employee", ("evaluation_date", "registered_on"))
            | recent(Referral, "employee", ("registered_on",))
            | recent(
                Trajectory,
                "employee",
                ("start_date", "end_date", "registered_on", "voortraject_start", "jobmatching_start", "stage_start",
                 "nazorg_start"),
                open_end=True,
            )
            | recent(Internship, "trajectory__employee", ("start_date", "end_date", "registered_on"), open_end=True)
        )

    def visible_to(self, user):
        """Administrators and evaluators see every person; partner staff only the persons referred to
        their organisation or in one of its trajectories whose access no administrator withdrew (a
        trajectory started without a referral, from a look-up by INSZ, is reviewed: see
        trajectories.services.withdraw_access); analysts no one."""
        if access.sees_everything(user) or access.is_evaluator(user):
            return self
        partner_id = access.partner_of(user)
        if partner_id is not None:
            from evaluations.models import Referral
            from trajectories.models import Trajectory

            referred = Referral.objects.filter(employee=OuterRef("pk"), partner_id=partner_id)
            guided = Trajectory.objects.filter(employee=OuterRef("pk"), partner_id=partner_id,
                                               access_withdrawn_at__isnull=True)
            return self.filter(Exists(referred) | Exists(guided))
        return self.none()
