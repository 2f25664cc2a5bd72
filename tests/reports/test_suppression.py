"""Publication safety: small counts shown as '<5', and the totals that would reveal them hidden."""

import datetime
import json

import pytest
from django.core.management import call_command

from reports.constants import SUPPRESSED, SUPPRESSED_TOTAL
from reports.models import SavedReport
from reports.services import run_report
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return SavedReport.objects.create(
        name="Trajecten",
        slug="trajecten",
        measure="trajectories",
        row_dimensions=["partner"],
        column_dimension="year",
        suppress_small_cells=True,
        as_of=D(2019, 11, 30),
    )


def _trajectories(partner, year, n):
    for _ in range(n):
        factories.TrajectoryFactory(partner=partner, start_date=D(year, 4, 1))


def test_counts_from_one_to_four_are_shown_as_less_than_five(report):
    small, large = factories.PartnerFactory(name="Klein"), factories.PartnerFactory(name="Groot")
    _trajectories(small, 2019, 3)
    _trajectories(large, 2019, 6)
    _trajectories(large, 2018, 5)

    table = run_report(report).table()
    rows = {row["labels"][0]: row for row in table["rows"]}

    assert [c.shown for c in rows["Klein"]["cells"]] == ["0", SUPPRESSED]
    assert [c.shown for c in rows["Groot"]["cells"]] == ["5", "6"]
    # The row total of Klein and the 2019 column total would reveal the 3; the grand total too.
    assert rows["Klein"]["total"] == SUPPRESSED_TOTAL
    assert rows["Groot"]["total"] == "11"
    assert table["totals"]["cells"] == ["5", SUPPRESSED_TOTAL]
    assert table["totals"]["total"] == SUPPRESSED_TOTAL


def test_without_suppression_small_counts_and_totals_are_shown(report):
    report.suppress_small_cells = False
    _trajectories(factories.PartnerFactory(name="Klein"), 2019, 3)

    table = run_report(report).table()

    assert [c.shown for c in table["rows"][0]["cells"]] == ["3"]
    assert table["totals"]["total"] == "3"


def test_exports_of_a_suppressed_report_show_less_than_five(report, tmp_path):
    _trajectories(factories.PartnerFactory(name="Klein"), 2019, 2)
    out = tmp_path / "out.json"

    call_command("export_report", report.slug, "--output", str(out))

    rows = json.loads(out.read_text())["rows"]
    assert {"partner": "Klein", "year": "2019", "value": SUPPRESSED} in rows


def test_zero_is_not_suppressed(report):
    _trajectories(factories.PartnerFactory(name="Groot"), 2019, 7)

    cells = run_report(report).table()["rows"][0]["cells"]

    assert [c.shown for c in cells] == ["7"]
