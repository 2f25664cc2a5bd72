"""The person's page shows the work situation from the employment spells, today or on a chosen date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people.services import CurrentState
from tests import factories
from trajectories.models import JobFollowUp

D = datetime.date


@pytest.fixture
def se_employer(db):
    return factories.OrganisationFactory(name="Werkplaats Noord")


@pytest.fixture
def regular_employer(db):
    return factories.RegularEmployerFactory(name="Bakkerij Zuid")


@pytest.fixture
def person(db):
    return factories.EmployeeFactory()


def job(person, employer, start, end=None, *, regular=False, support=False):
    return factories.EmploymentFactory(
        employee=person,
        employer=employer,
        instrument=None if regular else factories.instrument(),
        start_date=start,
        end_date=end,
        with_support_package=support,
    )


def page(client, user, person, on=None):
    client.force_login(user)
    params = {"on": on.isoformat()} if on else {}
    response = client.get(reverse("employees:detail", args=[person.pk]), params)
    assert response.status_code == 200
    return response


def test_page_shows_regular_work_with_the_same_employer_as_an_internal_transition(
    client, administrator, person, se_employer
):
    job(person, se_employer, D(2016, 1, 1), D(2019, 3, 31))
    job(person, se_employer, D(2019, 4, 1), regular=True, support=True)
    response = page(client, administrator, person, D(2019, 6, 1))
    assert response.context["state"].state == CurrentState.REGULAR_INTERNAL
    html = response.content.decode()
    assert "state-regular_internal" in html
    assert "Werkplaats Noord" in html
    assert response.context["state"].work.with_support_package


def test_page_shows_regular_work_with_another_employer_as_an_external_transition(
    client, administrator, person, se_employer, regular_employer
):
    job(person, se_employer, D(2016, 1, 1), D(2019, 3, 31))
    job(person, regular_employer, D(2019, 4, 1), regular=True)
    response = page(client, administrator, person, D(2019, 6, 1))
    assert response.context["state"].state == CurrentState.REGULAR_EXTERNAL
    assert not response.context["state"].work.with_support_package
    html = response.content.decode()
    assert "state-regular_external" in html and "Bakkerij Zuid" in html


def test_the_support_package_is_shown_only_when_there_is_one(client, administrator, person, regular_employer):
    job(person, regular_employer, D(2019, 4, 1), regular=True, support=True)
    with_package = page(client, administrator, person, D(2019, 6, 1))
    assert with_package.context["state"].work.with_support_package
    person.employments.update_with_history(with_support_package=False, reason="correction")
    without = page(client, administrator, person, D(2019, 6, 1))
    assert not without.context["state"].work.with_support_package


def test_page_shows_back_in_the_social_economy_and_after_how_long(
    client, administrator, person, se_employer, regular_employer
):
    job(person, se_employer, D(2016, 1, 1), D(2018, 12, 31))
    job(person, regular_employer, D(2019, 1, 1), D(2019, 3, 31), regular=True)
    job(person, se_employer, D(2019, 5, 1))
    response = page(client, administrator, person, D(2019, 6, 1))
    state = response.context["state"]
    assert state.state == CurrentState.BACK_IN_SOCIAL_ECONOMY
    assert state.work.days_since_regular_end == 31
    assert state.work.days_since_first_regular_start == 120
    html = response.content.decode()
    assert "state-back_in_social_economy" in html
    assert "31" in html and "120" in html


def test_a_person_in_the_social_economy_who_never_left_is_not_back(client, administrator, person, se_employer):
    job(person, se_employer, D(2016, 1, 1))
    response = page(client, administrator, person, D(2019, 6, 1))
    assert response.context["state"].state == CurrentState.SOCIAL_ECONOMY
    assert "back-after" not in response.content.decode()


def test_page_shows_a_running_trajectory_before_a_social_economy_job(client, administrator, person, se_employer):
    job(person, se_employer, D(2016, 1, 1))
    factories.TrajectoryFactory(employee=person, start_date=D(2019, 4, 1))
    response = page(client, administrator, person, D(2019, 6, 1))
    assert response.context["state"].state == CurrentState.IN_TRAJECTORY
    # The work situation behind it is still shown.
    assert response.context["state"].work.status == "social_economy"


def test_regular_work_comes_before_a_running_trajectory(client, administrator, person, regular_employer):
    factories.TrajectoryFactory(employee=person, start_date=D(2019, 4, 1))
    job(person, regular_employer, D(2019, 5, 1), regular=True)
    assert page(client, administrator, person, D(2019, 6, 1)).context["state"].state == CurrentState.REGULAR_EXTERNAL


def test_page_shows_nothing_known_without_jobs_or_trajectories(client, administrator, person):
    response = page(client, administrator, person, D(2019, 6, 1))
    assert response.context["state"].state == CurrentState.NONE
    assert "support-package" not in response.content.decode()


def test_the_chosen_date_changes_the_state_and_today_is_the_default(
    client, administrator, person, se_employer, regular_employer
):
    job(person, se_employer, D(2016, 1, 1), D(2019, 3, 31))
    job(person, regular_employer, D(2019, 4, 1), D(2019, 12, 31), regular=True)
    assert page(client, administrator, person, D(2018, 6, 1)).context["state"].state == CurrentState.SOCIAL_ECONOMY
    assert page(client, administrator, person, D(2019, 6, 1)).context["state"].state == CurrentState.REGULAR_EXTERNAL
    today = page(client, administrator, person)
    assert today.context["on"] == timezone.localdate()
    assert today.context["state"].state == CurrentState.NONE


def test_an_impossible_date_is_refused_with_a_message_and_today_is_shown(client, administrator, person):
    client.force_login(administrator)
    response = client.get(reverse("employees:detail", args=[person.pk]), {"on": "2019-02-30"})
    assert response.status_code == 200
    assert response.context["on"] == timezone.localdate()
    assert response.context["state_form"].errors["on"]
    assert "invalid-feedback" in response.content.decode()


def test_the_page_is_in_dutch(client, administrator, person, se_employer, regular_employer):
    job(person, se_employer, D(2016, 1, 1), D(2018, 12, 31))
    job(person, regular_employer, D(2019, 1, 1), D(2019, 3, 31), regular=True)
    job(person, se_employer, D(2019, 5, 1))
    html = page(client, administrator, person, D(2019, 6, 1)).content.decode()
    assert "terug in de sociale economie" in html.lower()
    assert "zonder werkondersteuningspakket" in html.lower()


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


def test_the_page_runs_the_same_number_of_queries_in_every_state_and_on_every_date(
    client, administrator, person, se_employer, regular_employer
):
    client.force_login(administrator)
    url = reverse("employees:detail", args=[person.pk])
    job(person, se_employer, D(2016, 1, 1), D(2018, 12, 31))
    job(person, regular_employer, D(2019, 1, 1), D(2019, 3, 31), regular=True)
    job(person, se_employer, D(2019, 5, 1))
    factories.TrajectoryFactory(employee=person, start_date=D(2017, 1, 1))
    counts = {
        day: _queries(client, url, {"on": day})
        for day in ("2015-06-01", "2016-06-01", "2017-02-01", "2019-02-01", "2019-06-01", "")
    }
    assert len(set(counts.values())) == 1, counts


def test_partner_staff_see_the_state_administrators_see(
    client, administrator, partner_staff, partner, person, se_employer, regular_employer
):
    """The page computes the state from the spells the user may see: a spell is visible with its person, so
    partner staff who may open the page get the state from all of the person's spells, as administrators do."""
    job(person, se_employer, D(2016, 1, 1), D(2019, 3, 31))
    job(person, regular_employer, D(2019, 4, 1), regular=True, support=True)
    factories.TrajectoryFactory(employee=person, partner=partner, se_employer=se_employer, start_date=D(2018, 1, 1))
    seen_by_administrator = page(client, administrator, person, D(2019, 6, 1)).context["state"]
    seen_by_partner = page(client, partner_staff, person, D(2019, 6, 1)).context["state"]
    assert seen_by_partner == seen_by_administrator
    assert seen_by_partner.state == CurrentState.REGULAR_EXTERNAL


def test_the_page_reads_the_spells_and_the_trajectories_once(client, administrator, person, se_employer):
    """The state and the timeline share one read of the spells; the internal transition and the running
    trajectory one read of the trajectories; a follow-up's job is not read again (issue 17)."""
    regular = job(person, factories.RegularEmployerFactory(name="Drukkerij Oost"), D(2018, 1, 1), regular=True)
    factories.TrajectoryFactory(employee=person, start_date=D(2017, 1, 1))
    JobFollowUp.objects.create(employment=regular, mark=3, checked_on=D(2018, 4, 2), still_in_work=True)
    client.force_login(administrator)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("employees:detail", args=[person.pk]), {"on": "2019-06-01"})
    assert response.status_code == 200
    selects = [q["sql"] for q in context.captured_queries if q["sql"].startswith("SELECT")]
    assert len([sql for sql in selects if 'FROM "employees_employment"' in sql]) == 1
    trajectories = [sql for sql in selects if 'FROM "trajectories_trajectory"' in sql]
    assert len(trajectories) == 2  # the state's read, and the timeline's (administrators see trajectories)
    assert not [sql for sql in selects if 'FROM "trajectories_jobfollowup"' in sql and '"partners_organisation"' in sql]
    follow_up = next(e for e in response.context["timeline"] if e["kind"] == "follow_up")
    assert str(follow_up["object"].employment.employer) == "Drukkerij Oost"
    assert "Drukkerij Oost · na 3 maanden: werkt er nog" in response.content.decode()
