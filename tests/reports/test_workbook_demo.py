"""On the demo data: `export_report --format xlsx` gives the cross-table of the minister's table, and the
pack shows the answer's contradictions, its revisions and question 5 as the demo records them."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from demo.data import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def _rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_export_report_xlsx_of_q1_is_the_cross_table_with_years_across_and_totals(demo, db, tmp_path):
    out = tmp_path / "q1.xlsx"

    call_command("export_report", "q1_ready_by_instrument_province_year", "--format", "xlsx", "--output", str(out))

    rows = _rows(openpyxl.load_workbook(out).worksheets[0])
    header_at = next(i for i, row in enumerate(rows) if row[0] == "beleidsinstrument")
    header, body = rows[header_at], rows[header_at + 1 :]
    assert header == ["beleidsinstrument", "provincie", 2018, 2019, 2020, "onbekend", "Totaal"]
    assert body[0] == ["lokale diensteneconomie", "Antwerpen", 0, 25, 29, 0, 54]
    assert all(isinstance(value, int) for row in body[:-1] for value in row[2:])
    assert body[-1][0] == "Totaal"
    assert all(isinstance(value, int) for value in body[-1][2:])
    assert body[-1][-1] == 206
    assert sum(row[-1] for row in body[:-1]) == 206


def test_the_pack_on_the_demo_shows_the_answer_its_contradictions_revisions_and_pilots(demo, db, client, analyst):
    client.force_login(analyst)

    html = client.get(reverse("reports:pack")).content.decode()

    assert "€ 2.016.000,00" in html and "€ 806.400,00" in html
    assert "gepubliceerd 15, uit de registraties 16" in html
    assert "gepubliceerd 1, uit de registraties 0" in html
    assert "2016000.00" not in html
    for pilot in ("Proeftuin doorstroom retail", "Proeftuin doorstroom zorg", "Doorstroom met zorg"):
        assert pilot in html
    assert "Herziening: zoals vandaag bekend" in html


def test_the_pack_workbook_on_the_demo_revises_q2a_by_the_late_trajectory(demo, db, client, analyst):
    client.force_login(analyst)

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reports:pack_export")).content))

    rows = _rows(workbook["Herzieningen"])
    start = rows.index(
        next(r for r in rows if r[0] == "Doorstroomtrajecten per doorstroompartner (projectoproep 432) en jaar")
    )
    argos = next(r for r in rows[start:] if r[0] == "Argos · 2019")
    assert argos[1:4] == [argos[1], argos[1] + 1, 1]
    summary = rows[start + 1][0]
    assert "1 registratie(s) later ingevoerd" in summary
