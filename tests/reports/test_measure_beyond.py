"""Lasting work (question 4), regular work after the trajectory (WIOA) and money (2e)."""

import datetime
from decimal import Decimal

import pytest

from tests import factories
from tests.reports.conftest import cells

D = datetime.date
pytestmark = pytest.mark.django_db


def _mover(se_start=D(2016, 1, 1), se_end=D(2018, 1, 31), regular_start=D(2018, 2, 1), regular_end=None):
    """A person who worked in the social economy, then moved to a regular job."""
    person = factories.EmployeeFactory()
    factories.EmploymentFactory(employee=person, start_date=se_start, end_date=se_end)
    factories.EmploymentFactory(employee=person, regular=True, start_date=regular_start, end_date=regular_end)
    return person


def test_lasting_work_follows_each_mover_after_3_6_and_12_months():
    _mover()  # still at work
    _mover(regular_end=D(2018, 6, 30))  # 3 months yes, 6 and 12 no
    person = factories.EmployeeFactory()
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2018, 3, 1))  # never in the SE

    result = cells("lasting_work", ["status"], as_of=D(2019, 11, 30))

    assert result["moved"] == 2
    assert result["regular_after_3_months"] == 2
    assert result["regular_after_6_months"] == 1
    assert result["regular_after_12_months"] == 1


def test_lasting_work_does_not_count_months_that_lie_after_the_reference_date():
    _mover(regular_start=D(2019, 10, 1))

    result = cells("lasting_work", ["status"], as_of=D(2019, 11, 30))

    assert result["moved"] == 1
    assert result["regular_after_3_months"] == 0


def test_a_person_with_two_regular_jobs_moved_once_in_the_year_of_the_first():
    person = _mover(regular_start=D(2017, 2, 1), se_end=D(2017, 1, 31), regular_end=D(2017, 12, 31))
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2018, 5, 1))

    assert cells("lasting_work", ["year"], as_of=D(2019, 11, 30)) == {"2017": 1}


def test_back_to_the_social_economy_and_after_how_long():
    back = _mover(regular_end=D(2018, 5, 31))
    factories.EmploymentFactory(employee=back, start_date=D(2018, 7, 1))  # 5 months after the move
    _mover(regular_end=D(2018, 9, 30))  # neither: out of work on D
    _mover()  # still in regular work

    status = cells("lasting_work", ["status"], as_of=D(2019, 11, 30))
    after = cells("lasting_work", ["return_after"], as_of=D(2019, 11, 30), population="back_to_social_economy")

    assert status["back_to_social_economy"] == 1
    assert status["neither"] == 1
    assert status["in_regular_work"] == 1
    assert after == {"3-6m": 1}


def test_lasting_work_age_band_is_the_age_at_the_move():
    person = _mover(regular_start=D(2018, 2, 1))
    person.birth_date = D(1993, 3, 1)  # 24 at the move, 26 on D
    person.save()

    assert cells("lasting_work", ["age_band"], as_of=D(2019, 11, 30))["<25"] == 1


def test_regular_work_in_the_second_and_fourth_quarter_after_exit():
    trajectory = factories.TrajectoryFactory(start_date=D(2018, 4, 1), end_date=D(2018, 5, 15))
    # Exit quarter Q2 2018: the 2nd quarter after is Q4 2018, the 4th is Q2 2019.
    factories.EmploymentFactory(
        employee=trajectory.employee, regular=True, start_date=D(2018, 12, 20), end_date=D(2019, 1, 15)
    )
    other = factories.TrajectoryFactory(start_date=D(2018, 4, 1), end_date=D(2018, 5, 15))
    factories.EmploymentFactory(employee=other.employee, regular=True, start_date=D(2019, 5, 1))

    result = cells("employment_after_exit", ["status"], as_of=D(2019, 11, 30))

    assert result["ended"] == 2
    assert result["observed_q2"] == 2
    assert result["regular_work_q2"] == 1
    assert result["regular_work_q4"] == 1
    assert result["share_q2"] == Decimal("0.50")


def test_a_quarter_not_yet_over_on_the_reference_date_is_not_observed():
    trajectory = factories.TrajectoryFactory(start_date=D(2019, 4, 1), end_date=D(2019, 5, 15))
    factories.EmploymentFactory(employee=trajectory.employee, regular=True, start_date=D(2019, 10, 1))

    result = cells("employment_after_exit", ["status"], as_of=D(2019, 11, 30))

    assert result["observed_q2"] == 0
    assert result["regular_work_q2"] == 0
    assert result["share_q2"] is None


def test_money_sums_grants_and_earns_the_standard_cost_per_trajectory():
    partner = factories.PartnerFactory(name="Jomi")
    factories.GrantFactory(partner=partner, year=2019, spent_amount=Decimal("8000.00"))
    factories.GrantFactory(partner=partner, year=2018)
    factories.TrajectoryFactory(partner=partner, start_date=D(2019, 4, 1))
    person = factories.TrajectoryFactory(partner=partner, start_date=D(2019, 5, 1)).employee
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2019, 9, 1))

    result = cells("money", ["source", "year"], as_of=D(2019, 11, 30))

    assert result[("total", "2019")] == Decimal("42000.00")
    assert result[("esf", "2018")] == Decimal("16800.00")
    assert result[("spent", "2019")] == Decimal("8000.00")
    assert result[("spent", "2018")] is None
    assert result[("earned", "2019")] == Decimal("8400.00")
    assert result[("trajectories", "2019")] == 2
    assert result[("cost_per_trajectory", "2019")] == Decimal("4000.00")
    assert result[("cost_per_person_at_work", "2019")] == Decimal("8000.00")
    assert result[("cost_per_trajectory", "2018")] is None


def test_money_of_another_call_is_left_out_by_the_call_filter():
    factories.GrantFactory()
    factories.GrantFactory(call=factories.CallFactory(number="380"))

    result = cells(
        "money",
        ["source"],
        as_of=D(2019, 11, 30),
        filters={"call": ["432"]},
        fixed={"source": ["total", "esf", "flemish_cofinancing"]},
    )

    assert result == {
        "total": Decimal("42000.00"),
        "esf": Decimal("16800.00"),
        "flemish_cofinancing": Decimal("25200.00"),
    }


def test_a_grant_created_today_counts_on_an_earlier_known_at():
    factories.GrantFactory()

    result = cells("money", ["source"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30), fixed={"source": ["total"]})

    assert result == {"total": Decimal("42000.00")}


def test_spending_recorded_after_known_at_is_not_known_then(later):
    grant = factories.GrantFactory(year=2019)
    grant.spent_amount = Decimal("30000.00")
    grant._history_date = later
    grant.save()

    then = cells("money", ["source"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30), fixed={"source": ["spent"]})
    now = cells("money", ["source"], as_of=D(2019, 11, 30), fixed={"source": ["spent"]})

    assert then == {"spent": None}
    assert now == {"spent": Decimal("30000.00")}


def test_lasting_work_reads_jobs_registered_by_known_at_only():
    person = _mover(regular_start=D(2018, 2, 1))
    factories.EmploymentFactory(employee=person, start_date=D(2018, 8, 1), registered_on=D(2020, 1, 5))

    then = cells("lasting_work", ["status"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))
    now = cells("lasting_work", ["status"], as_of=D(2019, 11, 30))

    assert then["back_to_social_economy"] == 0
    assert now["back_to_social_economy"] == 1
