"""What became of them (issue 16): the pathway of a cohort, from the ready advice to lasting regular work, and
the figures per social-economy employer. Defined in docs/measures.md ("The pathway", "Per employer").

The cohort is question 1's: each person once, by their reference evaluation (`units.ready_units`), so that
the cohorts add up to question 1's persons advised ready. Every step is a fact of that person on the
reference date D, read from the register at K: the first date of each step and a few yes/no facts come from
each table grouped by person and joined to the cohort (`pathway_units`), the others are a correlated EXISTS
each, computed with the units (`_with_job_facts`); the engine counts the persons per combination of facts
(`Flags`), and the figures and the medians are one query whatever the number of persons.
"""

from django.db.models import Case, Exists, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.db.models.lookups import IsNull
from django.db.models.sql.constants import LOUTER
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_cte import CTE, with_cte

from employees.models import Employment
from evaluations.models import Evaluation, Referral
from reports.engine import (
    UNKNOWN,
    Context,
    Flags,
    KeyedLabel,
    Measure,
    Status,
    fact,
    flemish_provinces,
    label_or_unknown,
    province_of,
    year_of,
)
from reports.functions import DaysBetween
from reports.sources import one_per_person
from reports.units import (
    common_person_dims,
    dim,
    employer_and_instrument_labels,
    employer_before_move,
    lasting_units,
    months_passed,
    ready_units,
    referral_accepted,
    referral_declined,
    referral_withdrawn,
    regular_at,
    se_employer_at,
    se_employer_before_move,
    spell_employer,
    spells,
    transition_spells,
)
from trajectories.models import Internship, Trajectory

JOB = "_job_start"  # the alias of the day the person's first regular job after the advice began

# The steps in their order; the funnel shows them so (reports.funnel).
STEPS = (
    "advised_ready",
    "referred",
    "trajectory_started",
    "internship",
    "trajectory_ended",
    "regular_job",
    "regular_work_6_months",
    "regular_work_12_months",
)


def _referrals(ctx: Context):
    """The person's referrals sent on or before D."""
    return ctx.records(Referral).filter(employee_id=OuterRef("employee_id"), registered_on__lte=ctx.as_of)


def _trajectories(ctx: Context):
    """The person's trajectories started on or before D."""
    return ctx.records(Trajectory).filter(employee_id=OuterRef("employee_id"), start_date__lte=ctx.as_of)


def _first_regular_job(ctx: Context):
    """The day the person's first regular-economy spell began that started on or after the reference
    evaluation (any, when it is undated) and on or before D."""
    jobs = spells(ctx, instrument__isnull=True, start_date__lte=ctx.as_of).filter(
        Q(start_date__gte=OuterRef("evaluation_date")) | Q(IsNull(OuterRef("evaluation_date"), True))
    )
    # In the order of the index (person, start): the date alone, whichever spell of that day it is.
    return Subquery(jobs.order_by("start_date").values("start_date")[:1])


def _any(condition: Q):
    """1 when any of a person's records meets `condition`, else 0 (an aggregate of the records grouped by person)."""
    return Max(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _per_person(ctx: Context):
    """{name: (records grouped by person, {column: aggregate})} of the steps after the advice: each person's
    first referral, trajectory start, internship and trajectory end on or before D (a date, NULL for none),
    and whether one of their referrals was declined or is unanswered, one of their trajectories runs (1 or 0)."""
    answered = referral_accepted(ctx) | referral_declined(ctx) | referral_withdrawn(ctx)
    return {
        "pathway_referral": (
            ctx.records(Referral).filter(registered_on__lte=ctx.as_of).values(person=F("employee_id")),
            {
                "_referred": Min("registered_on"),
                "_declined": _any(referral_declined(ctx)),
                "_open_referral": _any(~answered),
            },
        ),
        **_trajectories_per_person(ctx),
    }


def _trajectories_per_person(ctx: Context) -> dict:
    """The first trajectory start, internship and trajectory end of each person, whether one trajectory runs.

    From the live tables (no register date K), one pass: every trajectory with its internships joined,
    each figure filtered on what it counts (an internship by D counts whenever its trajectory starts, as
    with two tables), where a table of internships grouped by person was one more join of the trajectories
    and one more join to the units (issue 17: about 10 % of the pathway's statement at a million persons).
    With a register date K, trajectories and internships are each read as registered at K: two tables."""
    started = Q(start_date__lte=ctx.as_of)
    if ctx.known_at is None:
        return {
            "pathway_trajectory": (
                ctx.records(Trajectory).values(person=F("employee_id")),
                {
                    "_started": Min("start_date", filter=started),
                    "_ended": Min("end_date", filter=started & Q(end_date__lte=ctx.as_of)),
                    "_running": _any(started & (Q(end_date__isnull=True) | Q(end_date__gt=ctx.as_of))),
                    "_internship": Min("internships__start_date", filter=Q(internships__start_date__lte=ctx.as_of)),
                },
            ),
        }
    return {
        "pathway_trajectory": (
            ctx.records(Trajectory).filter(started).values(person=F("employee_id")),
            {
                "_started": Min("start_date"),
                "_ended": Min("end_date", filter=Q(end_date__lte=ctx.as_of)),
                "_running": _any(Q(end_date__isnull=True) | Q(end_date__gt=ctx.as_of)),
            },
        ),
        "pathway_internship": (
            ctx.records(Internship).filter(started).values(person=F("trajectory__employee_id")),
            {"_internship": Min("start_date")},
        ),
    }


def _fact(condition: Q):
    """1 when `condition` holds for the unit, else 0."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _job_facts(ctx: Context) -> dict:
    """{column: 1 or 0} of the facts that probe the person's spells once they have a regular job: in regular work
    6 and 12 months after the job began (when that day is on or before D), back in the social economy."""
    job = Q(**{f"{JOB}__isnull": False})
    facts = {
        f"_regular_at_{n}": job
        & months_passed(n, start=JOB)(ctx)
        & Q(Exists(spells(ctx).filter(regular_at(n, start=JOB))))
        for n in (6, 12)
    }
    back = spells(ctx, instrument__isnull=False, start_date__lte=ctx.as_of).filter(start_date__gt=OuterRef(JOB))
    facts["_back"] = job & Q(Exists(back))
    return {column: _fact(condition) for column, condition in facts.items()}


def _with_job_facts(ctx: Context, units):
    """The units with the facts of `_job_facts`, each probed once per person in the order of the persons.

    On PostgreSQL a second `one_per_person` over the reference evaluations (one per person already, so
    PostgreSQL keeps them in the order it reads them, without a sort): its DISTINCT ON keeps the
    probes where it computes them, where EXISTS in the figures' filters probed the person's spells after
    the sort by year, in random order of persons, and 0/1 columns are what the figures then read
    (issue 17: about 10 % of the pathway's statement at a million persons).

    These units read the evaluations and the employment spells only, about half of the statement: they
    are kept as a temporary table until either changes (common/kept_tables.py), while the referrals and
    trajectories the rest reads are saved all day."""
    units = units.annotate(**_job_facts(ctx))
    return one_per_person(units, [], name="pathway_unit", otherwise=lambda: units, kept_as_table=True)


def pathway_units(ctx: Context):
    """Question 1's persons advised ready (their reference evaluations), with the first date of each step.

    Each date is computed once per person where the figures and the medians read it many times: the
    regular job (which depends on the advice's date) with the units, the others from the records
    grouped by person and joined to the units (one pass over each table, where a correlated subquery
    probed them once per person and per date: 4 times the hand-written SQL at a million persons, issue 17).
    """
    units = _with_job_facts(ctx, ready_units(ctx, columns={JOB: _first_regular_job(ctx)}))
    tables = []
    for name, (records, aggregates) in _per_person(ctx).items():
        table = CTE(records.order_by().annotate(**aggregates), name=name)
        units = table.join(units, employee_id=table.col.person, _join_type=LOUTER)
        units = units.annotate(
            **{
                # A person without records has no date, and 0 for each yes/no (never NULL, which a negation
                # would not count).
                column: getattr(table.col, column)
                if column in _DATE_COLUMNS
                else Coalesce(getattr(table.col, column), 0)
                for column in aggregates
            }
        )
        tables.append(table)
    return with_cte(*tables, select=units)


_STEPS = ("referred", "started", "internship", "ended")
_DATE_COLUMNS = {f"_{step}" for step in _STEPS}


# The days between consecutive steps: (name, later date, earlier date), each the first date of its step.
_DATES = {
    "ready": lambda ctx: F("evaluation_date"),
    **{step: (lambda step: lambda ctx: F(f"_{step}"))(step) for step in _STEPS},
    "job": lambda ctx: F(JOB),
}
INTERVALS = (
    ("ready_to_referred", "referred", "ready", _("median days from ready advice to referral")),
    ("referred_to_started", "started", "referred", _("median days from referral to trajectory start")),
    ("started_to_internship", "internship", "started", _("median days from trajectory start to internship")),
    ("started_to_ended", "ended", "started", _("median days from trajectory start to its end")),
    ("ended_to_job", "job", "ended", _("median days from trajectory end to regular job")),
    ("ready_to_job", "job", "ready", _("median days from ready advice to regular job")),
)


def _days(later, earlier):
    """The days from `earlier` to `later`; NULL when either is unknown or `later` lies before `earlier`.

    As NULLIF(GREATEST(days, -1), -1): each date appears once, where a CASE or a FILTER on the days
    made PostgreSQL compute them twice when they were subqueries (docs/benchmarks.md, issue 16)."""
    return NullIf(Greatest(DaysBetween(later, earlier), Value(-1)), Value(-1))


def _days_of(later: str, earlier: str):
    """The days of one interval of a person of the cohort (the values of a median), from the units' dates."""
    return lambda ctx: _days(_DATES[later](ctx), _DATES[earlier](ctx))


PATHWAY_FLAGS = Flags(
    unit={
        "referred": lambda ctx: Q(_referred__isnull=False),
        "declined": lambda ctx: Q(_declined=1),
        "open_referral": lambda ctx: Q(_open_referral=1),
        "trajectory": lambda ctx: Q(_started__isnull=False),
        "running": lambda ctx: Q(_running=1),
        "internship": lambda ctx: Q(_internship__isnull=False),
        "ended": lambda ctx: Q(_ended__isnull=False),
        "regular_job": lambda ctx: Q(**{f"{JOB}__isnull": False}),
        "passed_6": months_passed(6, start=JOB),
        "passed_12": months_passed(12, start=JOB),
        # Computed with the units (`_job_facts`): each 1 only for a person with a regular job.
        "regular_at_6": lambda ctx: Q(_regular_at_6=1),
        "regular_at_12": lambda ctx: Q(_regular_at_12=1),
        "back": lambda ctx: Q(_back=1),
    }
)

_job = fact("regular_job")
_lasting = {n: _job & fact(f"passed_{n}") & fact(f"regular_at_{n}") for n in (6, 12)}
_STEP_FIGURES = [
    Status("advised_ready", _("advised ready")),
    Status("referred", _("referred to a partner"), formula=fact("referred")),
    Status("trajectory_started", _("trajectory started"), formula=fact("trajectory")),
    Status("internship", _("internship"), formula=fact("internship")),
    Status("trajectory_ended", _("trajectory ended"), formula=fact("ended")),
    Status("regular_job", _("regular job"), formula=_job),
    Status("regular_work_6_months", _("in regular work 6 months after the job began"), formula=_lasting[6]),
    Status("regular_work_12_months", _("in regular work 12 months after the job began"), formula=_lasting[12]),
]


def _person_partner(ctx: Context):
    """The partner of the person's latest trajectory started by D, else of their latest referral sent by D."""
    trajectory = _trajectories(ctx).order_by("-start_date", "-id").values("partner__name")[:1]
    referral = _referrals(ctx).order_by("-registered_on", "-id").values("partner__name")[:1]
    return Coalesce(Subquery(trajectory), Subquery(referral), Value(UNKNOWN))


def _end_reason(ctx: Context):
    """The end reason of the person's latest trajectory ended by D; `not_ended` without one."""
    ended = _trajectories(ctx).filter(end_date__lte=ctx.as_of).order_by("-end_date", "-id")
    return Coalesce(Subquery(ended.values("end_reason__code")[:1]), Value("not_ended"))


PATHWAY = Measure(
    code="pathway",
    label=_("Pathway of the persons advised ready"),
    description=_(
        "Question 1's persons advised ready, by the year of their reference evaluation: how far each came on the "
        "reference date, from referral to regular work 12 months after the job began."
    ),
    units=pathway_units,
    model=Evaluation,
    status_dimension="step",
    dimensions=[
        dim("year", _("year of the ready advice"), lambda ctx: year_of("evaluation_date")),
        dim("province", _("province"), lambda ctx: province_of("employer__province"), flemish_provinces),
        dim("instrument", _("policy instrument"), lambda ctx: label_or_unknown("instrument__name")),
        dim("partner", _("partner"), _person_partner),
        *common_person_dims(age_path="age_years", date_path="evaluation_date"),
        dim(
            "se_employer",
            _("social-economy employer"),
            se_employer_at("evaluation_date", employer="employer", instrument="instrument"),
        ),
        dim("end_reason", _("end reason"), _end_reason),
    ],
    flags=PATHWAY_FLAGS,
    statuses=[
        *_STEP_FIGURES,
        Status(
            "regular_job_without_trajectory",
            _("regular job without a trajectory"),
            formula=_job & ~fact("trajectory"),
        ),
        Status(
            "not_yet_observable_6_months",
            _("regular job, 6 months not yet passed"),
            formula=_job & ~fact("passed_6"),
        ),
        Status(
            "not_yet_observable_12_months",
            _("regular job, 12 months not yet passed"),
            formula=_job & ~fact("passed_12"),
        ),
        Status(
            "left_referral_declined",
            _("left: referral declined, no trajectory"),
            formula=fact("declined") & ~fact("trajectory"),
        ),
        Status(
            "left_after_trajectory",
            _("left: trajectory ended, none running, no regular job"),
            formula=fact("ended") & ~fact("running") & ~_job,
        ),
        Status(
            "back_to_social_economy",
            _("left: back in the social economy after the regular job"),
            formula=_job & fact("back"),
        ),
        Status(
            "in_progress",
            _("in progress: trajectory running or referral unanswered"),
            formula=fact("running") | (fact("open_referral") & ~fact("trajectory")),
        ),
        *[
            Status(
                f"share_{status.code}",
                format_lazy("{}: {}", _("share of the cohort"), status.label),
                ratio=(status.code, "advised_ready"),
            )
            for status in _STEP_FIGURES[1:]
        ],
        *[
            # Over the same units as the steps, so that the medians and the steps' counts are one query
            # (one pass over the cohort and its dates, issue 17).
            Status(f"median_days_{name}", label, aggregate=f"median:{name}")
            for name, _later, _earlier, label in INTERVALS
        ],
    ],
    sums={name: _days_of(later, earlier) for name, later, earlier, _label in INTERVALS},
)


# --- per social-economy employer ------------------------------------------------------------------


def worker_units(ctx: Context):
    """Social-economy spells that started on or before D (and ran during the period, when there is one)."""
    qs = ctx.records(Employment).filter(instrument__isnull=False, start_date__lte=ctx.as_of)
    if ctx.period_from:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.period_from))
    if ctx.period_to:
        qs = qs.filter(start_date__lte=ctx.period_to)
    return qs


def move_units(ctx: Context):
    """Question 4's moves (`lasting_units`), each with the social-economy spell it moved from (its employer and
    instrument), computed once per move with the units.

    On PostgreSQL each person's first transition spell by `one_per_person` (DISTINCT ON), inside which
    the spell moved from is found once, where the dimension and the two figures of internal and
    external moves each probed the person's spells for it (issue 17)."""
    columns = {
        "_from_instrument": employer_before_move(ctx, "instrument_id"),
        "_from_employer": employer_before_move(ctx, "employer_id"),
    }
    return one_per_person(
        transition_spells(ctx).annotate(**columns),
        ["start_date", "id"],
        name="move",
        otherwise=lambda: lasting_units(ctx).annotate(**columns),
    )


def _moved_from(ctx: Context):
    """The `se_employer` dimension of a move (`move_units`): grouped by the ids of the spell moved from."""
    label = se_employer_before_move(ctx)
    label.keyed = KeyedLabel(columns=("_from_instrument", "_from_employer"), labels=employer_and_instrument_labels)
    return label


def _lasting_12(ctx):
    return months_passed(12)(ctx) & Q(Exists(spells(ctx).filter(regular_at(12))))


# The facts of a move: it was to the social-economy employer the person moved from; regular work 12 months on.
SE_EMPLOYER_FLAGS = Flags(
    unit={
        "internal": lambda ctx: Q(employer_id=F("_from_employer")),
        "lasting_12": _lasting_12,
    }
)

_WORKER_DIMS = {"se_employer": spell_employer}
_READY_DIMS = {"se_employer": se_employer_at("evaluation_date", employer="employer", instrument="instrument")}
_MOVE_DIMS = {"se_employer": _moved_from}


def _per_hundred(code, label):
    return Status(f"{code}_per_100", label, ratio=(code, "workers"), per_hundred=True)


SE_EMPLOYERS = Measure(
    code="se_employers",
    label=_("Transitions per social-economy employer"),
    description=_(
        "Per social-economy employer (with its instrument): its target-group workers, the persons advised ready, "
        "those who moved on to a regular job with it or elsewhere, and those still in regular work 12 months after."
    ),
    units=worker_units,
    model=Employment,
    dimensions=[dim("se_employer", _("social-economy employer"), spell_employer)],
    flags=SE_EMPLOYER_FLAGS,
    statuses=[
        Status("workers", _("target-group workers"), aggregate="count_persons", dimensions=_WORKER_DIMS),
        Status("advised_ready", _("advised ready"), units=ready_units, dimensions=_READY_DIMS),
        Status(
            "moved_internal",
            _("moved on with the same employer (internal)"),
            units=move_units,
            formula=fact("internal"),
            dimensions=_MOVE_DIMS,
        ),
        Status(
            "moved_external",
            _("moved on to another employer (external)"),
            units=move_units,
            formula=~fact("internal"),
            dimensions=_MOVE_DIMS,
        ),
        Status(
            "regular_after_12_months",
            _("in regular work 12 months after the move"),
            units=move_units,
            formula=fact("lasting_12"),
            dimensions=_MOVE_DIMS,
        ),
        _per_hundred("advised_ready", _("advised ready per 100 workers")),
        _per_hundred("moved_internal", _("moved on internally per 100 workers")),
        _per_hundred("moved_external", _("moved on externally per 100 workers")),
        _per_hundred("regular_after_12_months", _("in regular work after 12 months per 100 workers")),
    ],
)
