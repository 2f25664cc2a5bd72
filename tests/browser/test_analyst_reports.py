"""End-to-end: an analyst runs a saved report, changes its reference date and downloads its CSV (issue 15)."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from reports.models import SavedReport
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
SLUG = "trajecten-per-partner-en-jaar"


@pytest.fixture
def analyst():
    user = factories.UserFactory(password=PASSWORD, username="analist")
    user.groups.add(Group.objects.get(name=Role.ANALYST.value))
    return user


@pytest.fixture
def report():
    """A report an administrator saved without dates of its own: it runs for today unless asked otherwise."""
    return SavedReport.objects.create(
        name="Trajecten per partner en jaar",
        slug=SLUG,
        measure="trajectories",
        population="trajectories",
        row_dimensions=["partner"],
        column_dimension="year",
    )


@pytest.fixture
def trajectories():
    """Trajectories of call 432 of two partners: two started in 2019, one in 2020."""
    call = factories.CallFactory()
    north = factories.PartnerFactory(name="Noorderlicht vzw")
    south = factories.PartnerFactory(name="Zuiderzon vzw")
    for partner, start in ((north, D(2019, 4, 1)), (south, D(2019, 9, 1)), (north, D(2020, 3, 1))):
        factories.TrajectoryFactory(call=call, partner=partner, start_date=start)


def _csv_rows(download):
    return list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))


def test_analyst_runs_a_saved_report_for_another_reference_date_and_downloads_its_csv(
    page, login, shot, analyst, report, trajectories
):
    login(analyst)
    # The home page leads to the reports; an analyst has no work lists, and no casework menu.
    page.click("nav a:text-is('Rapporten')")
    page.wait_for_url("**/rapporten/")
    assert report.name in page.inner_text("main")
    assert "Nieuw rapport" not in page.inner_text("main")  # analysts run reports, they do not build them

    # The saved report, run for today.
    page.click(f"main a[href='/rapporten/{SLUG}/']")
    page.wait_for_url(f"**/rapporten/{SLUG}/")
    assert page.inner_text("h1") == report.name
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert f"Peildatum: {today}." in page.inner_text("main")
    table = page.inner_text("main table")
    assert "Noorderlicht vzw" in table and "Zuiderzon vzw" in table and "2020" in table

    # Another reference date: the end of 2019. The trajectory of 2020 is not counted any more.
    # Typed by hand the Belgian way: the field is a dd/mm/yyyy text field, whatever the browser's language.
    page.fill("#id_as_of", "31/12/2019")
    page.click("main form button[type=submit]")
    page.wait_for_url("**as_of=31%2F12%2F2019**")
    assert "Peildatum: 31/12/2019." in page.inner_text("main")
    shot("analyst-report-run")

    # The CSV holds the figures of that reference date, one row per cell.
    with page.expect_download() as download:
        page.click("main a:text-is('CSV')")
    assert download.value.suggested_filename == f"{SLUG}-2019-12-31.csv"
    rows = _csv_rows(download)
    assert rows and set(rows[0]) == {"partner", "year", "value"}
    counted = {(row["partner"], row["year"]): int(float(row["value"])) for row in rows if row["value"]}
    assert counted.get(("Noorderlicht vzw", "2019")) == 1
    assert counted.get(("Zuiderzon vzw", "2019")) == 1
    assert sum(value for (_partner, year), value in counted.items() if year == "2020") == 0

    # Today's figures count the trajectory of 2020 too: the export follows the date on the page.
    page.fill("#id_as_of", datetime.date.today().strftime("%d/%m/%Y"))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**as_of={datetime.date.today().strftime('%d%%2F%m%%2F%Y')}**")
    with page.expect_download() as download:
        page.click("main a:text-is('CSV')")
    counted = {(row["partner"], row["year"]): row["value"] for row in _csv_rows(download)}
    assert int(float(counted[("Noorderlicht vzw", "2020")])) == 1
