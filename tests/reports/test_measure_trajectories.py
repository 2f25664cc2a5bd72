"""Trajectories (q2a, q2b), ended trajectories (q2c), persons at work (q2d) and internships."""

import datetime

import pytest

from tests import factories
from tests.reports.conftest import cells
from trajectories.models import EndReason

D = datetime.date
pytestmark = pytest.mark.django_db


def test_trajectories_count_by_partner_and_start_year_up_to_the_reference_date():
    partner = factories.PartnerFactory(name="Levanto")
    factories.TrajectoryFactory(partner=partner, start_date=D(2018, 10, 1))
    factories.TrajectoryFactory(partner=partner, start_date=D(2019, 4, 1))
    factories.TrajectoryFactory(partner=partner, start_date=D(2019, 12, 1))  # after D

    result = cells("trajectories", ["partner", "year"], as_of=D(2019, 11, 30))

    assert result == {("Levanto", "2018"): 1, ("Levanto", "2019"): 1}


def test_trajectories_of_another_call_are_left_out_by_the_call_filter():
    factories.TrajectoryFactory()
    factories.TrajectoryFactory(call=factories.CallFactory(number="380"))

    assert cells("trajectories", ["year"], as_of=D(2019, 11, 30), filters={"call": ["432"]}) == {"2019": 1}
    assert cells("trajectories", ["year"], as_of=D(2019, 11, 30)) == {"2019": 2}


def test_trajectory_province_is_that_of_the_social_economy_employer_or_onbekend():
    factories.TrajectoryFactory(se_employer=factories.OrganisationFactory(postcode=3500))
    factories.TrajectoryFactory(se_employer=None)

    result = cells("trajectories", ["province"], as_of=D(2019, 11, 30))

    assert result["Limburg"] == 1
    assert result["onbekend"] == 1
    assert result["Antwerpen"] == 0


def test_trajectory_age_band_is_the_age_at_the_start():
    # 24 at the start in April 2019, 25 on the reference date: the start counts.
    person = factories.EmployeeFactory(birth_date=D(1994, 6, 1))
    factories.TrajectoryFactory(employee=person, start_date=D(2019, 4, 1))
    factories.TrajectoryFactory(employee=factories.EmployeeFactory(unknown_birth_date=True))

    result = cells("trajectories", ["age_band"], as_of=D(2019, 11, 30))

    assert result == {"<25": 1, "25-54": 0, "55+": 0, "onbekend": 1}


def test_a_person_with_two_trajectories_counts_twice_as_trajectories_once_as_person():
    person = factories.EmployeeFactory()
    factories.TrajectoryFactory(employee=person, start_date=D(2018, 10, 1))
    factories.TrajectoryFactory(employee=person, start_date=D(2019, 4, 1))

    result = cells("trajectories", ["status"], as_of=D(2019, 11, 30))

    assert result["trajectories"] == 2
    assert result["persons"] == 1


def test_trajectory_registered_after_known_at_is_not_counted_then():
    factories.TrajectoryFactory(start_date=D(2019, 4, 1), registered_on=D(2019, 12, 15))

    assert cells("trajectories", ["year"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30)) == {}
    assert cells("trajectories", ["year"], as_of=D(2019, 11, 30)) == {"2019": 1}


def test_trajectory_ended_after_known_at_is_still_running_then(later):
    trajectory = factories.TrajectoryFactory(start_date=D(2019, 4, 1))
    trajectory.end_date = D(2019, 10, 1)
    trajectory.end_reason = EndReason.objects.get(code="health")
    trajectory._history_date = later
    trajectory.save()

    then = cells("ended", ["status"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))
    now = cells("ended", ["status"], as_of=D(2019, 11, 30))

    assert then["ended"] == 0
    assert now["ended"] == 1


# --- ended trajectories -------------------------------------------------------------------


def test_ended_without_internship_counts_trajectories_whose_internship_started_after_the_end_or_never():
    with_internship = factories.TrajectoryFactory(ended=True)
    factories.InternshipFactory(trajectory=with_internship, start_date=D(2019, 6, 1))
    late_internship = factories.TrajectoryFactory(ended=True)
    factories.InternshipFactory(trajectory=late_internship, start_date=D(2019, 10, 15))
    factories.TrajectoryFactory(ended=True)
    factories.TrajectoryFactory()  # running

    result = cells("ended", ["status"], as_of=D(2019, 11, 30))

    assert result == {"ended": 3, "ended_without_internship": 2, "ended_with_internship": 1}


def test_ended_after_the_reference_date_is_not_ended():
    factories.TrajectoryFactory(start_date=D(2019, 4, 1), end_date=D(2019, 12, 15))

    assert cells("ended", ["status"], as_of=D(2019, 11, 30))["ended"] == 0


def test_ended_by_year_of_the_end_date_and_end_reason():
    factories.TrajectoryFactory(
        start_date=D(2018, 10, 1), end_date=D(2018, 12, 1), end_reason=EndReason.objects.get(code="health")
    )
    factories.TrajectoryFactory(ended=True)

    result = cells("ended", ["end_reason", "year"], as_of=D(2019, 11, 30), population="ended_without_internship")

    assert result[("health", "2018")] == 1
    assert result[("completed", "2019")] == 1
    assert result[("health", "2019")] == 0


# --- persons at work --------------------------------------------------------------------------


def test_at_work_without_support_package_counts_each_person_once_by_their_latest_trajectory():
    person = factories.EmployeeFactory()
    first = factories.PartnerFactory(name="Argos")
    latest = factories.PartnerFactory(name="In-Z")
    factories.TrajectoryFactory(employee=person, partner=first, start_date=D(2018, 10, 1))
    factories.TrajectoryFactory(employee=person, partner=latest, start_date=D(2019, 4, 1))
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2019, 9, 1))
    supported = factories.TrajectoryFactory().employee
    factories.EmploymentFactory(employee=supported, regular=True, start_date=D(2019, 9, 1), with_support_package=True)
    ended_job = factories.TrajectoryFactory().employee
    factories.EmploymentFactory(employee=ended_job, regular=True, start_date=D(2019, 5, 1), end_date=D(2019, 11, 29))

    status = cells("at_work", ["status"], as_of=D(2019, 11, 30))
    by_partner = cells("at_work", ["partner"], as_of=D(2019, 11, 30), population="at_work_without_support_package")

    assert status["trajectories"] == 4
    assert status["persons"] == 3
    assert status["at_work"] == 2
    assert status["at_work_without_support_package"] == 1
    assert status["at_work_with_support_package"] == 1
    assert by_partner == {"In-Z": 1}


def test_of_two_trajectories_started_the_same_day_the_last_recorded_is_the_latest():
    """Ties on the start date go to the highest id (PostgreSQL: DISTINCT ON; SQLite: the anti-join),
    and a trajectory started after the reference date is not the latest yet."""
    person = factories.EmployeeFactory()
    factories.TrajectoryFactory(
        employee=person, partner=factories.PartnerFactory(name="Argos"), start_date=D(2019, 4, 1)
    )
    factories.TrajectoryFactory(
        employee=person, partner=factories.PartnerFactory(name="In-Z"), start_date=D(2019, 4, 1)
    )
    factories.TrajectoryFactory(
        employee=person, partner=factories.PartnerFactory(name="Later"), start_date=D(2020, 1, 1)
    )

    by_partner = cells("at_work", ["partner"], as_of=D(2019, 11, 30), population="persons")

    assert {partner: n for partner, n in by_partner.items() if n} == {"In-Z": 1}


def test_a_social_economy_job_is_not_work_in_the_regular_economy():
    person = factories.TrajectoryFactory().employee
    factories.EmploymentFactory(employee=person, start_date=D(2016, 1, 1))

    assert cells("at_work", ["status"], as_of=D(2019, 11, 30))["at_work"] == 0


def test_internal_and_external_transitions():
    employer = factories.OrganisationFactory()
    inside = factories.TrajectoryFactory(se_employer=employer).employee
    factories.EmploymentFactory(employee=inside, employer=employer, instrument=None, start_date=D(2019, 9, 1))
    outside = factories.TrajectoryFactory(se_employer=employer).employee
    factories.EmploymentFactory(employee=outside, regular=True, start_date=D(2019, 9, 1))

    result = cells("at_work", ["status"], as_of=D(2019, 11, 30))

    assert result["at_work_internal"] == 1
    assert result["at_work_external"] == 1


# --- internships -------------------------------------------------------------------------------


def test_internships_by_year_and_outcome():
    factories.InternshipFactory(outcome="hired")
    factories.InternshipFactory(trajectory=factories.TrajectoryFactory(start_date=D(2019, 11, 15)))  # starts after D

    result = cells("internships", ["outcome"], as_of=D(2019, 11, 30))

    assert result == {"hired": 1}


def test_an_internship_registered_after_known_at_leaves_the_trajectory_without_internship_then():
    trajectory = factories.TrajectoryFactory(ended=True)
    factories.InternshipFactory(trajectory=trajectory, start_date=D(2019, 6, 1), registered_on=D(2019, 12, 20))

    then = cells("ended", ["status"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))
    now = cells("ended", ["status"], as_of=D(2019, 11, 30))

    assert then["ended_without_internship"] == 1
    assert now["ended_without_internship"] == 0


def test_a_trajectory_moved_to_another_partner_after_known_at_counts_for_the_first_then(later):
    first, second = factories.PartnerFactory(name="Argos"), factories.PartnerFactory(name="BLM")
    trajectory = factories.TrajectoryFactory(partner=first)
    trajectory.partner = second
    trajectory._history_date = later
    trajectory.save()

    assert cells("trajectories", ["partner"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30)) == {"Argos": 1}
    assert cells("trajectories", ["partner"], as_of=D(2019, 11, 30)) == {"BLM": 1}


def test_a_job_that_started_after_known_at_registration_does_not_make_a_person_at_work_then():
    person = factories.TrajectoryFactory().employee
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2019, 9, 1), registered_on=D(2020, 1, 10))

    then = cells("at_work", ["status"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))

    assert then["at_work_without_support_package"] == 0
    assert cells("at_work", ["status"], as_of=D(2019, 11, 30))["at_work_without_support_package"] == 1
