"""Write the records of one kind in exactly the format the import reads."""

import csv
import io

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from common.export import guard_row
from imports.kinds import KINDS


def export_table(kind: str) -> tuple[list[str], list[list]]:
    spec = KINDS[kind]
    return spec.column_names, list(spec.export_rows())


def to_csv(headers, rows) -> bytes:
    """The CSV file; text a spreadsheet would read as a formula gets the export guard's apostrophe,
    which the import takes off again (imports.services._parse_row), so the round trip stays exact."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(guard_row(headers))
    writer.writerows(guard_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8")


def text_cell(sheet, value: str):
    """A cell that holds `value` as text: never read as a formula (a value typed as `=cmd|...` in an
    uploaded file comes back in the error report), without the control characters a worksheet cannot hold."""

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def to_xlsx(headers, rows, *, title="export") -> bytes:
    """An XLSX workbook; dates stay text in ISO form so the file reads the same everywhere.

    Text goes in as text, exactly as given, so that the import reads it back unchanged."""

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([text_cell(sheet, str(h)) for h in headers])
    for row in rows:
        values = [str(v) if v is not None and not isinstance(v, (int, str)) else v for v in row]
        sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
