"""End-to-end: an administrator builds, previews, saves and exports a report by clicking only (issue 14, point 1)."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from reports.models import SavedReport
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


@pytest.fixture
def administrator():
    user = factories.UserFactory(password=PASSWORD, username="beheerder", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    return user


@pytest.fixture
def trajectories():
    """Trajectories of call 432 in three provinces, two years, and one of another call."""
    call = factories.CallFactory()
    other_call = factories.CallFactory(number="380")
    for postcode, start in ((2000, D(2019, 4, 1)), (3500, D(2019, 5, 1)), (3600, D(2020, 2, 1)), (9000, D(2020, 3, 1))):
        factories.TrajectoryFactory(
            call=call, start_date=start, se_employer=factories.OrganisationFactory(postcode=postcode)
        )
    factories.TrajectoryFactory(
        call=other_call, start_date=D(2019, 6, 1), se_employer=factories.OrganisationFactory(postcode=8000)
    )


def _preview_shows(page, text):
    page.wait_for_function(
        "text => !document.getElementById('report-builder').hasAttribute('aria-busy')"
        " && document.getElementById('report-preview').innerText.includes(text)",
        arg=text,
    )


def test_administrator_builds_previews_saves_and_exports_a_report_by_clicking(
    page, login, shot, administrator, trajectories
):
    login(administrator)
    page.goto("/rapporten/")
    page.click("text=Nieuw rapport")
    page.wait_for_url("**/rapporten/nieuw/")
    assert "Kies een maatstaf" in page.inner_text("#report-preview")

    # The measure first: the figures and dimensions offered become those of the trajectories.
    page.select_option("#id_measure", label="Trajecten")
    page.wait_for_selector("#id_population option:has-text('lopend op de peildatum')", state="attached")
    page.select_option("#id_row_dimension_1", label="provincie")
    _preview_shows(page, "Limburg")
    page.select_option("#id_column", label="jaar")
    _preview_shows(page, "2020")
    # Only call 432: a click on its label, no syntax.
    page.click("summary:has-text('projectoproep')")
    page.check("input[name=filter_call][value='432']")
    _preview_shows(page, "West-Vlaanderen")  # a listed province stays, at zero
    page.fill("#id_as_of", "30/06/2020")
    page.press("#id_as_of", "Tab")
    _preview_shows(page, "30/06/2020")
    preview = page.inner_text("#report-preview table")
    assert "Limburg" in preview and "Totaal" in preview
    assert "province" not in preview and "year" not in preview
    page.fill("#id_name", "Trajecten van oproep 432 per provincie en jaar")
    shot("report-builder")

    page.click("#report-builder-form button[type=submit]:not([name=preview])")
    page.wait_for_selector(".alert-success")
    report = SavedReport.objects.get(name="Trajecten van oproep 432 per provincie en jaar")
    assert report.slug == "trajecten-van-oproep-432-per-provincie-en-jaar"
    assert report.row_dimensions == ["province"] and report.column_dimension == "year"
    assert report.filters == {"call": ["432"]}
    assert report.as_of == D(2020, 6, 30)
    shot("report-saved")

    with page.expect_download() as download:
        page.click("a:text-is('XLSX')")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    values = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Limburg" in values

    # The list shows it by its title among the administrators' own reports.
    page.goto("/rapporten/")
    assert "Trajecten van oproep 432 per provincie en jaar" in page.inner_text("main")
    shot("report-list")
