"""Who is at work on a date, read from the employment spells (Dimona).

On a date D a person is, in this order of precedence:

- at work in the regular economy: a spell without instrument covers D;
  *internal* (interne doorstroom) when its employer is the social-economy
  employer of the person's latest trajectory started on or before D, as the
  reports count it (docs/measures.md, "at_work"); a person without such a
  trajectory, whom no report counts there, by the employer of their last
  social-economy job started on or before D; otherwise *external*; with or
  without a work-support package;
- in the social economy: a spell with an instrument covers D; the person is
  *back* in the social economy when a regular job had started before that
  social-economy spell, and then we know after how long: the days from the end
  of the last regular job that ended before the spell began, and the days from
  the start of the first regular job;
- not at work.

`work_situation(employee, on)` answers for one person, for the person's page; the reports count the
same definition in SQL (reports/measures.py, AT_WORK), and tests/test_work_status.py checks that both
agree on the same person and date.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from employees.models import Employment
from trajectories.models import Trajectory


class WorkStatus(models.TextChoices):
    REGULAR_INTERNAL = "regular_internal", _("in regular work, internal transition")
    REGULAR_EXTERNAL = "regular_external", _("in regular work, external transition")
    BACK_IN_SOCIAL_ECONOMY = "back_in_social_economy", _("back in the social economy")
    SOCIAL_ECONOMY = "social_economy", _("in the social economy")
    NOT_AT_WORK = "not_at_work", _("not at work")


REGULAR = (WorkStatus.REGULAR_INTERNAL, WorkStatus.REGULAR_EXTERNAL)


@dataclass(frozen=True)
class WorkSituation:
    status: str
    with_support_package: bool = False
    employer_id: int | None = None
    # Only for a person back in the social economy:
    days_since_regular_end: int | None = None
    days_since_first_regular_start: int | None = None
    # The employer itself (loaded with the spells), for display; not part of the answer's identity.
    employer: object = field(default=None, compare=False, repr=False)

    @property
    def in_regular_work(self) -> bool:
        return self.status in REGULAR


def _covers(spell, on) -> bool:
    return spell.start_date <= on and (spell.end_date is None or spell.end_date >= on)


def started_trajectories(employee, on: datetime.date) -> list[dict]:
    """The person's trajectories started on or before `on`, the latest first: their social-economy
    employer and end date (one query). What both the internal transition (`internal_reference_employer`)
    and the person's page (a trajectory running on `on`) need, read once."""
    return list(
        Trajectory.objects.filter(employee=employee, start_date__lte=on)
        .order_by("-start_date", "-id")
        .values("se_employer_id", "end_date")
    )


def internal_reference_employer(employee, on: datetime.date, social_spells, started=None) -> int | None:
    """The employer a regular job must be with to count as an internal transition on `on`.

    The social-economy employer of the person's latest trajectory started on or before `on` (the
    unit of the reports' at-work counts); without one, the employer of the person's last
    social-economy spell started by then. `started` is `started_trajectories(employee, on)` when the
    caller read it already; otherwise only the latest is read here.
    """
    if started is None:
        latest = (
            Trajectory.objects.filter(employee=employee, start_date__lte=on)
            .order_by("-start_date", "-id")
            .values("se_employer_id")
            .first()
        )
    else:
        latest = started[0] if started else None
    if latest is not None:
        return latest["se_employer_id"]
    started_spells = [s for s in social_spells if s.start_date <= on]
    return max(started_spells, key=lambda s: (s.start_date, s.pk)).employer_id if started_spells else None


def person_spells(employee):
    """All of the person's spells with their employer, in the order `work_situation` reads them."""
    return list(Employment.objects.filter(employee=employee).select_related("employer").order_by("start_date", "pk"))


def work_situation(employee, on: datetime.date, *, spells=None, started=None) -> WorkSituation:
    """The work situation of one person on a date (a query for the person's spells, one for the trajectory).

    A caller that read them already passes `spells` (all of the person's spells, with their employer)
    and `started` (`started_trajectories(employee, on)`), and no query is run here: the person's page
    reads them once for this and for what else it shows.
    """
    if spells is None:
        spells = person_spells(employee)
    regular = [s for s in spells if s.instrument_id is None]
    social = [s for s in spells if s.instrument_id is not None]
    regular_now = [s for s in regular if _covers(s, on)]
    # Asked whatever the situation, so that the person's page runs the same queries for everyone.
    reference_employer = internal_reference_employer(employee, on, social, started)
    if regular_now:
        internal = [s for s in regular_now if reference_employer is not None and s.employer_id == reference_employer]
        chosen = internal or regular_now
        return WorkSituation(
            status=WorkStatus.REGULAR_INTERNAL if internal else WorkStatus.REGULAR_EXTERNAL,
            with_support_package=any(s.with_support_package for s in regular_now),
            employer_id=chosen[-1].employer_id,
            employer=chosen[-1].employer,
        )
    social_now = [s for s in social if _covers(s, on)]
    if not social_now:
        return WorkSituation(status=WorkStatus.NOT_AT_WORK)
    current = max(social_now, key=lambda s: (s.start_date, s.pk))
    earlier_regular = [s for s in regular if s.start_date < current.start_date]
    if not earlier_regular:
        return WorkSituation(
            status=WorkStatus.SOCIAL_ECONOMY,
            with_support_package=current.with_support_package,
            employer_id=current.employer_id,
            employer=current.employer,
        )
    ended = [s.end_date for s in earlier_regular if s.end_date is not None and s.end_date <= current.start_date]
    return WorkSituation(
        status=WorkStatus.BACK_IN_SOCIAL_ECONOMY,
        with_support_package=current.with_support_package,
        employer_id=current.employer_id,
        employer=current.employer,
        days_since_regular_end=(current.start_date - max(ended)).days if ended else None,
        days_since_first_regular_start=(current.start_date - min(s.start_date for s in earlier_regular)).days,
    )
