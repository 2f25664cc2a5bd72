"""Who is at work on a date: per person and as an annotation, on hand-made spells."""

import datetime

import pytest

from employees.models import Employee
from employees.work_status import WorkStatus, annotate_work_status, work_situation
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
    """The answer per person and from the annotation, which must agree."""
    single = work_situation(employee, on)
    annotated = annotate_work_status(Employee.objects.filter(pk=employee.pk), on).get()
    assert annotated.work_status == single.status
    assert annotated.work_with_support_package == single.with_support_package
    days_end = annotated.days_since_regular_end.days if annotated.days_since_regular_end is not None else None
    days_first = (
        annotated.days_since_first_regular_start.days if annotated.days_since_first_regular_start is not None else None
    )
    assert days_end == single.days_since_regular_end
    assert days_first == single.days_since_first_regular_start
    return single


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


def test_annotation_answers_for_many_persons_in_one_query(
    se_employer, regular_employer, django_assert_num_queries
):
    at_work, back, idle = factories.EmployeeFactory.create_batch(3)
    spell(at_work, regular_employer, D(2020, 1, 1), regular=True)
    spell(back, regular_employer, D(2019, 1, 1), D(2019, 6, 30), regular=True)
    spell(back, se_employer, D(2019, 9, 1))
    with django_assert_num_queries(1):
        statuses = dict(
            annotate_work_status(Employee.objects.all(), D(2020, 6, 1)).values_list("pk", "work_status")
        )
    assert statuses == {
        at_work.pk: WorkStatus.REGULAR_EXTERNAL,
        back.pk: WorkStatus.BACK_IN_SOCIAL_ECONOMY,
        idle.pk: WorkStatus.NOT_AT_WORK,
    }
