"""The parliamentary pack, export_report and its formats, and the engine's query count."""

import csv
import datetime
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import SavedReport
from reports.services import run_report
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "reference" / "ministerial-figures-2019.json"


def _reference_tables():
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["tables"]


def _export(slug, *args, fmt="json", tmp_path):
    out = tmp_path / f"{slug}.{fmt}"
    call_command("export_report", slug, "--format", fmt, "--output", str(out), *args)
    return out


def test_the_pack_has_one_saved_report_per_ministerial_table_after_migrations():
    slugs = set(SavedReport.objects.filter(in_pack=True).values_list("slug", flat=True))

    assert {table["id"] for table in _reference_tables()} <= slugs
    assert "q4_lasting_work_by_year" in slugs


@pytest.mark.parametrize("table", _reference_tables(), ids=lambda t: t["id"])
def test_each_pack_report_exports_the_reference_tables_dimensions_and_rows_in_order(table, tmp_path):
    path = _export(table["id"], "--as-of", table["demo_as_of"], "--known-at", table["demo_as_of"], tmp_path=tmp_path)

    exported = json.loads(path.read_text(encoding="utf-8"))

    assert exported["slug"] == table["id"]
    assert exported["as_of"] == table["demo_as_of"]
    assert exported["dimensions"] == table["dimensions"]
    labels = [[row[d] for d in table["dimensions"]] for row in exported["rows"]]
    assert labels == [[row[d] for d in table["dimensions"]] for row in table["rows"]]
    assert set(exported) == {"slug", "title", "as_of", "dimensions", "rows"}


def test_json_export_counts_records_with_labels_as_in_the_reference(tmp_path):
    factories.EvaluationFactory(
        employer=factories.OrganisationFactory(postcode=3500),
        instrument=factories.instrument("lokale-diensteneconomie"),
        evaluation_date=D(2019, 3, 1),
    )

    exported = json.loads(_export("q1_ready_by_instrument_province_year", tmp_path=tmp_path).read_text())

    row = {"instrument": "lokale diensteneconomie", "province": "Limburg", "year": "2019", "value": 1}
    assert row in exported["rows"]
    assert sum(r["value"] for r in exported["rows"]) == 1


def test_json_export_gives_money_as_strings_with_two_decimals(tmp_path):
    factories.GrantFactory()

    exported = json.loads(_export("q2e_call_budget", tmp_path=tmp_path).read_text())

    assert exported["rows"] == [
        {"source": "total", "value": "42000.00"},
        {"source": "esf", "value": "16800.00"},
        {"source": "flemish_cofinancing", "value": "25200.00"},
    ]


def test_export_reads_the_register_at_known_at(tmp_path):
    factories.TrajectoryFactory(start_date=D(2019, 4, 1), registered_on=D(2019, 12, 10))

    then = json.loads(
        _export("q2c_ended", "--as-of", "2019-11-30", "--known-at", "2019-11-30", tmp_path=tmp_path).read_text()
    )
    now_path = tmp_path / "now.json"
    call_command(
        "export_report", "q2b_trajectories_by_province_year", "--as-of", "2019-11-30", "--output", str(now_path)
    )
    now = json.loads(now_path.read_text())

    assert then["rows"][0] == {"status": "ended", "value": 0}
    assert {"province": "Oost-Vlaanderen", "year": "2019", "value": 1} in now["rows"]


def test_export_to_stdout_without_output_file(capsys):
    call_command("export_report", "q2c_ended")

    assert json.loads(capsys.readouterr().out)["slug"] == "q2c_ended"


def test_csv_export_has_a_header_and_one_line_per_cell(tmp_path):
    path = _export("q2b_trajectories_by_age_year", fmt="csv", tmp_path=tmp_path)

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))

    assert rows[0] == ["age_band", "year", "value"]
    assert rows[1] == ["<25", "2018", "0"]
    assert len(rows) == 1 + 6


def test_xlsx_export_opens_with_openpyxl(tmp_path):
    path = _export("q2c_ended", fmt="xlsx", tmp_path=tmp_path)

    sheet = openpyxl.load_workbook(path).active

    values = [row[:2] for row in sheet.values]
    assert ("cijfer", "Waarde") in values
    assert ("beëindigd", 0) in values


def test_export_of_an_unknown_slug_fails_clearly():
    with pytest.raises(CommandError, match="No saved report"):
        call_command("export_report", "no-such-report")


def test_export_rejects_a_malformed_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_report", "q2c_ended", "--as-of", "30/11/2019")


def _records(n):
    for i in range(n):
        person = factories.EmployeeFactory(unknown_birth_date=(i % 5 == 0))
        factories.EmploymentFactory(employee=person, start_date=D(2016, 1, 1), end_date=D(2018, 12, 31))
        factories.EmploymentFactory(employee=person, regular=True, start_date=D(2019, 1, 1))
        factories.EvaluationFactory(employee=person, evaluation_date=None if i % 7 == 0 else D(2018 + i % 2, 3, 1))
        trajectory = factories.TrajectoryFactory(employee=person, start_date=D(2018 + i % 2, 4, 1), ended=(i % 2 == 0))
        factories.InternshipFactory(trajectory=trajectory)
        factories.GrantFactory(partner=trajectory.partner)


def _queries_of_every_pack_report(known_at=None):
    reports = list(SavedReport.objects.filter(in_pack=True))
    with CaptureQueriesContext(connection) as captured:
        for report in reports:
            run_report(report, as_of=D(2019, 11, 30), known_at=known_at)
    return len(captured.captured_queries)


@pytest.mark.parametrize("known_at", [None, D(2019, 11, 30)])
def test_the_number_of_queries_of_a_report_does_not_grow_with_the_records(known_at):
    _records(3)
    few = _queries_of_every_pack_report(known_at)
    _records(12)
    many = _queries_of_every_pack_report(known_at)

    assert few == many
    assert few <= 3 * SavedReport.objects.filter(in_pack=True).count()


def test_xlsx_export_to_stdout_is_a_workbook(capsysbinary):
    call_command("export_report", "q2c_ended", "--format", "xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(capsysbinary.readouterr().out))
    assert workbook.sheetnames == ["Beëindigde trajecten"]
