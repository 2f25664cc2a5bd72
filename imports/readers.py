"""Read an uploaded CSV or XLSX file into a header and numbered rows of cells."""

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file this application can read."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (row number in the file, cells), header is row 1


class NumberText(str):
    """The text of a numeric XLSX cell: leading zeros of an identifier stored as a number are lost."""


def _cell(value):
    """XLSX cells: real dates stay dates, whole numbers lose their '.0', everything else becomes text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return NumberText(int(value))
    return str(value).strip()


def _is_xlsx(content: bytes, file_name: str) -> bool:
    return content[:2] == b"PK" or file_name.lower().endswith(".xlsx")


def read_table(content: bytes, file_name: str) -> Table:
    """The header row and the data rows of the file's first sheet; empty rows are skipped."""
    if _is_xlsx(content, file_name):
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: bytes) -> Table:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(_("The file cannot be read as UTF-16 text.")) from None
    else:
        text = _decode_8bit(content)
    if "\x00" in text:
        # PostgreSQL stores no NUL in text: refuse the file here, not with a server error later.
        raise UnreadableFile(_("The file holds NUL characters: it is not a CSV text file, or it is damaged."))
    return _csv_table(text)


def _decode_8bit(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:  # five bytes mean nothing in Windows-1252: neither encoding fits
            raise UnreadableFile(
                _("The file is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8 or as an XLSX workbook.")
            ) from None


def _csv_table(text: str) -> Table:
    first_line = text.split("\n", 1)[0]
    # Comma, semicolon (Excel in Belgium) or tab (Excel's "Unicode text"): the one the header uses most.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None

    def rows():
        for number, cells in enumerate(reader, start=2):
            cells = [c.strip() for c in cells]
            if any(cells):
                yield number, cells

    return Table(headers, rows())


def _read_xlsx(content: bytes) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(iterator)]
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    while headers and headers[-1] == "":
        headers.pop()

    def rows():
        for number, values in enumerate(iterator, start=2):
            cells = [_cell(v) for v in values]
            if any(c != "" for c in cells):
                yield number, cells
        workbook.close()

    return Table(headers, rows())
