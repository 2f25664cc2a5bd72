"""Who is at work on a date, on hand-made spells: the person's page and the reports agree."""

import datetime

import pytest

from people.work_status import WorkStatus, work_situation
from reports import engine, measures
from tests import factories

D = datetime.date


def spell(employee, employer, start, end=None, *, regular=False, support=False):
    return factories.EmploymentFactory(
        employee=employee,
        employer=employer,
        instrument=None if regular else factories.instrument(),
        start_date=start,
        end_date=end,
        with_support_package=support,
    )


def both(employee, on):
    """The answer for the person's page; where the person has a trajectory, the reports must agree."""
    single = work_situation(employee, on)
    if employee.trajectories.filter(start_date__lte=on).exists():
        assert report_statuses(on) == expected_report_statuses(single)
    return single


def report_statuses(on) -> dict:
    """The at-work figures of the reports (AT_WORK, unfiltered) at `on`, for a database of one person."""
    result = engine.compute(measures.AT_WORK, engine.Context(as_of=on), dimensions=["status"])
    wanted = ("at_work", "at_work_internal", "at_work_external")
    return {code: result.value((code,)) for code in wanted}


def expected_report_statuses(situation) -> dict:
    return {
        "at_work": int(situation.in_regular_work),
        "at_work_internal": int(situation.status == WorkStatus.REGULAR_INTERNAL),
        "at_work_external": int(situation.status == WorkStatus.REGULAR_EXTERNAL),
    }


@pytest.fixture
def se_employer(db):
    return factories.OrganisationFactory()


@pytest.fixture
def regular_employer(db):
    return factories.RegularEmployerFactory()


@pytest.fixture
def person(db):
    return factories.EmployeeFactory()


def test_person_without_spells_is_not_at_work(person):
    assert both(person, D(2020, 1, 1)).status == WorkStatus.NOT_AT_WORK


def test_social_economy_spell_covering_the_date_means_in_the_social_economy(person, se_employer):
    spell(person, se_employer, D(2016, 1, 1))
    assert both(person, D(2020, 1, 1)).status == WorkStatus.SOCIAL_ECONOMY


def test_regular_job_with_another_employer_is_external(person, se_employer, regular_employer):
    spell(person, se_employer, D(2016, 1, 1), D(2019, 12, 31))
    spell(person, regular_employer, D(2020, 1, 1), regular=True)
    situation = both(person, D(2020, 6, 1))
    assert situation.status == WorkStatus.REGULAR_EXTERNAL
    assert situation.in_regular_work
    assert not situation.with_support_package


def test_regular_job_with_the_last_social_economy_employer_is_internal(person, se_employer):
    spell(person, se_employer, D(2016, 1, 1), D(2019, 12, 31))
    spell(person, se_employer, D(2020, 1, 1), regular=True, support=True)
    situation = both(person, D(2020, 6, 1))
    assert situation.status == WorkStatus.REGULAR_INTERNAL
    assert situation.with_support_package


def test_internal_follows_the_last_social_economy_employer_not_an_earlier_one(person, se_employer, regular_employer):
    later_se = factories.OrganisationFactory()
    spell(person, se_employer, D(2014, 1, 1), D(2016, 12, 31))
    spell(person, later_se, D(2017, 1, 1), D(2019, 12, 31))
    spell(person, se_employer, D(2020, 1, 1), regular=True)
    assert both(person, D(2020, 6, 1)).status == WorkStatus.REGULAR_EXTERNAL


def test_spell_ending_on_the_date_still_covers_it(person, se_employer, regular_employer):
    spell(person, regular_employer, D(2020, 1, 1), D(2020, 6, 30), regular=True)
    assert both(person, D(2020, 6, 30)).status == WorkStatus.REGULAR_EXTERNAL
    assert both(person, D(2020, 7, 1)).status == WorkStatus.NOT_AT_WORK


def test_before_a_spell_starts_the_person_is_not_at_work(person, regular_employer):
    spell(person, regular_employer, D(2020, 1, 1), regular=True)
    assert both(person, D(2019, 12, 31)).status == WorkStatus.NOT_AT_WORK


def test_regular_work_wins_over_an_overlapping_social_economy_spell(person, se_employer, regular_employer):
    spell(person, se_employer, D(2016, 1, 1))
    spell(person, regular_employer, D(2020, 1, 1), D(2020, 12, 31), regular=True)
    assert both(person, D(2020, 6, 1)).status == WorkStatus.REGULAR_EXTERNAL


def test_back_in_the_social_economy_counts_days_from_the_regular_job(person, se_employer, regular_employer):
    spell(person, se_employer, D(2016, 1, 1), D(2019, 12, 31))
    spell(person, regular_employer, D(2020, 1, 1), D(2020, 3, 31), regular=True)
    spell(person, se_employer, D(2020, 5, 1))
    situation = both(person, D(2020, 6, 1))
    assert situation.status == WorkStatus.BACK_IN_SOCIAL_ECONOMY
    assert situation.days_since_regular_end == 31
    assert situation.days_since_first_regular_start == (D(2020, 5, 1) - D(2020, 1, 1)).days


def test_back_in_the_social_economy_counts_from_the_last_regular_job_ended_before_it(
    person, se_employer, regular_employer
):
    spell(person, regular_employer, D(2020, 1, 1), D(2020, 2, 29), regular=True)
    spell(person, regular_employer, D(2020, 3, 1), D(2020, 3, 31), regular=True)
    spell(person, se_employer, D(2020, 3, 15))
    situation = both(person, D(2020, 4, 15))
    assert situation.status == WorkStatus.BACK_IN_SOCIAL_ECONOMY
    assert situation.days_since_regular_end == 15  # from the end of February, the last job ended before
    assert situation.days_since_first_regular_start == 74


def test_several_employers_on_one_date_count_once_and_support_from_any(person, se_employer, regular_employer):
    spell(person, se_employer, D(2016, 1, 1), D(2019, 12, 31))
    spell(person, regular_employer, D(2020, 1, 1), regular=True)
    spell(person, factories.RegularEmployerFactory(), D(2020, 2, 1), regular=True, support=True)
    situation = both(person, D(2020, 6, 1))
    assert situation.status == WorkStatus.REGULAR_EXTERNAL
    assert situation.with_support_package


def test_internal_follows_the_trajectorys_social_economy_employer_on_the_page_and_in_the_reports(
    person, se_employer, regular_employer
):
    """The trajectory names the employer it set out from; a later social-economy job elsewhere does not
    make a regular job with that first employer external (docs/measures.md, at_work)."""
    other_se = factories.OrganisationFactory()
    factories.TrajectoryFactory(employee=person, se_employer=se_employer, start_date=D(2018, 1, 1))
    spell(person, se_employer, D(2016, 1, 1), D(2018, 12, 31))
    spell(person, other_se, D(2019, 1, 1), D(2019, 12, 31))
    spell(person, se_employer, D(2020, 1, 1), regular=True)
    assert both(person, D(2020, 6, 1)).status == WorkStatus.REGULAR_INTERNAL


@pytest.mark.parametrize(
    "regular_with, expected",
    [
        ("trajectory_employer", WorkStatus.REGULAR_INTERNAL),
        ("last_se_employer", WorkStatus.REGULAR_EXTERNAL),
        ("elsewhere", WorkStatus.REGULAR_EXTERNAL),
        (None, WorkStatus.SOCIAL_ECONOMY),
    ],
)
def test_the_person_page_and_the_reports_agree_on_the_same_person_and_date(regular_with, expected, person):
    trajectory_employer, last_se, elsewhere = factories.OrganisationFactory.create_batch(3)
    factories.TrajectoryFactory(employee=person, se_employer=trajectory_employer, start_date=D(2019, 1, 1))
    spell(person, trajectory_employer, D(2015, 1, 1), D(2018, 12, 31))
    spell(person, last_se, D(2019, 6, 1))
    employers = {"trajectory_employer": trajectory_employer, "last_se_employer": last_se, "elsewhere": elsewhere}
    if regular_with:
        spell(person, employers[regular_with], D(2021, 1, 1), regular=True)
    on = D(2021, 6, 1)
    assert report_statuses(on) == expected_report_statuses(work_situation(person, on))
    assert both(person, on).status == expected
