"""The XLSX of a report is the cross-table of the screen; the pack page and workbook give the whole answer:
Dutch numbers, the published contradictions beside their figures, the revisions, and question 5 (pilots)."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import formatting
from reports.models import SavedReport
from reports.pack import pilots, sections
from reports.services import late_records, revise, run_report
from reports.sources import end_of_day
from reports.workbook import sheet_title
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db
K = D(2019, 11, 30)


def _sheet(path_or_bytes):
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    return openpyxl.load_workbook(source).worksheets[0]


def _row_of(sheet, first_value):
    for row in sheet.iter_rows():
        if row[0].value == first_value:
            return row
    raise AssertionError(f"no row starting with {first_value!r}")


def test_dutch_numbers_amounts_shares_and_dates():
    assert formatting.number(1234) == "1.234"
    assert formatting.euro("2016000.00") == "€ 2.016.000,00"
    assert formatting.euro(1234.5) == "€ 1.234,50"
    assert formatting.percent("0.40") == "40 %"
    assert formatting.percent("0.405") == "40,5 %"
    assert formatting.day(D(2020, 10, 31)) == "31/10/2020"


def test_a_report_workbook_is_its_cross_table_with_years_across_as_numbers_and_totals(tmp_path):
    for year in (2018, 2019, 2019):
        factories.TrajectoryFactory(partner=factories.PartnerFactory(name=f"Partner {year}"), start_date=D(year, 4, 1))
    report = SavedReport.objects.create(
        name="Trajecten per partner en jaar",
        slug="trajecten-per-partner",
        measure="trajectories",
        row_dimensions=["partner"],
        column_dimension="year",
        as_of=K,
    )
    out = tmp_path / "report.xlsx"

    call_command("export_report", report.slug, "--format", "xlsx", "--output", str(out))

    workbook = openpyxl.load_workbook(out)
    sheet = workbook.worksheets[0]
    assert workbook.sheetnames == ["Trajecten per partner en jaar"]
    assert sheet["A1"].value == "Trajecten per partner en jaar"
    assert _row_of(sheet, "Peildatum")[1].value.date() == K
    assert _row_of(sheet, "Peildatum")[1].number_format == "DD/MM/YYYY"
    assert _row_of(sheet, "Register zoals het was op")[1].value == "vandaag"
    header = [c.value for c in _row_of(sheet, "doorstroompartner")]
    assert header == ["doorstroompartner", 2018, 2019, "Totaal"]
    assert [c.value for c in _row_of(sheet, "Partner 2019")] == ["Partner 2019", 0, 2, 2]
    assert [c.value for c in _row_of(sheet, "Totaal")] == ["Totaal", 1, 2, 3]
    assert sheet.freeze_panes == f"B{_row_of(sheet, 'doorstroompartner')[0].row + 1}"


def test_amounts_are_in_euro_format_and_shares_in_percent(tmp_path):
    factories.GrantFactory()
    out = tmp_path / "money.xlsx"

    call_command("export_report", "q2e_call_budget", "--format", "xlsx", "--output", str(out))

    sheet = _sheet(out)
    total = _row_of(sheet, "toegekend, totaal")
    assert float(total[1].value) == 42000.0
    assert "€" in total[1].number_format


def test_csv_and_json_stay_one_row_per_cell(tmp_path):
    factories.GrantFactory()
    out = tmp_path / "money.json"

    call_command("export_report", "q2e_call_budget", "--output", str(out))

    assert '"value": "42000.00"' in out.read_text()


def test_sheet_names_are_short_unique_and_from_the_dutch_title():
    used = set()
    names = [
        sheet_title("Advies 'doorstroomklaar' per beleidsinstrument, provincie en jaar van advies", used),
        sheet_title("Advies 'doorstroomklaar' per beleidsinstrument, leeftijdsgroep en jaar van advies", used),
        sheet_title("Aan het werk: per [provincie]?", used),
        sheet_title("Aan het werk: per [provincie]?", used),
    ]

    assert names == ["Klaar – instr., provincie, jaar", "Klaar – instr., leeftijd, jaar", *names[2:]]
    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == 4
    assert not any(set(name) & set("[]:*?/\\") for name in names)


def _late_and_corrected():
    """Two trajectories known at K; one registered after K; one evaluation corrected after K."""
    partner = factories.PartnerFactory(name="Levanto")
    factories.TrajectoryFactory(partner=partner, start_date=D(2019, 4, 1))
    factories.TrajectoryFactory(partner=partner, start_date=D(2019, 5, 1))
    factories.TrajectoryFactory(partner=partner, start_date=D(2019, 11, 18), registered_on=D(2019, 12, 4))


def test_the_revision_marks_the_cells_changed_by_late_registrations():
    _late_and_corrected()
    report = SavedReport.objects.get(slug="q2a_trajectories_by_partner_year")

    revision = revise(run_report(report, as_of=K, known_at=K))

    changed = [
        (row["labels"], cell.labels["year"], cell.was, cell.shown)
        for row in revision.table["rows"]
        for cell in row["cells"]
        if cell.was is not None
    ]
    assert changed == [(["Levanto"], "2019", "2", "3")]
    assert (revision.changed, revision.late, revision.corrected) == (1, 1, 0)


def test_the_revision_counts_corrections_made_after_the_register_date():
    employer = factories.OrganisationFactory(postcode=3500)
    evaluation = factories.EvaluationFactory(employer=employer, evaluation_date=D(2019, 3, 1))
    evaluation.evaluation_date = D(2018, 3, 1)
    evaluation._history_date = end_of_day(D(2020, 2, 1))
    evaluation.save()
    report = SavedReport.objects.get(slug="q3_evaluations_by_province_year")

    revision = revise(run_report(report, as_of=K, known_at=K))

    (limburg,) = [row for row in revision.table["rows"] if row["labels"] == ["Limburg"]]
    marked = {cell.labels["year"]: (cell.was, cell.shown) for cell in limburg["cells"]}
    assert marked["2019"] == ("1", "0") and marked["2018"] == ("0", "1")
    assert (revision.late, revision.corrected) == (0, 1)
    assert late_records(report, as_of=K, known_at=D(2020, 6, 1)) == (0, 0)


def test_a_report_read_from_todays_register_has_no_revision():
    report = SavedReport.objects.get(slug="q2a_trajectories_by_partner_year")

    assert revise(run_report(report, as_of=K)) is None


def test_question_5_counts_trajectories_with_an_internship_at_a_pilot_organisation_in_its_period():
    host = factories.RegularEmployerFactory(name="Woonzorgcentrum De Linde")
    pilot = factories.PilotFactory(name="Proeftuin zorg", start_date=D(2017, 3, 1), end_date=D(2018, 12, 31))
    pilot.organisations.add(host)
    inside = factories.TrajectoryFactory(start_date=D(2018, 4, 1))
    factories.InternshipFactory(trajectory=inside, host=host, start_date=D(2018, 5, 1))
    factories.InternshipFactory(trajectory=inside, host=host, start_date=D(2018, 9, 1))
    factories.InternshipFactory(host=host, trajectory=factories.TrajectoryFactory(start_date=D(2019, 2, 1)))

    (row,) = pilots(D(2020, 1, 1))

    assert (row.name, row.organisations, row.trajectories, row.persons) == (
        "Proeftuin zorg",
        ["Woonzorgcentrum De Linde"],
        1,
        1,
    )


def test_the_pack_page_shows_dutch_amounts_question_5_and_the_revisions(client, analyst):
    factories.GrantFactory()
    _late_and_corrected()
    factories.PilotFactory(name="Proeftuin doorstroom retail")
    client.force_login(analyst)

    html = client.get(reverse("reports:pack")).content.decode()

    assert "€ 42.000,00" in html
    assert "Proeftuin doorstroom retail" in html
    assert "Naar aanleiding van het Maatwerkdecreet" in html
    assert "Herziening: zoals vandaag bekend, 1 cel gewijzigd sinds het register van 30/11/2019" in html
    assert "1 registratie na die dag ingevoerd" in html
    assert "<del" in html


def test_the_pack_workbook_lists_the_questions_with_links_and_holds_pilots_and_revisions(client, analyst):
    _late_and_corrected()
    factories.PilotFactory(name="Proeftuin doorstroom retail")
    client.force_login(analyst)

    response = client.get(reverse("reports:pack_export"))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    index = workbook["Vragen"]
    assert workbook.sheetnames[0] == "Vragen"
    assert "Vraag 5 proeftuinen" in workbook.sheetnames and "Herzieningen" in workbook.sheetnames
    links = {cell.value: cell.hyperlink.location for row in index.iter_rows() for cell in row if cell.hyperlink}
    assert links["Doorstroomtrajecten per doorstroompartner (projectoproep 432) en jaar"] == (
        "'Trajecten per partner en jaar'!A1"
    )
    table = workbook["Trajecten per partner en jaar"]
    assert table["A2"].value.startswith("Vraag 2a: ")
    assert [c.value for c in _row_of(table, "Levanto")][:4] == ["Levanto", 0, 2, 2]
    revisions = workbook["Herzieningen"]
    levanto = _row_of(revisions, "Levanto · 2019")
    assert [c.value for c in levanto] == ["Levanto · 2019", 2, 3, 1]
    assert levanto[0].fill.fgColor.rgb.endswith("FFF2CC")
    assert [c.value for c in _row_of(workbook["Vraag 5 proeftuinen"], "Proeftuin doorstroom retail")][-2:] == [0, 0]


def test_each_published_contradiction_stands_beside_its_figure(client, analyst):
    client.force_login(analyst)

    html = client.get(reverse("reports:pack")).content.decode()

    assert "gepubliceerd 15, uit de registraties 0" in html
    assert "gepubliceerd 1, uit de registraties 0" in html
    assert "De kolom 2018 telt op tot 17" in html
    assert len(sections(revisions=False)) == SavedReport.objects.filter(in_pack=True).count()
