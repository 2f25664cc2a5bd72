"""Report pages per role: administrators build, analysts run and export without identities, others get 404."""

import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse

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
def some_records(db):
    partner = factories.PartnerFactory(name="Levanto")
    person = factories.EmployeeFactory(first_name="Zoë", last_name="Vandeputte")
    return factories.TrajectoryFactory(partner=partner, employee=person, start_date=D(2019, 4, 1))


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_administrator_sees_the_report_list_with_build_actions(client, administrator, report):
    response = _get(client, administrator, reverse("reports:list"))

    assert response.status_code == 200
    assert reverse("reports:create") in response.content.decode()


def test_analyst_sees_the_report_list_without_build_actions(client, analyst, report):
    response = _get(client, analyst, reverse("reports:list"))

    assert response.status_code == 200
    assert reverse("reports:create") not in response.content.decode()


@pytest.mark.parametrize("role", ["evaluator", "partner_staff"])
def test_evaluators_and_partner_staff_do_not_find_the_reports(client, request, role, report):
    user = request.getfixturevalue(role)
    for url in (
        reverse("reports:list"),
        reverse("reports:run", args=[report.slug]),
        reverse("reports:export", args=[report.slug, "json"]),
        reverse("reports:pack"),
        reverse("reports:create"),
    ):
        assert _get(client, user, url).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, report):
    response = client.get(reverse("reports:run", args=[report.slug]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_run_page_shows_the_cross_table_with_totals_and_a_chart(client, analyst, report, some_records):
    response = _get(client, analyst, reverse("reports:run", args=[report.slug]) + "?as_of=2019-11-30")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Levanto" in html
    assert "<svg" in html
    assert "Totaal" in html


def test_analyst_sees_no_link_to_the_records_and_no_names(client, analyst, report, some_records):
    html = _get(client, analyst, reverse("reports:run", args=[report.slug]) + "?as_of=2019-11-30").content.decode()

    assert reverse("reports:cell", args=[report.slug]) not in html
    assert "Vandeputte" not in html


def test_analyst_cannot_open_the_records_behind_a_cell(client, analyst, report, some_records):
    url = reverse("reports:cell", args=[report.slug]) + "?as_of=2019-11-30&partner=Levanto&year=2019"

    assert _get(client, analyst, url).status_code == 404


def test_administrator_opens_the_records_behind_a_cell(client, administrator, report, some_records):
    run_html = _get(
        client, administrator, reverse("reports:run", args=[report.slug]) + "?as_of=2019-11-30"
    ).content.decode()
    url = reverse("reports:cell", args=[report.slug]) + "?as_of=2019-11-30&partner=Levanto&year=2019"

    response = client.get(url)

    assert reverse("reports:cell", args=[report.slug]) in run_html
    assert response.status_code == 200
    assert "Vandeputte" in response.content.decode()


def test_records_behind_another_cell_are_not_listed(client, administrator, report, some_records):
    factories.TrajectoryFactory(employee=factories.EmployeeFactory(last_name="Anders"), start_date=D(2018, 4, 1))
    url = reverse("reports:cell", args=[report.slug]) + "?as_of=2019-11-30&partner=Levanto&year=2019"

    html = _get(client, administrator, url).content.decode()

    assert "Vandeputte" in html
    assert "Anders" not in html


def test_analyst_exports_json_csv_and_xlsx(client, analyst, report, some_records):
    client.force_login(analyst)
    base = reverse("reports:export", args=[report.slug, "json"])

    as_json = json.loads(client.get(base + "?as_of=2019-11-30").content)
    as_csv = client.get(reverse("reports:export", args=[report.slug, "csv"]) + "?as_of=2019-11-30").content.decode()
    as_xlsx = client.get(reverse("reports:export", args=[report.slug, "xlsx"]) + "?as_of=2019-11-30").content

    assert as_json["rows"] == [{"partner": "Levanto", "year": "2019", "value": 1}]
    assert "Levanto,2019,1" in as_csv
    assert openpyxl.load_workbook(io.BytesIO(as_xlsx)).sheetnames == [report.name]


def test_an_unknown_export_format_is_not_found(client, analyst, report):
    assert _get(client, analyst, reverse("reports:export", args=[report.slug, "pdf"])).status_code == 404


def test_analyst_cannot_build_edit_copy_or_delete(client, analyst, report):
    client.force_login(analyst)

    assert client.get(reverse("reports:create")).status_code == 404
    assert client.get(reverse("reports:update", args=[report.slug])).status_code == 404
    assert client.post(reverse("reports:copy", args=[report.slug])).status_code == 404
    assert client.post(reverse("reports:delete", args=[report.slug])).status_code == 404
    assert SavedReport.objects.filter(slug=report.slug).exists()


def _form_data(**overrides):
    data = {
        "name": "Evaluaties per provincie",
        "measure": "evaluations",
        "population": "",
        "row_dimension_1": "province",
        "row_dimension_2": "",
        "column": "year",
        "fixed_label_lines": "",
        "age_bands": "esfplus",
        "as_of": "",
        "known_at": "",
        "period_from": "",
        "period_to": "",
    }
    data.update(overrides)
    return data


def test_administrator_builds_and_saves_a_report(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("reports:create"), _form_data(suppress_small_cells="on"))

    report = SavedReport.objects.get(slug="evaluaties-per-provincie")
    assert response.status_code == 302
    assert report.row_dimensions == ["province"]
    assert report.column_dimension == "year"
    assert report.age_bands == "esfplus"
    assert report.suppress_small_cells


def test_preview_shows_the_table_without_saving(client, administrator):
    factories.EvaluationFactory(employer=factories.OrganisationFactory(postcode=3500))
    client.force_login(administrator)

    response = client.post(reverse("reports:create"), _form_data(preview="1"))

    assert response.status_code == 200
    assert "Limburg" in response.content.decode()
    assert not SavedReport.objects.filter(slug="evaluaties-per-provincie").exists()


def test_a_dimension_the_measure_does_not_have_is_refused_with_a_message(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("reports:create"), _form_data(row_dimension_1="partner"))

    assert response.status_code == 200
    assert "partner" in response.content.decode()
    assert not SavedReport.objects.filter(slug="evaluaties-per-provincie").exists()


def test_labels_always_listed_in_a_wrong_format_are_refused_naming_the_field(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("reports:create"), _form_data(fixed_label_lines="provincie Limburg"))

    assert response.status_code == 200
    assert "Regel 1 van Labels die altijd getoond worden" in response.content.decode()
    assert "provincie Limburg" in response.content.decode()


def test_administrator_edits_copies_and_deletes(client, administrator, report):
    client.force_login(administrator)

    client.post(
        reverse("reports:update", args=[report.slug]),
        _form_data(name="Nieuwe naam", measure="trajectories", row_dimension_1="partner"),
    )
    copy_response = client.post(reverse("reports:copy", args=[report.slug]))
    delete_response = client.post(reverse("reports:delete", args=[report.slug]))

    assert copy_response.status_code == 302
    assert SavedReport.objects.filter(slug=f"{report.slug}-kopie", name__contains="Nieuwe naam").exists()
    assert delete_response.status_code == 302
    assert not SavedReport.objects.filter(slug=report.slug).exists()


def test_the_pack_page_shows_every_ministerial_table_with_its_question(client, analyst):
    response = _get(client, analyst, reverse("reports:pack"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "q2a_trajectories_by_partner_year" in html
    assert "Hoeveel mensen werden gescreend door VDAB" in html


def test_the_pack_downloads_as_one_workbook_with_a_sheet_per_table(client, analyst):
    response = _get(client, analyst, reverse("reports:pack_export") + "?as_of=2019-11-30&known_at=2019-11-30")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))

    assert response.status_code == 200
    # The questions, a sheet per table, question 5 (the pilots) and the revisions.
    assert len(workbook.sheetnames) == SavedReport.objects.filter(in_pack=True).count() + 3
    assert "Beëindigde trajecten" in workbook.sheetnames


def test_the_run_page_query_count_does_not_grow_with_the_records(
    client, administrator, report, django_assert_max_num_queries
):
    client.force_login(administrator)
    url = reverse("reports:run", args=[report.slug]) + "?as_of=2019-11-30"
    client.get(url)
    for _ in range(15):
        factories.TrajectoryFactory(start_date=D(2019, 4, 1))

    with django_assert_max_num_queries(12):
        client.get(url)


def test_the_pack_page_reads_the_dates_chosen(client, analyst):
    factories.TrajectoryFactory(start_date=D(2019, 4, 1), registered_on=D(2019, 12, 10))
    client.force_login(analyst)

    then = client.get(reverse("reports:pack") + "?as_of=2019-11-30&known_at=2019-11-30").content.decode()
    now = client.get(reverse("reports:pack") + "?as_of=2019-11-30").content.decode()

    assert "register van 30/11/2019" in then
    assert "register van vandaag" in now


def test_a_malformed_date_is_reported_on_the_field(client, analyst, report):
    response = _get(client, analyst, reverse("reports:run", args=[report.slug]) + "?as_of=2019-13-45")

    assert response.status_code == 200
    assert "Peildatum" in response.content.decode()
    assert "Schrijf de datum als dd/mm/jjjj" in response.content.decode()


def test_records_behind_a_figure_of_the_status_dimension(client, administrator):
    report = SavedReport.objects.get(slug="q2d_at_work")
    working = factories.TrajectoryFactory(
        employee=factories.EmployeeFactory(last_name="Werkt"), start_date=D(2019, 4, 1)
    )
    factories.EmploymentFactory(employee=working.employee, regular=True, start_date=D(2019, 9, 1))
    factories.TrajectoryFactory(employee=factories.EmployeeFactory(last_name="Zoekt"), start_date=D(2019, 4, 1))
    url = reverse("reports:cell", args=[report.slug])

    figure = _get(
        client, administrator, url + "?as_of=2019-11-30&status=at_work_without_support_package"
    ).content.decode()
    everyone = client.get(url + "?as_of=2019-11-30&status=trajectories").content.decode()

    assert "Werkt" in figure and "Zoekt" not in figure
    assert "Werkt" in everyone and "Zoekt" in everyone


def test_records_behind_a_cell_of_a_label_the_report_does_not_have_are_not_found(
    client, administrator, report, some_records
):
    url = reverse("reports:cell", args=[report.slug]) + "?as_of=2019-11-30&partner=Onbestaand&year=2019"

    assert _get(client, administrator, url).status_code == 404


def test_records_behind_a_lasting_work_cell_are_the_moving_jobs(client, administrator):
    report = SavedReport.objects.get(slug="q4_lasting_work_by_year")
    person = factories.EmployeeFactory(last_name="Doorstromer")
    factories.EmploymentFactory(employee=person, start_date=D(2016, 1, 1), end_date=D(2018, 1, 31))
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2018, 2, 1))

    response = _get(
        client, administrator, reverse("reports:cell", args=[report.slug]) + "?as_of=2019-11-30&status=moved&year=2018"
    )

    assert response.status_code == 200
    assert "Doorstromer" in response.content.decode()


def test_the_pack_page_query_count_does_not_grow_with_the_records(client, analyst):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(analyst)
    url = reverse("reports:pack")
    factories.TrajectoryFactory(ended=True)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        trajectory = factories.TrajectoryFactory(ended=True)
        factories.EvaluationFactory(employee=trajectory.employee)
        factories.GrantFactory(partner=trajectory.partner)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(few.captured_queries) == len(many.captured_queries)


def test_records_behind_a_cell_of_persons_advised_ready_are_their_reference_evaluations(client, administrator):
    """Question 1 counts each person once, at their first ready advice (on PostgreSQL a DISTINCT ON in a
    common table expression): the records behind a cell are those evaluations, and not the later ones."""
    report = SavedReport.objects.get(slug="q1_ready_by_instrument_province_year")
    person = factories.EmployeeFactory(last_name="Klaar")
    first = factories.EvaluationFactory(employee=person, evaluation_date=D(2018, 6, 1))
    later = factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 6, 1))
    url = reverse("reports:cell", args=[report.slug])

    found = _get(client, administrator, url + "?as_of=2020-10-31&year=2018").content.decode()
    not_found = client.get(url + "?as_of=2020-10-31&year=2019").content.decode()

    assert "Klaar" in found and "01/06/2018" in found and f"/{first.pk}/" in found
    assert "01/06/2019" not in found and f"/{later.pk}/" not in found
    assert "Klaar" not in not_found
