"""Exports of a computed report: JSON (one row per cell), CSV and XLSX."""

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from common.export import guard_row


def as_dict(run) -> dict:
    """The JSON shape of issue 4: slug, title, as_of, dimensions and one row per cell, no totals."""
    rows = []
    for labels, value in run.rows():
        rows.append({**labels, "value": value})
    return {
        "slug": run.report.slug,
        "title": run.report.name,
        "as_of": run.as_of.isoformat(),
        "dimensions": list(run.dimensions),
        "rows": rows,
    }


def to_json(run) -> str:
    return json.dumps(as_dict(run), ensure_ascii=False, indent=1)


def to_csv(run) -> str:
    """The cells as CSV; a label that a spreadsheet would read as a formula is written as text
    (the one export guard, common.export.guard_row), a number stays a number."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(guard_row([*run.dimensions, "value"]))
    for labels, value in run.rows():
        writer.writerow(guard_row([*(labels[d] for d in run.dimensions), value]))
    return out.getvalue()


def _append(sheet, values):
    """A row whose text stays text: a label or report name such as `=cmd|...` (organisation names are
    typed by people) is never read as a formula, and control characters a sheet cannot hold are dropped."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row] if values else ():
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _fill_sheet(sheet, run):
    _append(sheet, [run.report.name, run.report.slug])
    known = run.known_at.isoformat() if run.known_at else "now"
    _append(sheet, ["as_of", run.as_of.isoformat(), "known_at", known])
    sheet.append([])
    _append(sheet, [*run.dimensions, "value"])
    for labels, value in run.rows():
        _append(sheet, [*(labels[d] for d in run.dimensions), value])


# Sheet names hold at most 31 characters: long words of the slugs are shortened first.
_ABBREVIATIONS = [
    ("stopped_without_internship", "stopped_no_intern"),
    ("trajectories", "traj"),
    ("evaluations", "eval"),
    ("participants", "part"),
    ("instrument", "instr"),
    ("province", "prov"),
    ("partner", "partn"),
    ("regular_work_after_exit", "work_after_exit"),
    ("return_to_social_economy", "return_to_se"),
]


def _sheet_title(slug: str, used: set) -> str:
    short = slug
    for long, abbreviation in _ABBREVIATIONS:
        if len(short) <= 31:
            break
        short = short.replace(long, abbreviation)
    title = short[:31]
    n = 1
    while title in used:
        n += 1
        title = f"{slug[:28]}~{n}"
    used.add(title)
    return title


def to_xlsx(runs) -> bytes:
    """One workbook with a sheet per report run."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for run in runs:
        _fill_sheet(workbook.create_sheet(_sheet_title(run.report.slug, used)), run)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
