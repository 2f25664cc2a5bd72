"""The downloadable templates of each kind: derived from its columns (imports/kinds.py), never kept apart.

XLSX: the header, one example row, and a second sheet describing every column (name, required or not,
format, allowed values). CSV: the header only.
"""

import io

import openpyxl
from django.utils.translation import gettext as _

from imports import cells
from imports.exports import to_csv
from imports.kinds import KINDS


def _format(column) -> str:
    formats = {
        cells.date: _("date: DD/MM/YYYY or YYYY-MM-DD"),
        cells.insz: _("INSZ: 11 digits"),
        cells.kbo: _("KBO number: 10 digits"),
        cells.integer: _("whole number"),
        cells.amount: _("amount in euro, like 1234,50"),
        cells.yes_no: _("yes or no"),
    }
    return formats.get(column.parse, _("text"))


def describe(column) -> list[str]:
    """The row of the description sheet: name, required, format, allowed values, description."""
    allowed = column.allowed() if callable(column.allowed) else (column.allowed or [])
    allowed = ", ".join(str(value) for value in allowed)
    return [column.name, _("yes") if column.required else _("no"), _format(column), allowed, str(column.description)]


def template_csv(kind: str) -> bytes:
    return to_csv(KINDS[kind].column_names, [])


def template_xlsx(kind: str) -> bytes:
    spec = KINDS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = kind[:31]
    sheet.append(spec.column_names)
    sheet.append([column.example for column in spec.columns])
    for cell in sheet[2]:
        cell.number_format = "@"  # text: a KBO number keeps its leading zero, a date its form
    columns = workbook.create_sheet(_("columns"))
    columns.append([_("column"), _("required"), _("format"), _("allowed values"), _("description")])
    for column in spec.columns:
        columns.append(describe(column))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
