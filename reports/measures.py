"""The measures of docs/domain.md, defined as in docs/measures.md."""

import datetime
from functools import partial

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from employees.models import Employment
from evaluations.models import Evaluation, Referral
from partners.models import Grant
from reports.engine import (
    Context,
    Flags,
    Measure,
    Status,
    fact,
    flemish_provinces,
    label_or_unknown,
    number_or_unknown,
    province_of,
    year_of,
)
from reports.esf import ESF_PARTICIPANTS
from reports.functions import AddMonths, QuarterStart
from reports.pathway import PATHWAY, SE_EMPLOYERS
from reports.sources import covering, one_per_person
from reports.units import (
    common_person_dims,
    dim,
    evaluation_units,
    lasting_units,
    months_passed,
    ready_units,
    referral_accepted,
    referral_declined,
    referral_units,
    referral_withdrawn,
    regular_at,
    se_employer_at,
    se_employer_before_move,
    spells,
    trajectory_units,
)
from trajectories.models import Internship, Trajectory

# --- 1. evaluations (q3) ------------------------------------------------------


def _evaluation_dims():
    return [
        dim("year", _("year"), lambda ctx: year_of("evaluation_date")),
        dim("province", _("province"), lambda ctx: province_of("employer__province"), flemish_provinces),
        *common_person_dims(age_path="age_years", date_path="evaluation_date"),
        dim("instrument", _("policy instrument"), lambda ctx: label_or_unknown("instrument__name")),
        dim("advice", _("advice"), lambda ctx: label_or_unknown("advice__code")),
        dim("office", _("VDAB office"), lambda ctx: label_or_unknown("office")),
        dim(
            "se_employer",
            _("social-economy employer"),
            se_employer_at("evaluation_date", employer="employer", instrument="instrument"),
        ),
    ]


EVALUATIONS = Measure(
    code="evaluations",
    label=_("Evaluations"),
    description=_("Every VDAB evaluation, whatever its advice, by the evaluation date."),
    units=evaluation_units,
    model=Evaluation,
    dimensions=_evaluation_dims(),
    statuses=[Status("evaluations", _("evaluations"))],
)


# --- 2. persons advised ready (q1) ------------------------------------------------


READY = Measure(
    code="ready",
    label=_("Persons advised ready"),
    description=_("Persons with at least one evaluation advising 'doorstroomklaar', counted once each."),
    units=ready_units,
    model=Evaluation,
    dimensions=_evaluation_dims(),
    flags=Flags(
        # Every fact is of a spell covering D: the person's spells are restricted to those first, so that on a
        # past register the versions at K are checked for those only (83,000 probes instead of 107,000 for
        # q1_ready_at_work at a million persons, issue 17). The same figures: no fact holds for another spell.
        related=lambda ctx: spells(ctx).filter(covering(ctx.as_of)),
        related_facts={
            "at_work": lambda ctx: covering(ctx.as_of),
            "same_employer": lambda ctx: covering(ctx.as_of) & Q(employer_id=OuterRef("employer_id")),
            "regular": lambda ctx: covering(ctx.as_of) & Q(instrument__isnull=True),
        },
    ),
    statuses=[
        Status("advised_ready", _("advised ready")),
        Status("at_work", _("at work on the reference date"), formula=fact("at_work")),
        Status("at_work_same_employer", _("at work with the same employer"), formula=fact("same_employer")),
        Status(
            "at_work_other_employer",
            _("at work with another employer"),
            formula=fact("at_work") & ~fact("same_employer"),
        ),
        Status("at_work_regular_economy", _("in a regular-economy job"), formula=fact("regular")),
    ],
)


# --- 3. trajectories (q2a, q2b) ------------------------------------------------------


def _trajectory_dims(year_field="start_date"):
    return [
        dim("year", _("year"), lambda ctx: year_of(year_field)),
        dim("partner", _("partner"), lambda ctx: label_or_unknown("partner__name")),
        dim("province", _("province"), lambda ctx: province_of("se_employer__province"), flemish_provinces),
        *common_person_dims(age_path="age_years", date_path=None),
        dim("instrument", _("policy instrument"), lambda ctx: label_or_unknown("instrument__name")),
        dim("call", _("call"), lambda ctx: label_or_unknown("call__number")),
        dim(
            "se_employer",
            _("social-economy employer"),
            se_employer_at("start_date", employer="se_employer", instrument="instrument"),
        ),
    ]


def _ended_by_d(ctx):
    """Ended on or before D. No `end_date IS NOT NULL` beside it: `<=` already leaves out an unknown end,
    Django adds the test itself inside a negation (`running`), and the planner multiplied the two
    estimates into a fifth of the ended trajectories, which made it probe the internships once per
    trajectory where one merge anti-join reads each table once (q2c, docs/benchmarks.md)."""
    return Q(end_date__lte=ctx.as_of)


TRAJECTORIES = Measure(
    code="trajectories",
    label=_("Trajectories"),
    description=_("Trajectories started on or before the reference date, by start date."),
    units=trajectory_units,
    model=Trajectory,
    dimensions=_trajectory_dims(),
    statuses=[
        Status("trajectories", _("trajectories")),
        Status("running", _("running on the reference date"), condition=lambda ctx: ~_ended_by_d(ctx)),
        Status("ended", _("ended by the reference date"), condition=_ended_by_d),
        Status("persons", _("persons"), aggregate="count_persons"),
    ],
)


# --- 4. ended trajectories (q2c) ------------------------------------------------------


def ended_units(ctx: Context):
    return trajectory_units(ctx).filter(_ended_by_d(ctx))


def _internship_before_end(ctx):
    internships = ctx.records(Internship).filter(trajectory_id=OuterRef("id"), start_date__lte=OuterRef("end_date"))
    return Exists(internships)


ENDED = Measure(
    code="ended",
    label=_("Ended trajectories"),
    description=_("Trajectories started and ended on or before the reference date, by end date."),
    units=ended_units,
    model=Trajectory,
    dimensions=[
        *_trajectory_dims(year_field="end_date"),
        dim("end_reason", _("end reason"), lambda ctx: label_or_unknown("end_reason__code")),
        dim(
            "internship",
            _("internship"),
            lambda ctx: Case(
                When(_internship_before_end(ctx), then=Value("with_internship")),
                default=Value("without_internship"),
                output_field=CharField(),
            ),
        ),
    ],
    statuses=[
        Status("ended", _("ended")),
        Status(
            "ended_without_internship",
            _("ended without internship"),
            condition=lambda ctx: ~Q(_internship_before_end(ctx)),
        ),
        Status(
            "ended_with_internship", _("ended with internship"), condition=lambda ctx: Q(_internship_before_end(ctx))
        ),
    ],
)


# --- 5. internships ---------------------------------------------------------------------


def internship_units(ctx: Context):
    qs = ctx.records(Internship).filter(start_date__lte=ctx.as_of)
    if ctx.period_from:
        qs = qs.filter(start_date__gte=ctx.period_from)
    if ctx.period_to:
        qs = qs.filter(start_date__lte=ctx.period_to)
    return qs


INTERNSHIPS = Measure(
    code="internships",
    label=_("Internships"),
    description=_("Internships started on or before the reference date, by start date."),
    units=internship_units,
    model=Internship,
    dimensions=[
        dim("year", _("year"), lambda ctx: year_of("start_date")),
        dim("sector", _("sector"), lambda ctx: label_or_unknown("sector")),
        dim("partner", _("partner"), lambda ctx: label_or_unknown("trajectory__partner__name")),
        dim("outcome", _("outcome"), lambda ctx: label_or_unknown("outcome")),
        dim("province", _("province"), lambda ctx: province_of("host__province"), flemish_provinces),
        dim("call", _("call"), lambda ctx: label_or_unknown("trajectory__call__number")),
        dim(
            "se_employer",
            _("social-economy employer"),
            se_employer_at(
                "start_date",
                employee="trajectory__employee_id",
                employer="trajectory__se_employer",
                instrument="trajectory__instrument",
            ),
        ),
    ],
    statuses=[
        Status("internships", _("internships")),
        Status("hired", _("hired by the host"), condition=lambda ctx: Q(outcome="hired")),
    ],
)


# --- 6. persons at work in the regular economy (q2d) ---------------------------------------


def latest_trajectory_units(ctx: Context):
    """Each person's latest trajectory started on or before D: the unit of the at-work counts.

    On PostgreSQL the first of each person in the order (start_date DESC, id DESC) by
    `one_per_person`. Elsewhere: "no trajectory of the same person starts later (or the same day
    with a higher id)", an anti-join with a row estimate, where `id = (latest of the person)`
    was a sorted subquery per trajectory that the planner took for a few dozen rows.
    """
    units = trajectory_units(ctx)

    def without_a_later_one():
        later = units.filter(employee_id=OuterRef("employee_id")).filter(
            Q(start_date__gt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), id__gt=OuterRef("id"))
        )
        return units.filter(~Exists(later))

    return one_per_person(units, ["-start_date", "-id"], name="latest_trajectory", otherwise=without_a_later_one)


AT_WORK = Measure(
    code="at_work",
    label=_("Persons at work in the regular economy"),
    description=_(
        "Persons with a trajectory started on or before the reference date who have a regular-economy job on that date."
    ),
    units=latest_trajectory_units,
    model=Trajectory,
    dimensions=_trajectory_dims(),
    flags=Flags(
        related=lambda ctx: spells(ctx, instrument__isnull=True).filter(covering(ctx.as_of)),
        related_facts={
            "regular": lambda ctx: Q(instrument__isnull=True),
            "without_package": lambda ctx: Q(with_support_package=False),
            "internal": lambda ctx: Q(employer_id=OuterRef("se_employer_id")),
        },
    ),
    statuses=[
        Status("trajectories", _("trajectories"), units=trajectory_units),
        Status("persons", _("persons with a trajectory")),
        Status("at_work", _("at work in the regular economy"), formula=fact("regular")),
        Status(
            "at_work_without_support_package",
            _("at work without work-support package"),
            formula=fact("without_package"),
        ),
        Status(
            "at_work_with_support_package",
            _("at work with work-support package only"),
            formula=fact("regular") & ~fact("without_package"),
        ),
        Status("at_work_internal", _("at work with the same employer (internal)"), formula=fact("internal")),
        Status(
            "at_work_external",
            _("at work with another employer (external)"),
            formula=fact("regular") & ~fact("internal"),
        ),
    ],
)


# --- 7. lasting work (question 4) ----------------------------------------------------------------


def _returns(ctx):
    """The person's social-economy spells that began after the move (the outer spell), first one first."""
    return (
        ctx.records(Employment)
        .filter(
            employee_id=OuterRef("employee_id"),
            instrument__isnull=False,
            start_date__gt=OuterRef("start_date"),
            start_date__lte=ctx.as_of,
        )
        .order_by("start_date")
    )


def _return_after(ctx):
    """How long after the move the first return came, from one subquery that gives the bucket of that return."""
    bucket = (
        _returns(ctx)
        .annotate(
            bucket=Case(
                When(start_date__lte=AddMonths(OuterRef("start_date"), 3), then=Value("0-3m")),
                When(start_date__lte=AddMonths(OuterRef("start_date"), 6), then=Value("3-6m")),
                When(start_date__lte=AddMonths(OuterRef("start_date"), 12), then=Value("6-12m")),
                default=Value("12m+"),
                output_field=CharField(),
            )
        )
        .values("bucket")[:1]
    )
    return Coalesce(Subquery(bucket), Value("not_returned"), output_field=CharField())


LASTING_WORK = Measure(
    code="lasting_work",
    label=_("Lasting work"),
    description=_("Persons who moved from a social-economy job to a regular job, by the year of the move."),
    units=lasting_units,
    model=Employment,
    dimensions=[
        dim("year", _("year"), lambda ctx: year_of("start_date")),
        *common_person_dims(age_path=None, date_path="start_date"),
        dim("return_after", _("back in the social economy after"), _return_after),
        dim("se_employer", _("social-economy employer"), se_employer_before_move),
        dim(
            "support_package",
            _("work-support package"),
            lambda ctx: Case(
                When(with_support_package=True, then=Value("with_support_package")),
                default=Value("without_support_package"),
                output_field=CharField(),
            ),
        ),
    ],
    flags=Flags(
        unit={f"passed_{n}": months_passed(n) for n in (3, 6, 12)},
        related=spells,
        related_facts={
            **{f"regular_at_{n}": (lambda n: lambda ctx: regular_at(n))(n) for n in (3, 6, 12)},
            "back": lambda ctx: Q(
                instrument__isnull=False, start_date__gt=OuterRef("start_date"), start_date__lte=ctx.as_of
            ),
            "regular_on_d": lambda ctx: Q(instrument__isnull=True) & covering(ctx.as_of),
        },
    ),
    statuses=[
        Status("moved", _("moved to a regular job")),
        *[
            Status(f"regular_after_{n}_months", label, formula=fact(f"passed_{n}") & fact(f"regular_at_{n}"))
            for n, label in (
                (3, _("in regular work after 3 months")),
                (6, _("in regular work after 6 months")),
                (12, _("in regular work after 12 months")),
            )
        ],
        Status("back_to_social_economy", _("back in the social economy"), formula=fact("back")),
        Status(
            "in_regular_work",
            _("in regular work on the reference date, not back"),
            formula=~fact("back") & fact("regular_on_d"),
        ),
        Status("neither", _("neither"), formula=~fact("back") & ~fact("regular_on_d")),
    ],
)


# --- 7b. WIOA-style employment rate after exit --------------------------------------------------


def _quarter_employed(quarters_after):
    """Regular work in the n-th calendar quarter after the quarter the trajectory ended (observed quarters only)."""

    def observed(ctx):
        window_end = AddMonths(QuarterStart(F("end_date")), 3 * (quarters_after + 1))
        return Q(LessThanOrEqual(window_end, Value(ctx.as_of + datetime.timedelta(days=1))))

    def in_window(ctx):
        """A regular spell overlapping that quarter (a fact of the person's spells)."""
        window_start = AddMonths(QuarterStart(OuterRef("end_date")), 3 * quarters_after)
        window_end = AddMonths(QuarterStart(OuterRef("end_date")), 3 * (quarters_after + 1))
        return Q(instrument__isnull=True, start_date__lt=window_end) & (
            Q(end_date__isnull=True) | Q(end_date__gte=window_start)
        )

    return observed, in_window


_q2_observed, _q2_in_window = _quarter_employed(2)
_q4_observed, _q4_in_window = _quarter_employed(4)

EMPLOYMENT_AFTER_EXIT = Measure(
    code="employment_after_exit",
    label=_("Regular work after the trajectory ended (WIOA)"),
    description=_(
        "Of the trajectories ended by the reference date: in regular work in the 2nd and 4th quarter after the exit quarter."
    ),
    units=ended_units,
    model=Trajectory,
    dimensions=_trajectory_dims(year_field="end_date"),
    flags=Flags(
        unit={"observed_q2": _q2_observed, "observed_q4": _q4_observed},
        related=spells,
        related_facts={"work_q2": _q2_in_window, "work_q4": _q4_in_window},
    ),
    statuses=[
        Status("ended", _("ended")),
        Status("observed_q2", _("2nd quarter after exit observed"), formula=fact("observed_q2")),
        Status(
            "regular_work_q2",
            _("in regular work in the 2nd quarter after exit"),
            formula=fact("observed_q2") & fact("work_q2"),
        ),
        Status("share_q2", _("share in regular work, 2nd quarter"), ratio=("regular_work_q2", "observed_q2")),
        Status("observed_q4", _("4th quarter after exit observed"), formula=fact("observed_q4")),
        Status(
            "regular_work_q4",
            _("in regular work in the 4th quarter after exit"),
            formula=fact("observed_q4") & fact("work_q4"),
        ),
        Status("share_q4", _("share in regular work, 4th quarter"), ratio=("regular_work_q4", "observed_q4")),
    ],
)


# --- 8. money (q2e) ------------------------------------------------------------------------------


def grant_units(ctx: Context):
    """Grants registered by K whose partner was registered by K too (docs/measures.md, q2e), with the
    amounts of their version at K."""
    grants = ctx.records(Grant)
    if ctx.known_at is not None:
        grants = grants.filter(partner__registered_on__lte=ctx.known_at)
    return grants


_TRAJECTORY_MONEY_DIMS = {
    "call": lambda ctx: label_or_unknown("call__number"),
    "partner": lambda ctx: label_or_unknown("partner__name"),
    "year": lambda ctx: year_of("start_date"),
    "province": lambda ctx: province_of("partner__province"),
}

MONEY = Measure(
    code="money",
    label=_("Money"),
    description=_("Amounts granted per call, partner and year, what was spent and what the trajectories earned."),
    units=grant_units,
    model=Grant,
    status_dimension="source",
    dimensions=[
        dim("call", _("call"), lambda ctx: label_or_unknown("call__number")),
        dim("partner", _("partner"), lambda ctx: label_or_unknown("partner__name")),
        dim("year", _("year"), lambda ctx: number_or_unknown("year")),
        dim("province", _("province of the partner"), lambda ctx: province_of("partner__province"), None),
    ],
    sums={
        "total": lambda ctx: F("esf_amount") + F("flemish_amount"),
        "esf": lambda ctx: F("esf_amount"),
        "flemish": lambda ctx: F("flemish_amount"),
        "spent": lambda ctx: F("spent_amount"),
        "standard_cost": lambda ctx: F("call__standard_cost"),
    },
    statuses=[
        Status("total", _("granted, total"), aggregate="sum:total", money=True),
        Status("esf", _("granted, ESF share"), aggregate="sum:esf", money=True),
        Status("flemish_cofinancing", _("granted, Flemish co-financing"), aggregate="sum:flemish", money=True),
        Status("spent", _("spent"), aggregate="sum:spent", money=True),
        Status(
            "earned",
            _("earned at the standard cost per trajectory"),
            units=trajectory_units,
            aggregate="sum:standard_cost",
            money=True,
            dimensions=_TRAJECTORY_MONEY_DIMS,
        ),
        Status("trajectories", _("trajectories"), units=trajectory_units, dimensions=_TRAJECTORY_MONEY_DIMS),
        Status(
            "persons_at_work",
            _("persons at work in the regular economy"),
            units=trajectory_units,
            aggregate="count_persons",
            # The at-work figure of AT_WORK, on the trajectories of the money measure.
            condition=partial(fact("regular").q, AT_WORK.flags),
            dimensions=_TRAJECTORY_MONEY_DIMS,
        ),
        Status("cost_per_trajectory", _("spent per trajectory"), ratio=("spent", "trajectories"), money=True),
        Status(
            "cost_per_person_at_work", _("spent per person at work"), ratio=("spent", "persons_at_work"), money=True
        ),
    ],
)


# --- 9. referrals, from sending to answer -------------------------------------------------------


REFERRALS = Measure(
    code="referrals",
    label=_("Referrals"),
    description=_(
        "Referrals sent on or before the reference date, by the day of the referral, and the partners' answers."
    ),
    units=referral_units,
    model=Referral,
    dimensions=[
        dim("year", _("year"), lambda ctx: year_of("registered_on")),
        dim("partner", _("partner"), lambda ctx: label_or_unknown("partner__name")),
        dim("province", _("province"), lambda ctx: province_of("evaluation__employer__province"), flemish_provinces),
        *common_person_dims(age_path=None, date_path="registered_on"),
        dim("instrument", _("policy instrument"), lambda ctx: label_or_unknown("evaluation__instrument__name")),
        dim("decline_reason", _("reason for declining"), lambda ctx: label_or_unknown("decline_reason__code")),
        dim(
            "se_employer",
            _("social-economy employer"),
            se_employer_at("registered_on", employer="evaluation__employer", instrument="evaluation__instrument"),
        ),
    ],
    sums={"days_to_answer": lambda ctx: F("days_to_answer")},
    statuses=[
        Status("sent", _("sent")),
        Status("accepted", _("accepted (trajectory started)"), condition=referral_accepted),
        Status("declined", _("declined"), condition=referral_declined),
        Status("withdrawn", _("withdrawn"), condition=referral_withdrawn),
        Status(
            "open",
            _("open (no answer yet)"),
            condition=lambda ctx: ~(referral_accepted(ctx) | referral_declined(ctx) | referral_withdrawn(ctx)),
        ),
        Status(
            "median_days_to_answer",
            _("median days to answer"),
            aggregate="median:days_to_answer",
            condition=lambda ctx: (referral_accepted(ctx) | referral_declined(ctx)) & Q(days_to_answer__isnull=False),
        ),
    ],
)


MEASURES = {
    m.code: m
    for m in (
        EVALUATIONS,
        READY,
        TRAJECTORIES,
        ENDED,
        INTERNSHIPS,
        AT_WORK,
        LASTING_WORK,
        EMPLOYMENT_AFTER_EXIT,
        MONEY,
        REFERRALS,
        PATHWAY,
        SE_EMPLOYERS,
        ESF_PARTICIPANTS,
    )
}


def measure_choices():
    return [(m.code, m.label) for m in MEASURES.values()]
