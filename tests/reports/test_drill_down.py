"""The records behind a report cell (issue 14, point 4): listed with links to the application's own
pages (never the Django admin), a page at a time, for the roles that may see persons, and every
opened cell written to the access log."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from reports.models import SavedReport
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    return SavedReport.objects.create(
        name="Trajecten per partner",
        slug="trajecten-per-partner",
        measure="trajectories",
        row_dimensions=["partner"],
        column_dimension="year",
    )


@pytest.fixture
def levanto(db):
    return factories.PartnerFactory(name="Levanto")


def _cell(slug, **labels):
    query = "&".join(f"{k}={v}" for k, v in {"as_of": "2019-11-30", **labels}.items())
    return reverse("reports:cell", args=[slug]) + "?" + query


def _records(html):
    """The page's own content, without the menu (which links administrators to the admin)."""
    return html[html.index("<h1>") :]


def _open(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_a_cell_links_to_the_person_and_trajectory_pages_never_to_the_admin(client, administrator, report, levanto):
    trajectory = factories.TrajectoryFactory(
        partner=levanto, employee=factories.EmployeeFactory(last_name="Vandeputte"), start_date=D(2019, 4, 1)
    )

    html = _open(client, administrator, _cell(report.slug, partner="Levanto", year="2019")).content.decode()

    assert f'href="{reverse("employees:detail", args=[trajectory.employee.pk])}"' in html
    assert f'href="{reverse("trajectories:detail", args=[trajectory.pk])}"' in html
    assert "/admin/" not in _records(html)
    assert "01/04/2019" in html


def test_a_cell_of_evaluations_links_to_the_evaluation_and_person_pages(client, administrator):
    report = SavedReport.objects.get(slug="q3_evaluations_by_province_year")
    evaluation = factories.EvaluationFactory(
        employee=factories.EmployeeFactory(last_name="Geëvalueerd"), evaluation_date=D(2019, 3, 4)
    )

    html = _open(client, administrator, _cell(report.slug, year="2019")).content.decode()

    assert "Geëvalueerd" in html
    assert f'href="{reverse("evaluations:detail", args=[evaluation.pk])}"' in html
    assert f'href="{reverse("employees:detail", args=[evaluation.employee.pk])}"' in html
    assert "/admin/" not in _records(html)


def test_a_cell_of_internships_links_to_the_trajectory_of_the_internship(client, administrator):
    report = SavedReport.objects.create(
        name="Stages", slug="stages", measure="internships", row_dimensions=["year"], column_dimension=""
    )
    internship = factories.InternshipFactory(start_date=D(2019, 5, 6))

    html = _open(client, administrator, _cell(report.slug, year="2019")).content.decode()

    assert f'href="{reverse("trajectories:detail", args=[internship.trajectory_id])}"' in html
    assert f'href="{reverse("employees:detail", args=[internship.trajectory.employee_id])}"' in html
    assert "/admin/" not in _records(html)


def test_the_records_of_a_cell_come_a_page_at_a_time(client, administrator, report, levanto):
    for _ in range(27):
        factories.TrajectoryFactory(partner=levanto, start_date=D(2019, 4, 1))
    url = _cell(report.slug, partner="Levanto", year="2019")

    first = _open(client, administrator, url)
    second = client.get(url + "&page=2")
    beyond = client.get(url + "&page=9")

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert first.context["page"].paginator.count == 27
    assert "page=2" in first.content.decode()
    assert beyond.status_code == 404


def test_every_opened_cell_is_in_the_access_log_with_who_which_report_which_cell(
    client, administrator, report, levanto
):
    for _ in range(3):
        factories.TrajectoryFactory(partner=levanto, start_date=D(2019, 4, 1))

    _open(client, administrator, _cell(report.slug, partner="Levanto", year="2019"))
    client.get(_cell(report.slug, partner="Levanto", year="2019") + "&page=1")

    events = list(AccessEvent.objects.order_by("id"))
    assert len(events) == 2
    event = events[0]
    assert (event.user, event.action, event.list_name, event.row_count) == (
        administrator,
        "report_cell_opened",
        "reports:trajecten-per-partner",
        3,
    )
    assert parse_qs(event.filters) == {"as_of": ["2019-11-30"], "partner": ["Levanto"], "year": ["2019"]}
    assert event.occurred_at is not None


def test_the_access_log_page_names_an_opened_cell_in_dutch(client, administrator, report, levanto):
    factories.TrajectoryFactory(partner=levanto, start_date=D(2019, 4, 1))
    _open(client, administrator, _cell(report.slug, partner="Levanto", year="2019"))

    html = client.get(reverse("employees:access_log")).content.decode()

    assert "rapportcel geopend" in html


def test_a_cell_that_is_refused_writes_nothing_to_the_access_log(client, analyst, administrator, report, levanto):
    factories.TrajectoryFactory(partner=levanto, start_date=D(2019, 4, 1))

    refused = _open(client, analyst, _cell(report.slug, partner="Levanto", year="2019"))
    unknown = _open(client, administrator, _cell(report.slug, partner="Onbestaand", year="2019"))

    assert (refused.status_code, unknown.status_code) == (404, 404)
    assert not AccessEvent.objects.exists()
