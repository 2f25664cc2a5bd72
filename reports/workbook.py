"""XLSX workbooks that are the tables on the screen: a report's cross-table, and the parliamentary workbook.

A report's sheet: its title, then its definition, reference date, register date, age-band scheme and
suppression note; the row dimensions down, the column dimension across (years as numbers), numeric cells,
a Totaal row and column where the page has them, amounts in euro, shares as percentages, frozen headers.
The parliamentary workbook: a first sheet listing the questions with links, one sheet per table (the
question above it), question 5 (the sector pilots) and the revisions (as known on the answer's date and
today). CSV and JSON stay one row per cell (`reports.exports`): those are the data formats.
"""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from reports import formatting
from reports.constants import AgeBandScheme
from reports.measures import MEASURES
from reports.pack import dimension_labels

EURO = '"€" #,##0.00'
SHARE = "0%"
COUNT = "#,##0"
DATE = "DD/MM/YYYY"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
LINK = Font(color="0563C1", underline="single")
CHANGED = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
RATE = "#,##0.0"
FORMATS = {"money": EURO, "share": SHARE, "count": COUNT, "rate": RATE}
YEAR_DIMENSIONS = {"year"}


def _text(value):
    """Text a sheet can hold, never read as a formula (labels and names are typed by people)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _put(sheet, row, column, value, *, number_format=None, font=None, fill=None, alignment=None):
    cell = sheet.cell(row=row, column=column, value=_text(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    return cell


def _label(dimension: str, label: str, shown: str):
    """A label as a cell: a year as a number, anything else as the page shows it."""
    if dimension in YEAR_DIMENSIONS and label.isdigit():
        return int(label)
    return shown


# --- sheet names -----------------------------------------------------------------------------------------

# Applied in turn, while a title is longer than a sheet name may be: phrases first, then words.
_SHORTER = [
    (r"Advies 'doorstroomklaar' per beleidsinstrument, (\w+) en jaar van advies", r"Klaar – instr., \1, jaar"),
    (r"Van de doorstroomklaren: aan het werk volgens Dimona", "Doorstroomklaar aan het werk"),
    (r"Doorstroomtrajecten", "Trajecten"),
    (r"Trajecten beëindigd zonder stage", "Zonder stage"),
    (r"Evaluaties kans op doorstroom", "Evaluaties"),
    (r"Toegekend oproepbudget projectoproep", "Budget oproep"),
    (r"Regulier werk in het ", "Werk "),
    (r"na het einde van het traject", "na traject"),
    (r": toegekend, besteed, verdiend", ""),
    (r": doorstromers", ""),
    (r"Terug naar de sociale economie, en na hoeveel tijd", "Terug naar SE, na hoeveel tijd"),
    (r" \((projectoproep 432|gestarte trajecten|ESF\+|WIOA|euro)\)", ""),
    (r"werkondersteuningspakket", "WOP"),
    (r"beleidsinstrument", "instrument"),
    (r"leeftijdsgroep", "leeftijd"),
    (r"doorstroompartner", "partner"),
    (r"provincie werkgever", "provincie"),
    (r"jaar van (advies|stopzetting|doorstroom)", "jaar"),
    (r" per ", " "),
    (r",? en ", ", "),
    (r"provincie", "prov."),
    (r"instrument", "instr."),
]
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, used: set) -> str:
    """A sheet name from a Dutch title: shortened where needed, at most 31 characters, unique in the book."""
    title = _text(name).strip("' ") or _("Table")
    for long, short in _SHORTER:
        if len(title) <= 31:
            break
        title = re.sub(long, short, title)
    title = _NOT_IN_SHEET_NAMES.sub(" ", title)
    if len(title) > 31:
        title = title[:31].rsplit(" ", 1)[0] if " " in title[:31] else title[:31]
    title = title.strip(" ,'")
    base, n = title, 1
    while title.lower() in used:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)].strip() + suffix
    used.add(title.lower())
    return title


# --- one report --------------------------------------------------------------------------------------------


def _definition(run) -> str:
    measure = MEASURES[run.report.measure]
    parts = [str(measure.label), str(measure.description)]
    if run.report.description:
        parts.append(run.report.description)
    return " — ".join(p for p in parts if p)


def _heading(sheet, run, row: int, *, question: str = "") -> int:
    """Title, question and the report's reading; returns the next free row."""
    _put(sheet, row, 1, run.report.name, font=TITLE)
    row += 1
    if question:
        _put(sheet, row, 1, question, alignment=WRAP)
        row += 1
    suppression = (
        _("Counts from 1 to 4 are shown as '<5'; totals that would reveal them are shown as 'x'.")
        if run.suppress
        else _("Not suppressed: every count is shown.")
    )
    facts = [
        (_("Definition"), _definition(run), None),
        (_("Reference date"), run.as_of, DATE),
        (_("Register as it stood on"), run.known_at or _("today"), DATE if run.known_at else None),
        (_("Age bands"), str(AgeBandScheme(run.report.age_bands).label), None),
        (_("Small counts"), suppression, None),
    ]
    for label, value, number_format in facts:
        _put(sheet, row, 1, label, font=BOLD)
        _put(sheet, row, 2, value, number_format=number_format)
        row += 1
    return row + 1


def write_table(sheet, run, table, names: dict, row: int, *, changed=False) -> int:
    """The cross-table from `row` on, as on the screen; returns the row after it (totals included).

    With `changed`, a cell that carries the value of an earlier register (`Cell.was`) is filled.
    """
    dims = run.row_dimensions or []
    first = len(dims) + 1
    header = row
    for index, dim in enumerate(dims):
        _put(sheet, row, index + 1, str(names.get(dim, dim)), font=BOLD)
    if run.column_dimension:
        for index, (key, shown) in enumerate(zip(table["column_keys"], table["columns"])):
            _put(sheet, row, first + index, _label(run.column_dimension, key, shown), font=BOLD)
    else:
        _put(sheet, row, first, _("Value"), font=BOLD)
    has_row_totals = bool(table["rows"]) and table["rows"][0]["total"] is not None
    total_column = first + len(table["columns"])
    if has_row_totals:
        _put(sheet, row, total_column, _("Total"), font=BOLD)
    for body in table["rows"]:
        row += 1
        for index, (dim, key, shown) in enumerate(zip(dims, body["keys"], body["labels"])):
            _put(sheet, row, index + 1, _label(dim, key, shown))
        for index, cell in enumerate(body["cells"]):
            value = cell.shown if cell.suppressed else cell.value
            fill = CHANGED if changed and cell.was is not None else None
            _put(sheet, row, first + index, value, number_format=FORMATS.get(cell.kind), fill=fill)
        if has_row_totals:
            kind = body["cells"][0].kind if body["cells"] else "count"
            total = body["total_value"] if body["total_value"] is not None else body["total"] or None
            _put(sheet, row, total_column, total, number_format=FORMATS.get(kind), font=BOLD)
    totals = table["totals"]
    if totals:
        row += 1
        _put(sheet, row, 1, _("Total"), font=BOLD)
        kinds = [c.kind for c in table["rows"][0]["cells"]] if table["rows"] else []
        for index, (text, value) in enumerate(zip(totals["cells"], totals["values"])):
            kind = kinds[index] if index < len(kinds) else "count"
            shown = value if value is not None else text or None
            _put(sheet, row, first + index, shown, number_format=FORMATS.get(kind), font=BOLD)
        if has_row_totals:
            grand = totals["total_value"] if totals["total_value"] is not None else totals["total"] or None
            _put(sheet, row, total_column, grand, number_format=FORMATS.get(kinds[0] if kinds else "count"), font=BOLD)
    if sheet.freeze_panes is None:
        sheet.freeze_panes = sheet.cell(row=header + 1, column=first)
    return row + 1


def _widths(sheet, *, first_column: int = 40):
    """Columns as wide as their contents (within reason); the first holds the long labels."""
    widths = {}
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.value is None or cell.alignment.wrap_text:
                continue
            length = len(str(cell.value)) + (4 if isinstance(cell.value, (int, float)) else 0)
            widths[cell.column] = max(widths.get(cell.column, 8), min(length + 2, 60))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width, first_column) if column == 1 else width


def _notes(sheet, notes, row: int) -> int:
    for note in notes:
        difference = note["difference"]
        cell_name = ", ".join(str(label) for label in note["labels"]) or str(note["cell"].labels)
        text = _("%(cell)s: published %(published)s, from the registers %(found)s. %(reason)s") % {
            "cell": cell_name,
            "published": difference.published,
            "found": note["cell"].shown,
            "reason": difference.reason,
        }
        _put(sheet, row, 1, text, alignment=WRAP)
        row += 1
    return row


def to_xlsx(runs) -> bytes:
    """One workbook with a sheet per report run, each the cross-table of the screen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for run in runs:
        sheet = workbook.create_sheet(sheet_title(run.report.name, used))
        row = _heading(sheet, run, 1)
        write_table(sheet, run, run.table(), dimension_labels(run.report), row)
        _widths(sheet)
    return _save(workbook)


# --- the parliamentary workbook ------------------------------------------------------------------------------


def _link(cell, sheet_name: str):
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet_name}'!A1", display=str(cell.value))
    cell.font = LINK


def _question_line(report) -> str:
    if not report.question:
        return ""
    return _("Question %(number)s: %(text)s") % {"number": report.question, "text": report.question_text}


def _index(sheet, sections, names, extra):
    """The first sheet: every question and table, with a link to its sheet."""
    _put(sheet, 1, 1, _("Parliamentary question on transition"), font=TITLE)
    _put(
        sheet,
        2,
        1,
        _("Every table of the minister's answer, and the figures it could not give, computed from the records."),
    )
    headers = [_("Question"), _("Table"), _("Reference date"), _("Register as it stood on"), _("Question asked")]
    for column, header in enumerate(headers, start=1):
        _put(sheet, 4, column, header, font=BOLD)
    row, asked = 5, set()
    for section in sections:
        report, run = section.report, section.run
        _put(sheet, row, 1, report.question)
        _link(_put(sheet, row, 2, report.name), names[report.pk])
        _put(sheet, row, 3, run.as_of, number_format=DATE)
        _put(sheet, row, 4, run.known_at or _("today"), number_format=DATE if run.known_at else None)
        if report.question not in asked:
            _put(sheet, row, 5, report.question_text, alignment=WRAP)
            asked.add(report.question)
        row += 1
    for question, title, name, text in extra:
        _put(sheet, row, 1, question)
        _link(_put(sheet, row, 2, title), name)
        if text:
            _put(sheet, row, 5, text, alignment=WRAP)
        row += 1
    _widths(sheet, first_column=10)
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["E"].width = 90
    sheet.freeze_panes = "A5"


def _pilots_sheet(sheet, pilots, question_text):
    _put(sheet, 1, 1, _("Question 5: the sector pilots"), font=TITLE)
    _put(sheet, 2, 1, question_text, alignment=WRAP)
    headers = [
        _("Pilot"),
        _("Sector"),
        _("Organisations"),
        _("From"),
        _("Until"),
        _("What they did"),
        _("Trajectories"),
        _("Persons"),
    ]
    for column, header in enumerate(headers, start=1):
        _put(sheet, 4, column, header, font=BOLD)
    for row, pilot in enumerate(pilots, start=5):
        values = [pilot.name, pilot.sector, ", ".join(pilot.organisations), pilot.start_date, pilot.end_date]
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value, number_format=DATE if column in (4, 5) else None)
        _put(sheet, row, 6, pilot.results, alignment=WRAP)
        _put(sheet, row, 7, pilot.trajectories, number_format=COUNT)
        _put(sheet, row, 8, pilot.persons, number_format=COUNT)
    _widths(sheet)
    for column, width in (("A", 32), ("C", 60), ("F", 70)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "B5"


def _revisions_sheet(sheet, sections):
    """Per table: every cell as the register stood on the table's date and as known today; changes filled."""
    _put(sheet, 1, 1, _("Revisions: as registered then, and as known today"), font=TITLE)
    headers = [_("Cell"), _("As registered then"), _("As known today"), _("Difference")]
    row = 3
    for section in sections:
        revision = section.revision
        if revision is None:
            continue
        _put(sheet, row, 1, section.report.name, font=BOLD)
        row += 1
        _put(sheet, row, 1, revision_summary(revision), alignment=WRAP)
        row += 1
        for column, header in enumerate(headers, start=1):
            _put(sheet, row, column, header, font=BOLD)
        row += 1
        for body in revision.table["rows"]:
            for index, cell in enumerate(body["cells"]):
                column = revision.table["columns"][index] if revision.now.column_dimension else ""
                name = " · ".join(str(p) for p in [*body["labels"], column] if p != "")
                fill = CHANGED if cell.was is not None else None
                number_format = FORMATS.get(cell.kind)
                _put(sheet, row, 1, name, fill=fill)
                then = cell.before if not cell.suppressed else revision.then.shown(cell.before, cell.kind)[0]
                now = cell.value if not cell.suppressed else cell.shown
                _put(sheet, row, 2, then, number_format=number_format, fill=fill)
                _put(sheet, row, 3, now, number_format=number_format, fill=fill)
                if cell.kind != "share" and not cell.suppressed and cell.value is not None:
                    _put(sheet, row, 4, (cell.value or 0) - (cell.before or 0), number_format=number_format, fill=fill)
                row += 1
        row += 1
    _widths(sheet, first_column=60)
    sheet.column_dimensions["A"].width = 60


def revision_summary(revision) -> str:
    """One sentence on a revision: the register's date, the cells that changed and the records behind them."""
    return _(
        "Register of %(then)s against today's: %(changed)s cell(s) changed; %(late)s record(s) registered "
        "later, %(corrected)s corrected later."
    ) % {
        "then": formatting.day(revision.then.known_at),
        "changed": revision.changed,
        "late": revision.late,
        "corrected": revision.corrected,
    }


def pack_workbook(sections, pilots, question_5: str) -> bytes:
    """The parliamentary workbook: the questions with links, a sheet per table, question 5 and the revisions."""
    workbook = Workbook()
    index = workbook.active
    index.title = _("Questions")
    used = {index.title.lower()}
    names = {}
    for section in sections:
        report, run = section.report, section.run
        sheet = workbook.create_sheet(sheet_title(report.name, used))
        names[report.pk] = sheet.title
        row = _heading(sheet, run, 1, question=_question_line(report))
        row = write_table(sheet, run, section.table, section.dimension_labels, row)
        _notes(sheet, section.notes, row + 1)
        _widths(sheet)
    pilots_sheet = workbook.create_sheet(sheet_title(_("Question 5 sector pilots"), used))
    _pilots_sheet(pilots_sheet, pilots, question_5)
    extra = [("5", _("The sector pilots"), pilots_sheet.title, question_5)]
    if any(section.revision for section in sections):
        revisions = workbook.create_sheet(sheet_title(_("Revisions"), used))
        _revisions_sheet(revisions, sections)
        extra.append(("", _("Revisions: as registered then, and as known today"), revisions.title, ""))
    _index(index, sections, names, extra)
    return _save(workbook)


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
