"""The pathway of a cohort (issue 16, point 1): every step on small hand-made data."""

import datetime

import pytest

from demo.synthetic import generate
from evaluations.constants import ADVICE_NOT_READY, ReferralStatus
from evaluations.models import DeclineReason, Referral
from reports.engine import Context
from reports.pathway import STEPS, pathway_units
from reports.sources import end_of_day
from tests import factories
from tests.reports.conftest import cells

D = datetime.date
AS_OF = D(2021, 1, 15)
pytestmark = pytest.mark.django_db


def _ready(person=None, day=D(2019, 3, 15), **extra):
    return factories.EvaluationFactory(employee=person or factories.EmployeeFactory(), evaluation_date=day, **extra)


def _refer(evaluation, day, status=ReferralStatus.WAITING, **extra):
    if status == ReferralStatus.DECLINED:
        extra.setdefault("decline_reason", DeclineReason.objects.get(code="no_capacity"))
    if status != ReferralStatus.WAITING:
        extra.setdefault("answered_at", end_of_day(day + datetime.timedelta(days=5)))
    return Referral.objects.create(
        evaluation=evaluation,
        employee=evaluation.employee,
        partner=extra.pop("partner", None) or factories.PartnerFactory(),
        status=status,
        registered_on=day,
        **extra,
    )


def _job(person, start, end=None):
    return factories.EmploymentFactory(employee=person, regular=True, start_date=start, end_date=end)


@pytest.fixture
def cohort():
    """Six persons, each at another point of the pathway on 15/01/2021."""
    people = {}
    # All the way: two earlier evaluations (one not ready, one ready later), referral, trajectory, internship,
    # ended, a regular job for good.
    whole = factories.EmployeeFactory()
    factories.EvaluationFactory(
        employee=whole, evaluation_date=D(2018, 1, 10), advice=factories.advice(ADVICE_NOT_READY)
    )
    first = _ready(whole, D(2019, 3, 15))
    _ready(whole, D(2019, 9, 1))
    _refer(first, D(2019, 3, 25), ReferralStatus.STARTED)
    trajectory = factories.TrajectoryFactory(employee=whole, start_date=D(2019, 4, 4), ended=True)  # ends 1/10/2019
    factories.InternshipFactory(trajectory=trajectory, start_date=D(2019, 6, 3))
    _job(whole, D(2019, 11, 1))
    people["whole"] = whole
    # Declined, never a trajectory.
    declined = factories.EmployeeFactory()
    _refer(_ready(declined, D(2019, 6, 1)), D(2019, 6, 10), ReferralStatus.DECLINED)
    people["declined"] = declined
    # A trajectory without referral, a job that ended after 4 months, back in the social economy.
    back = factories.EmployeeFactory()
    _ready(back, D(2020, 1, 6))
    factories.TrajectoryFactory(employee=back, start_date=D(2020, 2, 3), end_date=D(2020, 5, 29))
    _job(back, D(2020, 6, 1), D(2020, 9, 30))
    factories.EmploymentFactory(employee=back, start_date=D(2020, 11, 2))
    people["back"] = back
    # Undated ready advice; a regular job without a trajectory, too recent for 6 months.
    undated = factories.EmployeeFactory()
    _ready(undated, None)
    _job(undated, D(2020, 9, 1))
    people["undated"] = undated
    # A running trajectory; and an unanswered referral.
    running = factories.EmployeeFactory()
    _ready(running, D(2020, 5, 4))
    factories.TrajectoryFactory(employee=running, start_date=D(2020, 6, 1))
    waiting = factories.EmployeeFactory()
    _refer(_ready(waiting, D(2020, 10, 5)), D(2020, 10, 12))
    # Not ready: not in any cohort.
    factories.EvaluationFactory(evaluation_date=D(2019, 5, 5), advice=factories.advice(ADVICE_NOT_READY))
    return people


def test_every_step_of_the_pathway_on_the_reference_date(cohort):
    steps = cells("pathway", ["step"], as_of=AS_OF)

    assert steps["advised_ready"] == 6
    assert steps["referred"] == 3
    assert steps["trajectory_started"] == 3
    assert steps["internship"] == 1
    assert steps["trajectory_ended"] == 2
    assert steps["regular_job"] == 3
    assert steps["regular_work_6_months"] == 1  # the job of 'back' ended after 4 months
    assert steps["regular_work_12_months"] == 1
    assert steps["regular_job_without_trajectory"] == 1
    assert steps["not_yet_observable_6_months"] == 1
    assert steps["not_yet_observable_12_months"] == 2  # 'undated' and 'back' (job of 1/6/2020)
    assert steps["left_referral_declined"] == 1
    assert steps["left_after_trajectory"] == 0  # 'back' found a job after the trajectory
    assert steps["back_to_social_economy"] == 1
    assert steps["in_progress"] == 2


def test_the_facts_after_the_job_are_columns_of_the_units_one_row_per_person(cohort):
    """Regular work 6 and 12 months after the job began and the return to the social economy: 1 or 0 per person,
    computed with the units (reports.pathway._job_facts), 1 only with a regular job and once the day has come."""
    columns = ("_regular_at_6", "_regular_at_12", "_back")
    rows = list(pathway_units(Context(as_of=AS_OF)).values("employee_id", *columns))
    facts = {row["employee_id"]: tuple(row[c] for c in columns) for row in rows}

    assert len(rows) == len(facts) == 6
    assert facts[cohort["whole"].pk] == (1, 1, 0)
    assert facts[cohort["back"].pk] == (0, 0, 1)  # the job ended after 4 months; 12 months not yet passed
    assert facts[cohort["undated"].pk] == (0, 0, 0)  # 6 months not yet passed
    assert facts[cohort["declined"].pk] == (0, 0, 0)  # no regular job


def test_the_cohorts_are_the_years_of_the_reference_evaluation_undated_in_onbekend(cohort):
    by_year = cells("pathway", ["year"], as_of=AS_OF)

    assert by_year == {"2019": 2, "2020": 3, "onbekend": 1}


def test_shares_and_medians_beside_the_counts(cohort):
    steps = cells("pathway", ["step"], as_of=AS_OF)

    assert steps["share_referred"] == pytest.approx(0.5)
    assert steps["share_regular_job"] == pytest.approx(0.5)
    # 'whole' referred 10 days after the advice, 'declined' 9 days, 'waiting' 7: the median is 9.
    assert steps["median_days_ready_to_referred"] == pytest.approx(9)
    assert steps["median_days_started_to_internship"] == pytest.approx(60)
    # 'whole': ended 1/10/2019, job 1/11/2019 (31 days); 'back': 29/5/2020 to 1/6/2020 (3 days).
    assert steps["median_days_ended_to_job"] == pytest.approx(17)


def test_a_step_is_counted_only_once_it_happened_by_the_reference_date(cohort):
    steps = cells("pathway", ["step"], as_of=D(2019, 5, 1))

    assert steps["advised_ready"] == 2  # 'whole' and 'undated' (an undated advice counts whatever the date)
    assert steps["referred"] == 1
    assert steps["trajectory_started"] == 1
    assert steps["internship"] == 0
    assert steps["regular_job"] == 0


@pytest.mark.parametrize("seed", [3, 11])
def test_on_random_data_the_cohorts_are_question_1_and_never_start_more_than_question_2a(seed):
    """At the same dates: the cohorts add up to question 1's persons advised ready (year by year), and the
    persons of the cohorts with a started trajectory never outnumber question 2a's trajectories."""
    generate(persons=60, seed=seed, today=D(2024, 6, 30))
    seen_started = []
    for as_of in (D(2019, 12, 31), D(2022, 6, 30), D(2024, 6, 30)):
        for known_at in (None, D(2021, 1, 1)):
            dates = {"as_of": as_of, "known_at": known_at}
            cohorts = cells("pathway", ["step", "year"], **dates)
            ready = cells("ready", ["year"], population="advised_ready", **dates)
            trajectories = cells("trajectories", [], population="trajectories", **dates)

            by_year = {year: value for (step, year), value in cohorts.items() if step == "advised_ready"}
            assert {y: v for y, v in by_year.items() if v} == {y: v for y, v in ready.items() if v}
            started = sum(v for (step, _y), v in cohorts.items() if step == "trajectory_started")
            assert started <= trajectories[()]
            seen_started.append(started)
            for (step, year), value in cohorts.items():
                if step in STEPS:
                    assert value <= cohorts[("advised_ready", year)]
    assert max(seen_started) > 0  # the data has trajectories to compare


def test_the_trajectories_read_in_one_pass_count_as_the_tables_registered_at_k():
    """Without a register date the trajectories and their internships are read in one pass
    (reports.pathway._trajectories_per_person), with one (today) as two tables: the same figures."""
    generate(persons=60, seed=5, today=D(2024, 6, 30))
    for as_of in (D(2019, 12, 31), AS_OF, D(2024, 6, 30)):
        one_pass = cells("pathway", ["step", "year"], as_of=as_of)
        two_tables = cells("pathway", ["step", "year"], as_of=as_of, known_at=datetime.date.today())

        assert one_pass == two_tables
    assert sum(v for (step, _year), v in one_pass.items() if step == "internship") > 0  # internships to compare


def test_an_internship_before_d_counts_in_a_trajectory_that_starts_after_d():
    """Both ways of reading the trajectories (see above): the internship counts, the trajectory's start does not."""
    trajectory = factories.TrajectoryFactory(employee=_ready(day=D(2020, 2, 3)).employee, start_date=D(2021, 3, 1))
    factories.InternshipFactory(trajectory=trajectory, start_date=D(2020, 12, 1))
    for known_at in (None, datetime.date.today()):
        steps = cells("pathway", ["step"], as_of=AS_OF, known_at=known_at)

        assert (steps["internship"], steps["trajectory_started"], steps["trajectory_ended"]) == (1, 0, 0)


def test_two_trajectories_one_ended_one_running_are_in_progress_not_left():
    person = factories.EmployeeFactory()
    _ready(person, D(2019, 2, 1))
    factories.TrajectoryFactory(employee=person, start_date=D(2019, 3, 1), ended=True)  # ends 1/10/2019
    factories.TrajectoryFactory(employee=person, start_date=D(2020, 1, 6))
    left = factories.EmployeeFactory()
    _ready(left, D(2019, 2, 1))
    factories.TrajectoryFactory(employee=left, start_date=D(2019, 3, 1), ended=True)

    steps = cells("pathway", ["step"], as_of=AS_OF)

    assert steps["trajectory_started"] == steps["trajectory_ended"] == 2
    assert steps["in_progress"] == 1
    assert steps["left_after_trajectory"] == 1
    assert cells("pathway", ["end_reason"], as_of=AS_OF, population="left_after_trajectory") == {"completed": 1}


def test_the_breakdowns_of_the_pathway(cohort):
    by_partner = cells("pathway", ["partner"], as_of=AS_OF, population="referred")
    by_employer = cells("pathway", ["se_employer"], as_of=AS_OF)
    by_province = cells("pathway", ["province"], as_of=AS_OF)
    by_age = cells("pathway", ["age_band"], as_of=AS_OF, age_bands="esf2014")

    # 'whole' by the partner of their trajectory, the others by their referral's partner: one each.
    assert sorted(v for v in by_partner.values() if v) == [1, 1, 1]
    assert by_partner.get("onbekend", 0) == 0
    assert sum(by_employer.values()) == 6 and "onbekend" not in by_employer  # each evaluation names its employer
    assert sum(by_province.values()) == 6
    assert sum(by_age.values()) == 6
