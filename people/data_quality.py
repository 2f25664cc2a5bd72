"""The data-quality page: the records that make figures fall into 'onbekend' or break a rule, per kind.

Every kind reads its model through `visible_to(user)`: administrators see every record, partner staff
those of their organisation. An administrator who picks an organisation sees what its staff see
(`accounts.access.as_partner`). The counts of each day are kept (`DataQualitySnapshot`, written by
`manage.py snapshot_data_quality` and by the page when today's is missing) to show them over time.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import as_partner, can
from common import kept
from employees.models import Employee
from evaluations.models import Evaluation
from partners.constants import OrganisationKind
from partners.models import Organisation
from people.constants import DataQualityKind
from people.models import DataQualitySnapshot
from trajectories.esf import complete, entries
from trajectories.models import Trajectory

SHOWN = 50  # records listed per kind; the count says how many there are


def _esf_incomplete(trajectories):
    """Participants' entries (the first trajectory of a person in a call) failing the completeness rule."""
    failing = entries(Trajectory.objects.all()).filter(~complete())
    return trajectories.filter(id__in=failing.values("id"))


@dataclass(frozen=True)
class Kind:
    code: DataQualityKind
    explanation: object
    model: type
    failing: Callable  # (visible queryset) -> the records of this kind
    fix: str  # the URL name of the page that fixes a record
    fix_capability: str  # who may use it; others get `view`
    view: str
    related: tuple = ()

    @property
    def label(self):
        return self.code.label

    def records(self, user):
        return self.failing(self.model.objects.visible_to(user))

    def fix_url(self, user, record) -> str:
        name = self.fix if can(user, self.fix_capability) else self.view
        return reverse(name, args=[record.pk])


KINDS = [
    Kind(
        DataQualityKind.EVALUATION_WITHOUT_DATE,
        _("They count in the year 'onbekend' of every evaluation figure."),
        Evaluation,
        lambda qs: qs.filter(evaluation_date__isnull=True),
        "evaluations:update",
        "write_evaluations",
        "evaluations:detail",
        ("employee", "advice"),
    ),
    Kind(
        DataQualityKind.PERSON_WITHOUT_BIRTH_DATE,
        _("Their age band is 'onbekend', and their ESF record is incomplete."),
        Employee,
        lambda qs: qs.filter(birth_date__isnull=True),
        "employees:update",
        "write_evaluations",
        "employees:detail",
    ),
    Kind(
        DataQualityKind.TRAJECTORY_WITHOUT_SE_EMPLOYER,
        _("Their province and employer are 'onbekend'."),
        Trajectory,
        lambda qs: qs.filter(se_employer__isnull=True),
        "trajectories:update",
        "guide",
        "trajectories:detail",
        ("employee", "partner"),
    ),
    Kind(
        DataQualityKind.ENDED_WITHOUT_REASON,
        _("Their end reason is 'onbekend' in the figures of ended trajectories."),
        Trajectory,
        lambda qs: qs.filter(end_date__isnull=False, end_reason__isnull=True),
        "trajectories:end",
        "guide",
        "trajectories:detail",
        ("employee", "partner"),
    ),
    Kind(
        DataQualityKind.JOB_FOUND_WITHOUT_JOB,
        _("Ended with a job in the regular economy whose job is not recorded: not at work in the figures."),
        Trajectory,
        lambda qs: qs.awaiting_job(),
        "trajectories:end",
        "guide",
        "trajectories:detail",
        ("employee", "partner"),
    ),
    Kind(
        DataQualityKind.ESF_INCOMPLETE,
        _(
            "Gender, age, labour-market status, education level or household situation missing: they count "
            "only in the grand total of the ESF figures."
        ),
        Trajectory,
        _esf_incomplete,
        "trajectories:update",
        "guide",
        "trajectories:detail",
        ("employee", "partner"),
    ),
]
KIND_LABELS = {kind.code: kind.label for kind in KINDS}


def counts(user, cap: int | None = None) -> dict[str, int]:
    """How many records of each kind the user sees: one COUNT per kind (each up to `cap`, when given)."""
    if cap is None:
        return {kind.code: kept.count(kind.records(user)) for kind in KINDS}
    return {kind.code: kept.count(kind.records(user).order_by()[:cap]) for kind in KINDS}


def listing(user) -> list[dict]:
    """Each kind with its count and its first records, each with the link that fixes it."""
    found = []
    for kind in KINDS:
        records = kind.records(user)
        shown = list(records.select_related(*kind.related).order_by("-pk")[:SHOWN])
        found.append(
            {
                "kind": kind,
                "count": records.count(),
                "records": [{"record": r, "url": kind.fix_url(user, r)} for r in shown],
            }
        )
    return found


def partners():
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name", "pk")


@transaction.atomic
def take_snapshot(day: datetime.date, *, administrator) -> int:
    """Write the day's counts: the total (as `administrator` sees it: everything) and each partner's (as its
    staff see it). A count already written that day is replaced. Returns the number of rows written."""
    rows = [(None, counts(administrator))]
    rows += [(partner, counts(as_partner(partner.pk))) for partner in partners()]
    DataQualitySnapshot.objects.filter(day=day).delete()
    DataQualitySnapshot.objects.bulk_create(
        DataQualitySnapshot(day=day, organisation=organisation, kind=code, count=count)
        for organisation, found in rows
        for code, count in found.items()
    )
    return sum(len(found) for _organisation, found in rows)


def take_own_snapshot(day: datetime.date, user, organisation_id) -> None:
    """Write the day's counts of one scope (the page, when today's are missing): `organisation_id` None is the
    total."""
    found = counts(user)
    with transaction.atomic():
        DataQualitySnapshot.objects.filter(day=day, organisation_id=organisation_id).delete()
        DataQualitySnapshot.objects.bulk_create(
            DataQualitySnapshot(day=day, organisation_id=organisation_id, kind=code, count=count)
            for code, count in found.items()
        )


def series(user, organisation_id, *, until: datetime.date, days: int = 30) -> list[dict]:
    """The counts of the last `days` days with a snapshot, oldest first: {day, counts by kind}."""
    since = until - datetime.timedelta(days=days - 1)
    snapshots = DataQualitySnapshot.objects.visible_to(user).filter(day__gte=since, day__lte=until)
    snapshots = snapshots.filter(
        Q(organisation_id=organisation_id) if organisation_id else Q(organisation__isnull=True)
    )
    by_day: dict = {}
    for day, code, count in snapshots.order_by("day").values_list("day", "kind", "count"):
        by_day.setdefault(day, {})[code] = count
    return [{"day": day, "counts": [found.get(kind.code) for kind in KINDS]} for day, found in by_day.items()]
