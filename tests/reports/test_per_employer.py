"""Per social-economy employer (issue 16, point 2): the `se_employer` dimension and the transitions report."""

import datetime
from decimal import Decimal

import pytest

from employees.models import Instrument
from reports import formatting
from reports.measures import MEASURES
from reports.models import SavedReport
from reports.services import run_report
from tests import factories
from tests.reports.conftest import cells

D = datetime.date
AS_OF = D(2021, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return factories.OrganisationFactory(name="Atelier Noord")


def _worker(employer, start=D(2017, 1, 1), end=None):
    person = factories.EmployeeFactory()
    factories.EmploymentFactory(employee=person, employer=employer, start_date=start, end_date=end)
    return person


def test_the_se_employer_of_an_evaluation_is_that_of_the_spell_on_its_date_with_its_instrument(workshop):
    person = _worker(workshop, end=D(2019, 12, 31))
    other = factories.OrganisationFactory(name="Kringwinkel Zuid")
    factories.EmploymentFactory(employee=person, employer=other, start_date=D(2020, 1, 1))
    factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 3, 15), employer=other)
    # No spell on the date: the employer the evaluation names.
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 15), employer=other)
    factories.EvaluationFactory(evaluation_date=None)  # undated, its employer named on it

    found = cells("evaluations", ["se_employer"], as_of=AS_OF)

    instrument = Instrument.objects.get(code="collectief-maatwerk").name
    assert found[f"Atelier Noord ({instrument})"] == 1
    assert found[f"Kringwinkel Zuid ({instrument})"] == 1
    assert sum(found.values()) == 3


def test_every_measure_of_persons_and_trajectories_has_the_se_employer_dimension():
    with_it = {code for code, measure in MEASURES.items() if "se_employer" in measure.dimension_names}
    assert with_it == set(MEASURES) - {"money"}


def test_a_trajectory_and_a_move_are_counted_with_the_employer_the_person_left_from(workshop):
    person = _worker(workshop, end=D(2019, 3, 31))
    factories.TrajectoryFactory(employee=person, start_date=D(2019, 1, 7), se_employer=workshop)
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2019, 4, 1))

    trajectories = cells("trajectories", ["se_employer"], as_of=AS_OF, population="trajectories")
    moves = cells("lasting_work", ["se_employer"], as_of=AS_OF, population="moved")

    assert [label for label, value in trajectories.items() if value] == [label for label in moves if moves[label]]
    assert list(moves.values()) == [1]


def test_the_transitions_per_employer_count_workers_ready_moves_and_lasting_work_per_100(workshop):
    instrument = Instrument.objects.get(code="collectief-maatwerk").name
    label = f"Atelier Noord ({instrument})"
    workers = [_worker(workshop) for _ in range(6)]
    # Two advised ready while at the workshop (one of them twice).
    factories.EvaluationFactory(employee=workers[0], evaluation_date=D(2018, 5, 1), employer=workshop)
    factories.EvaluationFactory(employee=workers[0], evaluation_date=D(2019, 5, 1), employer=workshop)
    factories.EvaluationFactory(employee=workers[1], evaluation_date=D(2018, 5, 1), employer=workshop)
    # Moves: one internal (a regular job with the workshop itself), still there; two external, one of which
    # ended after 3 months.
    internal = workers[0].employments.get()
    internal.end_date = D(2019, 5, 31)
    internal.save()
    factories.EmploymentFactory(employee=workers[0], employer=workshop, instrument=None, start_date=D(2019, 6, 1))
    for person, end in ((workers[1], None), (workers[2], D(2019, 9, 30))):
        spell = person.employments.get()
        spell.end_date = D(2019, 6, 30)
        spell.save()
        factories.EmploymentFactory(employee=person, regular=True, start_date=D(2019, 7, 1), end_date=end)

    found = cells("se_employers", ["status", "se_employer"], as_of=AS_OF)

    assert found[("workers", label)] == 6
    assert found[("advised_ready", label)] == 2
    assert found[("moved_internal", label)] == 1
    assert found[("moved_external", label)] == 2
    assert found[("regular_after_12_months", label)] == 2
    assert found[("advised_ready_per_100", label)] == Decimal("33.33")
    assert found[("moved_external_per_100", label)] == Decimal("33.33")
    assert found[("regular_after_12_months_per_100", label)] == Decimal("33.33")


def test_a_figure_per_100_and_a_median_are_written_as_numbers_not_suppressed_nor_as_percentages(workshop):
    for _ in range(3):
        person = _worker(workshop)
        factories.EvaluationFactory(employee=person, evaluation_date=D(2018, 5, 1), employer=workshop)
    report = SavedReport.objects.get(slug="transitions_by_se_employer")

    table = run_report(report, as_of=AS_OF).table()

    row = next(row for row in table["rows"] if row["keys"][0].startswith("Atelier Noord"))
    shown = {cell.labels["status"]: cell.shown for cell in row["cells"]}
    assert shown["workers"] == shown["advised_ready"] == "<5"  # suppressed below 5 by default
    assert shown["advised_ready_per_100"] == "100"
    assert formatting.rate(Decimal("33.33")) == "33,3"


def test_a_worker_of_two_employers_with_one_name_is_counted_once_under_that_name():
    # The workers are grouped by the ids of employer and instrument and named afterwards; two employers
    # with the same name give one label, under which a person who worked for both is one worker.
    first, second = (factories.OrganisationFactory(name="Atelier Noord") for _ in range(2))
    person = _worker(first, end=D(2018, 12, 31))
    factories.EmploymentFactory(employee=person, employer=second, start_date=D(2019, 1, 1))
    _worker(second)
    label = f"Atelier Noord ({Instrument.objects.get(code='collectief-maatwerk').name})"

    found = cells("se_employers", ["status", "se_employer"], as_of=AS_OF, population=None)

    assert found[("workers", label)] == 2


def test_moves_are_counted_per_employer_and_instrument_moved_from_with_their_names(workshop):
    other = factories.OrganisationFactory(name="Kringwinkel Zuid")
    for employer, regular_employer in ((workshop, workshop), (workshop, other), (other, workshop)):
        person = _worker(employer, end=D(2019, 3, 31))
        factories.EmploymentFactory(
            employee=person, employer=regular_employer, instrument=None, start_date=D(2019, 4, 1)
        )
    instrument = Instrument.objects.get(code="collectief-maatwerk").name

    found = cells("se_employers", ["status", "se_employer"], as_of=AS_OF)

    assert found[("moved_internal", f"Atelier Noord ({instrument})")] == 1
    assert found[("moved_external", f"Atelier Noord ({instrument})")] == 1
    assert found[("moved_external", f"Kringwinkel Zuid ({instrument})")] == 1
    assert found[("moved_internal", f"Kringwinkel Zuid ({instrument})")] == 0
