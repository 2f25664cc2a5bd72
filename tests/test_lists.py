"""List pages: scoped to the user, filtered, exported as filtered, and a constant number of queries."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Referral
from tests import factories
from tests.conftest import security_queries


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def _make_rows(name, count, partner):
    for _ in range(count):
        if name == "employees:list":
            factories.TrajectoryFactory(partner=partner)
        elif name == "evaluations:list":
            factories.EvaluationFactory()
        elif name == "evaluations:referral_list":
            evaluation = factories.EvaluationFactory()
            Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
        elif name == "trajectories:list":
            factories.InternshipFactory(trajectory=factories.TrajectoryFactory(partner=partner))
        elif name == "trajectories:internship_list":
            factories.InternshipFactory(trajectory__partner=partner)
        elif name == "employees:lookup_log":
            person = factories.EmployeeFactory()
            from employees.services import person_lookup

            person_lookup(user=factories.UserFactory(organisation=partner), insz=person.insz)
        elif name == "partners:organisation_list":
            factories.OrganisationFactory()
        elif name == "partners:grant_list":
            factories.GrantFactory(partner=partner, year=2000 + factories.Grant.objects.count())
        elif name == "partners:pilot_list":
            factories.PilotFactory().organisations.add(factories.OrganisationFactory())


LISTS = [
    "employees:list",
    "employees:lookup_log",
    "evaluations:list",
    "evaluations:referral_list",
    "trajectories:list",
    "trajectories:internship_list",
    "partners:organisation_list",
    "partners:grant_list",
    "partners:pilot_list",
]


# The look-up log is for administrators only (partner staff get 404: tests/test_url_matrix.py).
LIST_ROLES = [(name, role) for name in LISTS for role in ("administrator", "partner_staff")
              if not (name == "employees:lookup_log" and role == "partner_staff")]


@pytest.mark.parametrize("name, role", LIST_ROLES)
def test_a_list_page_runs_the_same_number_of_queries_for_few_and_many_rows(name, role, request, client, partner):
    client.force_login(request.getfixturevalue(role))
    url = reverse(name)
    _make_rows(name, 2, partner)
    few = _queries(client, url)
    _make_rows(name, 30, partner)
    many = _queries(client, url)
    assert few == many
    assert many <= 12 + security_queries(role)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_export_runs_the_same_number_of_queries_for_few_and_many_rows(name, client, administrator, partner):
    client.force_login(administrator)
    url = reverse(name)
    _make_rows(name, 2, partner)
    few = _queries(client, url, {"_export": "csv"})
    _make_rows(name, 20, partner)
    assert _queries(client, url, {"_export": "csv"}) == few


def test_trajectory_list_shows_only_the_partners_own_trajectories(client, partner_staff, partner, other_partner):
    own = factories.TrajectoryFactory(partner=partner)
    other = factories.TrajectoryFactory(partner=other_partner)
    client.force_login(partner_staff)
    content = client.get(reverse("trajectories:list")).content.decode()
    assert own.employee.insz in content
    assert other.employee.insz not in content


def test_trajectory_export_contains_only_the_filtered_rows(client, administrator):
    kept = factories.TrajectoryFactory(start_date=datetime.date(2019, 4, 1))
    dropped = factories.TrajectoryFactory(start_date=datetime.date(2020, 4, 1))
    client.force_login(administrator)
    response = client.get(reverse("trajectories:list"), {"year": 2019, "_export": "csv"})
    body = response.content.decode()
    assert kept.employee.insz in body
    assert dropped.employee.insz not in body


def test_partner_export_never_contains_another_partners_trajectory(client, partner_staff, partner, other_partner):
    factories.TrajectoryFactory(partner=partner)
    other = factories.TrajectoryFactory(partner=other_partner)
    client.force_login(partner_staff)
    response = client.get(reverse("trajectories:list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert other.employee.insz not in cells
    assert sheet.max_row == 2  # header and the partner's own trajectory


def test_search_finds_a_person_by_insz_and_by_name(client, evaluator):
    anna = factories.EmployeeFactory(first_name="Anna", last_name="Xanthopoulou")
    factories.EmployeeFactory(first_name="Bert", last_name="Qwertzuiop")
    client.force_login(evaluator)
    by_insz = client.get(reverse("employees:list"), {"q": anna.insz}).content.decode()
    assert "Xanthopoulou" in by_insz and "Qwertzuiop" not in by_insz
    by_name = client.get(reverse("employees:list"), {"q": "qwertz"}).content.decode()
    assert "Qwertzuiop" in by_name and "Xanthopoulou" not in by_name


def test_status_on_a_date_keeps_the_trajectories_running_that_day(client, administrator):
    running = factories.TrajectoryFactory(start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2019, 12, 31))
    ended = factories.TrajectoryFactory(start_date=datetime.date(2018, 1, 1), end_date=datetime.date(2018, 6, 30))
    client.force_login(administrator)
    body = client.get(reverse("trajectories:list"), {"status": "running", "on": "2019-06-01", "_export": "csv"}).content.decode()
    assert running.employee.insz in body
    assert ended.employee.insz not in body
    body = client.get(reverse("trajectories:list"), {"status": "ended", "on": "2019-06-01", "_export": "csv"}).content.decode()
    assert ended.employee.insz in body and running.employee.insz not in body


def test_with_internship_filter_separates_trajectories(client, administrator):
    with_one = factories.InternshipFactory().trajectory
    without = factories.TrajectoryFactory()
    client.force_login(administrator)
    body = client.get(reverse("trajectories:list"), {"with_internship": "true", "_export": "csv"}).content.decode()
    assert with_one.employee.insz in body and without.employee.insz not in body
    body = client.get(reverse("trajectories:list"), {"with_internship": "false", "_export": "csv"}).content.decode()
    assert without.employee.insz in body and with_one.employee.insz not in body


def test_age_band_filter_uses_the_age_at_the_evaluation(client, evaluator):
    young = factories.EvaluationFactory(employee__birth_date=datetime.date(2000, 1, 1))
    older = factories.EvaluationFactory(employee__birth_date=datetime.date(1960, 1, 1))
    client.force_login(evaluator)
    body = client.get(reverse("evaluations:list"), {"age_band": "lt25", "_export": "csv"}).content.decode()
    assert young.employee.insz in body and older.employee.insz not in body


def test_province_filter_uses_the_employer_province(client, evaluator):
    ghent = factories.EvaluationFactory(employer__postcode=9000)
    hasselt = factories.EvaluationFactory(employer__postcode=3500)
    client.force_login(evaluator)
    body = client.get(reverse("evaluations:list"), {"province": "VOV", "_export": "csv"}).content.decode()
    assert ghent.employee.insz in body and hasselt.employee.insz not in body


def test_no_filter_offers_a_dropdown_of_more_than_200_options(client, administrator):
    for _ in range(5):
        factories.OrganisationFactory()
    client.force_login(administrator)
    for name in LISTS:
        form = client.get(reverse(name)).context["filter"].form
        for field_name, field in form.fields.items():
            choices = getattr(field, "choices", None)
            if choices is not None:
                assert len(list(choices)) <= 200, f"{name}.{field_name}"
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                assert queryset.model._meta.model_name not in {"organisation", "employee"}, f"{name}.{field_name}"


def test_analyst_gets_no_person_level_list(client, analyst):
    client.force_login(analyst)
    for name in ("employees:list", "evaluations:list", "trajectories:list", "trajectories:internship_list"):
        assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("partners:organisation_list")).status_code == 200


def _fill_case(employee, partner, first, count):
    for index in range(first, first + count):
        factories.EmploymentFactory(employee=employee, start_date=datetime.date(2000 + index, 1, 1))
        factories.EvaluationFactory(employee=employee)
        trajectory = factories.TrajectoryFactory(employee=employee, partner=partner, start_date=datetime.date(2000 + index, 2, 1))
        factories.InternshipFactory(trajectory=trajectory)


def test_the_person_page_runs_the_same_number_of_queries_however_long_the_story(client, administrator, partner):
    employee = factories.EmployeeFactory()
    _fill_case(employee, partner, 0, 1)
    client.force_login(administrator)
    url = reverse("employees:detail", args=[employee.pk])
    few = _queries(client, url)
    _fill_case(employee, partner, 1, 8)
    assert len(client.get(url).context["timeline"]) == 9 * 4
    assert _queries(client, url) == few
    # On a chosen date (the person's work situation then), still the same.
    assert _queries(client, url, {"on": "2004-06-01"}) == few
    assert _queries(client, url, {"on": "1999-06-01"}) == few


def test_the_trajectory_page_runs_the_same_number_of_queries_however_many_internships(client, administrator):
    trajectory = factories.TrajectoryFactory()
    factories.InternshipFactory(trajectory=trajectory)
    client.force_login(administrator)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    few = _queries(client, url)
    for days in range(31, 39):
        factories.InternshipFactory(trajectory=trajectory, start_date=trajectory.start_date + datetime.timedelta(days=days))
    assert _queries(client, url) == few


@pytest.mark.parametrize("name", LISTS)
def test_every_sortable_column_sorts_both_ways(name, client, administrator, partner):
    _make_rows(name, 2, partner)
    client.force_login(administrator)
    table = client.get(reverse(name)).context["table"]
    sortable = [column.name for column in table.columns if column.orderable]
    assert sortable
    for column in sortable:
        for direction in ("", "-"):
            response = client.get(reverse(name), {"sort": f"{direction}{column}"})
            assert response.status_code == 200, f"{name} sort={direction}{column}"


def test_sorting_by_start_date_orders_the_trajectories(client, administrator):
    late = factories.TrajectoryFactory(start_date=datetime.date(2020, 1, 1))
    early = factories.TrajectoryFactory(start_date=datetime.date(2018, 1, 1))
    client.force_login(administrator)
    rows = list(client.get(reverse("trajectories:list"), {"sort": "start_date"}).context["table"].page.object_list)
    assert [row.record for row in rows] == [early, late]
    rows = list(client.get(reverse("trajectories:list"), {"sort": "-start_date"}).context["table"].page.object_list)
    assert [row.record for row in rows] == [late, early]
