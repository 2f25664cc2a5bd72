"""Exports of a computed report: JSON and CSV, the data formats (one row per cell), and XLSX (the cross-table).

JSON and CSV carry one row per cell, with the engine's labels and plain numbers (money as a string with two
decimals): they are for other programs. The XLSX workbook is the table on the screen, for people
(reports/workbook.py).
"""

import csv
import io
import json

from common.export import guard_row
from reports import workbook


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


def to_xlsx(runs) -> bytes:
    """One workbook with a sheet per report run: the cross-table of the screen (reports.workbook)."""
    return workbook.to_xlsx(runs)
