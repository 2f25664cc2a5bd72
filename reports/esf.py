"""The ESF participant measure: the common output and result indicators of docs/measures.md ("ESF participants").

A unit is a participant: a person's first trajectory in a call (`trajectories.esf.entries`), started
on or before D. The participant left when none of their trajectories in the call runs on D; they left
on the last end date (first start, last exit). The characteristics on entry are those of the entry; the
situation on leaving that of the trajectory that ended last. A participant whose record fails the
completeness rule counts in `participants` and `incomplete` only: every other figure counts complete
records, and each characteristic dimension shows them as `incomplete`.
"""

import datetime

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from employees.models import Employment
from reports.engine import (
    Context,
    Dimension,
    Measure,
    Status,
    age_band_of,
    band_labels,
    flemish_provinces,
    label_or_unknown,
    province_of,
    year_of,
)
from reports.functions import AddDays, AddMonths
from reports.units import se_employer_at
from trajectories.constants import (
    EducationLevel,
    HouseholdSituation,
    LabourMarketStatus,
    LeavingSituation,
)
from trajectories.esf import complete, entries
from trajectories.models import Trajectory

INCOMPLETE = "incomplete"
STILL_PARTICIPATING = "still_participating"
UPON_LEAVING_DAYS = 28  # "within four weeks after leaving"
AFTER_LEAVING_MONTHS = 6


def _same_call(ctx: Context):
    """The participant's trajectories in the call started on or before D (correlated with the entry)."""
    return ctx.records(Trajectory).filter(
        employee_id=OuterRef("employee_id"), call_id=OuterRef("call_id"), start_date__lte=ctx.as_of
    )


def participant_units(ctx: Context):
    """The participants on D, each with the day they left (`exit_date`, null while a trajectory of theirs in the
    call runs on D) and their situation on leaving (`leaving_situation`)."""
    started = ctx.records(Trajectory).filter(start_date__lte=ctx.as_of)
    units = entries(started)
    if ctx.period_from:
        units = units.filter(start_date__gte=ctx.period_from)
    if ctx.period_to:
        units = units.filter(start_date__lte=ctx.period_to)
    running = _same_call(ctx).filter(Q(end_date__isnull=True) | Q(end_date__gt=ctx.as_of))
    last = _same_call(ctx).order_by("-end_date", "-id")
    return units.alias(
        exit_date=Case(
            When(Exists(running), then=Value(None)),
            default=Subquery(last.values("end_date")[:1]),
        ),
        leaving_situation=Subquery(last.values("esf_leaving_situation")[:1]),
    )


# --- facts of a participant ----------------------------------------------------------------------


def _complete(ctx):
    return complete()


def _left(ctx):
    return complete() & Q(exit_date__isnull=False)


def _left_weeks_ago(ctx):
    return _left(ctx) & Q(exit_date__lte=ctx.as_of - datetime.timedelta(days=UPON_LEAVING_DAYS))


def _left_months_ago(ctx):
    return _left(ctx) & Q(LessThanOrEqual(AddMonths(F("exit_date"), AFTER_LEAVING_MONTHS), Value(ctx.as_of)))


def _spells(ctx: Context, **filters):
    return ctx.records(Employment).filter(employee_id=OuterRef("employee_id"), **filters)


def _work_upon_leaving(ctx, **filters):
    """A spell overlapping the four weeks after leaving (the day of leaving included)."""
    spells = _spells(ctx, start_date__lte=AddDays(OuterRef("exit_date"), UPON_LEAVING_DAYS), **filters).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("exit_date"))
    )
    return Q(Exists(spells))


def _work_months_after(ctx, **filters):
    """A spell covering the day six months after leaving."""
    moment = AddMonths(OuterRef("exit_date"), AFTER_LEAVING_MONTHS)
    spells = _spells(ctx, start_date__lte=moment, **filters).filter(Q(end_date__isnull=True) | Q(end_date__gte=moment))
    return Q(Exists(spells))


def _with(field, *values):
    return lambda ctx: complete() & Q(**{f"{field}__in": values})


def _upon_leaving(situation):
    return lambda ctx: _left_weeks_ago(ctx) & Q(leaving_situation=situation)


# --- dimensions ----------------------------------------------------------------------------------


def _characteristic(expression):
    """A characteristic's label, `incomplete` for a participant failing the completeness rule."""
    return lambda ctx: Case(
        When(~complete(), then=Value(INCOMPLETE)), default=expression(ctx), output_field=CharField()
    )


def _year_of_leaving(ctx):
    return Case(
        When(exit_date__isnull=True, then=Value(STILL_PARTICIPATING)),
        default=year_of("exit_date"),
        output_field=CharField(),
    )


def _participant(ctx):
    """The participant by their entry's number (T123): the trajectory page of an administrator's drill-down."""
    return Concat(Value("T"), Cast("id", CharField()), output_field=CharField())


def _dim(name, label, expr, default_labels=None):
    return Dimension(name=name, label=label, expr=expr, default_labels=default_labels)


DIMENSIONS = [
    _dim("year", _("year of leaving"), _year_of_leaving),
    _dim("entry_year", _("year of entry"), lambda ctx: year_of("start_date")),
    _dim("call", _("call"), lambda ctx: label_or_unknown("call__number")),
    _dim("partner", _("partner"), lambda ctx: label_or_unknown("partner__name")),
    _dim("province", _("province"), lambda ctx: province_of("se_employer__province"), flemish_provinces),
    _dim("gender", _("gender"), _characteristic(lambda ctx: label_or_unknown("employee__gender"))),
    _dim(
        "age_band",
        _("age band"),
        _characteristic(
            lambda ctx: age_band_of(ctx, age_path="age_years", birth_path="employee__birth_date", date_path=None)
        ),
        band_labels,
    ),
    _dim(
        "labour_status",
        _("labour-market status on entry"),
        _characteristic(lambda ctx: label_or_unknown("esf_labour_status")),
    ),
    _dim("education", _("education level on entry"), _characteristic(lambda ctx: label_or_unknown("esf_education"))),
    _dim(
        "household", _("household situation on entry"), _characteristic(lambda ctx: label_or_unknown("esf_household"))
    ),
    # The social-economy employer of the person's spell on the first start (issue 16, point 2).
    _dim(
        "se_employer",
        _("social-economy employer"),
        se_employer_at("start_date", employer="se_employer", instrument="instrument"),
    ),
    _dim("participant", _("participant"), _participant),
]

_UNEMPLOYED = (LabourMarketStatus.UNEMPLOYED, LabourMarketStatus.LONG_TERM_UNEMPLOYED)
_INACTIVE = (LabourMarketStatus.INACTIVE, LabourMarketStatus.INACTIVE_NOT_IN_EDUCATION)

OUTPUTS = [
    Status("participants", _("participants")),
    Status("incomplete", _("incomplete records (grand total only)"), condition=lambda ctx: ~complete()),
    Status("complete", _("complete records"), condition=_complete),
    Status("women", _("women"), condition=_with("employee__gender", "f")),
    Status("men", _("men"), condition=_with("employee__gender", "m")),
    Status("unemployed", _("unemployed, including long-term"), condition=_with("esf_labour_status", *_UNEMPLOYED)),
    Status(
        "long_term_unemployed",
        _("long-term unemployed"),
        condition=_with("esf_labour_status", LabourMarketStatus.LONG_TERM_UNEMPLOYED),
    ),
    Status("inactive", _("inactive"), condition=_with("esf_labour_status", *_INACTIVE)),
    Status(
        "inactive_not_in_education",
        _("inactive, not in education or training"),
        condition=_with("esf_labour_status", LabourMarketStatus.INACTIVE_NOT_IN_EDUCATION),
    ),
    Status("employed", _("employed, including self-employed"), condition=_with("esf_labour_status", "employed")),
    Status("below_25", _("below 25 years"), condition=lambda ctx: complete() & Q(age_years__lt=25)),
    Status("above_54", _("above 54 years"), condition=lambda ctx: complete() & Q(age_years__gt=54)),
    Status(
        "above_54_unemployed_or_inactive",
        _("above 54 years, unemployed or inactive"),
        condition=lambda ctx: _with("esf_labour_status", *_UNEMPLOYED, *_INACTIVE)(ctx) & Q(age_years__gt=54),
    ),
    *[
        Status(f"isced_{code[6:]}", label, condition=_with("esf_education", code))
        for code, label in (
            (EducationLevel.ISCED_0_2, _("ISCED 0-2")),
            (EducationLevel.ISCED_3_4, _("ISCED 3-4")),
            (EducationLevel.ISCED_5_8, _("ISCED 5-8")),
        )
    ],
    Status(
        "jobless_household",
        _("living in a jobless household"),
        condition=_with("esf_household", HouseholdSituation.JOBLESS, HouseholdSituation.JOBLESS_WITH_CHILDREN),
    ),
    Status(
        "jobless_household_with_children",
        _("living in a jobless household with dependent children"),
        condition=_with("esf_household", HouseholdSituation.JOBLESS_WITH_CHILDREN),
    ),
    Status(
        "single_adult_with_children",
        _("single adult with dependent children"),
        condition=_with("esf_household", HouseholdSituation.SINGLE_ADULT_WITH_CHILDREN),
    ),
]

RESULTS = [
    Status("left", _("left by the reference date"), condition=_left),
    Status("left_4_weeks_ago", _("left at least four weeks before the reference date"), condition=_left_weeks_ago),
    Status(
        "employed_upon_leaving",
        _("in employment upon leaving"),
        condition=lambda ctx: _left_weeks_ago(ctx) & _work_upon_leaving(ctx),
    ),
    Status(
        "regular_job_upon_leaving",
        _("in a regular-economy job upon leaving"),
        condition=lambda ctx: _left_weeks_ago(ctx) & _work_upon_leaving(ctx, instrument__isnull=True),
    ),
    Status(
        "education_upon_leaving",
        _("in education or training upon leaving"),
        condition=_upon_leaving(LeavingSituation.EDUCATION),
    ),
    Status(
        "job_searching_upon_leaving",
        _("job searching upon leaving"),
        condition=lambda ctx: _upon_leaving(LeavingSituation.JOB_SEARCHING)(ctx) & ~_work_upon_leaving(ctx),
    ),
    Status("left_6_months_ago", _("left at least six months before the reference date"), condition=_left_months_ago),
    Status(
        "employed_6_months_after",
        _("in employment six months after leaving"),
        condition=lambda ctx: _left_months_ago(ctx) & _work_months_after(ctx),
    ),
    Status(
        "regular_job_6_months_after",
        _("in a regular-economy job six months after leaving"),
        condition=lambda ctx: _left_months_ago(ctx) & _work_months_after(ctx, instrument__isnull=True),
    ),
]

ESF_PARTICIPANTS = Measure(
    code="esf_participants",
    label=_("ESF participants"),
    description=_(
        "Participants of the calls (a person's trajectories in one call: first start, last exit), their "
        "characteristics on entry and the common result indicators upon leaving and six months after."
    ),
    units=participant_units,
    model=Trajectory,
    dimensions=DIMENSIONS,
    statuses=[*OUTPUTS, *RESULTS],
)
