"""Write the records of one kind in exactly the format the import reads."""

import csv
import io

from imports.kinds import KINDS


def export_table(kind: str) -> tuple[list[str], list[list]]:
    spec = KINDS[kind]
    return spec.column_names, list(spec.export_rows())


def to_csv(headers, rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(headers, rows, *, title="export") -> bytes:
    """An XLSX workbook; dates stay text in ISO form so the file reads the same everywhere."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([str(v) if v is not None and not isinstance(v, (int, str)) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
