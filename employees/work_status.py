"""Who is at work on a date, read from the employment spells (Dimona).

On a date D a person is, in this order of precedence:

- at work in the regular economy: a spell without instrument covers D;
  *internal* when its employer is the employer of the person's last
  social-economy job that started on or before D (interne doorstroom),
  otherwise *external*; with or without a work-support package;
- in the social economy: a spell with an instrument covers D; the person is
  *back* in the social economy when a regular job had started before that
  social-economy spell, and then we know after how long: the days from the end
  of the last regular job that ended before the spell began, and the days from
  the start of the first regular job;
- not at work.

`work_situation(employee, on)` answers for one person; `annotate_work_status
(queryset, on)` adds the same answer to every person of an Employee queryset
in one query (Exists and Subquery), for the reports.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from employees.models import Employment


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


def work_situation(employee, on: datetime.date) -> WorkSituation:
    """The work situation of one person on a date (one query for the person's spells)."""
    spells = list(Employment.objects.filter(employee=employee).select_related("employer").order_by("start_date", "pk"))
    regular = [s for s in spells if s.instrument_id is None]
    social = [s for s in spells if s.instrument_id is not None]
    regular_now = [s for s in regular if _covers(s, on)]
    if regular_now:
        started_se = [s for s in social if s.start_date <= on]
        last_se_employer = max(started_se, key=lambda s: (s.start_date, s.pk)).employer_id if started_se else None
        internal = [s for s in regular_now if s.employer_id == last_se_employer]
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


def annotate_work_status(queryset, on: datetime.date):
    """Annotate an Employee queryset with the work situation on a date, in one query.

    Adds `work_status` (a WorkStatus value), `work_with_support_package`
    (bool), `se_return_start` (start of the current social-economy spell of a
    person back in it), `regular_end_before_return`, `first_regular_start`,
    and the durations `days_since_regular_end` / `days_since_first_regular_start`
    (DurationField; `.days` gives the days).
    """
    spells = Employment.objects.filter(employee=OuterRef("pk"))
    covering = spells.covering(on)
    regular_now = covering.regular()
    social_now = covering.social_economy()
    last_se_employer = (
        spells.social_economy().filter(start_date__lte=on).order_by("-start_date", "-pk").values("employer_id")[:1]
    )
    current_se_start = social_now.order_by("-start_date", "-pk").values("start_date")[:1]
    queryset = queryset.annotate(
        _regular_now=Exists(regular_now),
        _last_se_employer=Subquery(last_se_employer),
        se_return_start=Subquery(current_se_start, output_field=models.DateField()),
    )
    spells_here = Employment.objects.filter(employee=OuterRef("pk"))
    queryset = queryset.annotate(
        _internal_now=Exists(regular_now.filter(employer_id=OuterRef("_last_se_employer"))),
        _regular_before_return=Exists(
            spells_here.regular().filter(start_date__lt=OuterRef("se_return_start"))
        ),
        work_with_support_package=Case(
            When(_regular_now=True, then=Exists(regular_now.filter(with_support_package=True))),
            default=Exists(social_now.filter(with_support_package=True, start_date=OuterRef("se_return_start"))),
            output_field=models.BooleanField(),
        ),
        regular_end_before_return=Subquery(
            spells_here.regular()
            .filter(end_date__isnull=False, end_date__lte=OuterRef("se_return_start"))
            .order_by("-end_date")
            .values("end_date")[:1],
            output_field=models.DateField(),
        ),
        first_regular_start=Subquery(
            spells_here.regular()
            .filter(start_date__lt=OuterRef("se_return_start"))
            .order_by("start_date")
            .values("start_date")[:1],
            output_field=models.DateField(),
        ),
    )
    return queryset.annotate(
        work_status=Case(
            When(_regular_now=True, _internal_now=True, then=Value(WorkStatus.REGULAR_INTERNAL.value)),
            When(_regular_now=True, then=Value(WorkStatus.REGULAR_EXTERNAL.value)),
            When(se_return_start__isnull=False, _regular_before_return=True, then=Value(WorkStatus.BACK_IN_SOCIAL_ECONOMY.value)),
            When(se_return_start__isnull=False, then=Value(WorkStatus.SOCIAL_ECONOMY.value)),
            default=Value(WorkStatus.NOT_AT_WORK.value),
            output_field=models.CharField(),
        ),
        days_since_regular_end=Case(
            When(Q(_regular_now=False, _regular_before_return=True), then=F("se_return_start") - F("regular_end_before_return")),
            default=None,
            output_field=models.DurationField(),
        ),
        days_since_first_regular_start=Case(
            When(Q(_regular_now=False, _regular_before_return=True), then=F("se_return_start") - F("first_regular_start")),
            default=None,
            output_field=models.DurationField(),
        ),
    )
