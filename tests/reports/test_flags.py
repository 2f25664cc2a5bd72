"""A flagged figure is written once, as a formula of facts, and both of the engine's readings agree.

The engine counts the figures of ready, at_work, lasting_work and
employment_after_exit per combination of facts, one probe per unit
(`Formula.holds`); the same formula read as SQL (`Formula.q`, an EXISTS per
fact) selects a single figure's units and the records behind a cell. These
tests compute every figure both ways on one varied register, live and at a
past register date, and check the buckets of the return to the social economy.
"""

import dataclasses
import datetime

import pytest

from reports.engine import Context, compute
from reports.measures import MEASURES
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db

FLAGGED = ["ready", "at_work", "lasting_work", "employment_after_exit"]


def _mover(regular_start, *, regular_end=None, back_on=None, with_support_package=False):
    person = factories.EmployeeFactory()
    factories.EmploymentFactory(
        employee=person, start_date=D(2015, 1, 1), end_date=regular_start - datetime.timedelta(days=1)
    )
    factories.EmploymentFactory(
        employee=person,
        regular=True,
        start_date=regular_start,
        end_date=regular_end,
        with_support_package=with_support_package,
    )
    if back_on:
        factories.EmploymentFactory(employee=person, start_date=back_on)
    return person


@pytest.fixture
def register(later):
    """Movers who return after 2, 5, 9 and 15 months or stay; ready persons at work with the same or another
    employer or not at work; trajectories followed by internal, external, supported and no regular work."""
    _mover(D(2017, 2, 1), regular_end=D(2017, 3, 15), back_on=D(2017, 4, 1))  # back within 3 months
    _mover(D(2017, 2, 1), regular_end=D(2017, 6, 15), back_on=D(2017, 7, 1))  # 3-6 months
    _mover(D(2018, 2, 1), regular_end=D(2018, 10, 15), back_on=D(2018, 11, 1))  # 6-12 months
    _mover(D(2018, 2, 1), regular_end=D(2019, 4, 15), back_on=D(2019, 5, 1))  # after 12 months
    _mover(D(2018, 6, 1))  # still in regular work
    _mover(D(2018, 6, 1), regular_end=D(2018, 12, 31), with_support_package=True)  # neither
    changed = _mover(D(2019, 1, 1))
    # A change dated after the register date: at that date the spell still ran.
    spell = changed.employments.get(instrument__isnull=True)
    spell.end_date = D(2019, 3, 31)
    spell._history_date = later
    spell.save()

    for same_employer in (True, False):
        evaluation = factories.EvaluationFactory()
        employer = evaluation.employer if same_employer else factories.OrganisationFactory()
        factories.EmploymentFactory(employee=evaluation.employee, employer=employer, start_date=D(2019, 4, 1))
    factories.EvaluationFactory()  # not at work
    undated = factories.EvaluationFactory(undated=True)
    factories.EmploymentFactory(employee=undated.employee, regular=True, start_date=D(2019, 5, 1))

    for kind in ("internal", "external", "supported", "none"):
        trajectory = factories.TrajectoryFactory(ended=True, start_date=D(2018, 4, 1), end_date=D(2018, 5, 15))
        if kind == "none":
            continue
        factories.EmploymentFactory(
            employee=trajectory.employee,
            regular=True,
            employer=trajectory.se_employer if kind == "internal" else factories.RegularEmployerFactory(),
            with_support_package=kind == "supported",
            start_date=D(2018, 12, 1),
        )


def _both_ways(code, dimensions, ctx, population=None):
    measure = MEASURES[code]
    by_flags = compute(measure, ctx, dimensions=dimensions, population=population)
    by_conditions = compute(dataclasses.replace(measure, flags=None), ctx, dimensions=dimensions, population=population)
    return by_flags, by_conditions


@pytest.mark.parametrize("code", FLAGGED)
@pytest.mark.parametrize("known_at", [None, D(2019, 6, 30)])
def test_every_figure_from_the_facts_equals_its_condition(register, code, known_at):
    ctx = Context(as_of=D(2019, 11, 30), known_at=known_at)
    for dimensions in (["status"], ["status", "year"]):
        by_flags, by_conditions = _both_ways(code, dimensions, ctx)
        assert by_flags.cells == by_conditions.cells
        assert by_flags.labels == by_conditions.labels
    # The register is varied enough that the facts decide: the figures differ from each other.
    counts = [v for v in by_flags.cells.values() if isinstance(v, int)]
    assert any(counts) and len(set(counts)) > 1


@pytest.mark.parametrize("population", ["at_work_other_employer", "neither", "regular_work_q2", "at_work_external"])
def test_one_figure_alone_counts_as_its_condition(register, population):
    code = next(c for c in FLAGGED if population in {s.code for s in MEASURES[c].statuses})
    by_flags, by_conditions = _both_ways(code, ["year"], Context(as_of=D(2019, 11, 30)), population=population)
    assert by_flags.cells == by_conditions.cells
    assert sum(by_flags.cells.values()) >= 1


def test_the_return_to_the_social_economy_falls_in_its_bucket(register):
    result = compute(
        MEASURES["lasting_work"], Context(as_of=D(2019, 11, 30)), dimensions=["return_after"], population="moved"
    )

    assert result.cells == {("0-3m",): 1, ("3-6m",): 1, ("6-12m",): 1, ("12m+",): 1, ("not_returned",): 3}


@pytest.mark.parametrize("code", FLAGGED)
def test_every_flagged_figure_is_a_formula_of_facts_the_flags_define(code):
    measure = MEASURES[code]
    facts = set(measure.flags.unit) | set(measure.flags.related_facts)
    restricted = [s for s in measure.statuses if s.condition is not None and not s.units]
    assert restricted and all(s.formula is not None for s in restricted)

    def names(formula):
        return {formula.args[0]} if formula.op == "fact" else set().union(*(names(a) for a in formula.args))

    for status in restricted:
        assert names(status.formula) <= facts, status.code
