"""A one-sheet XLSX file written row by row, in constant memory: the list exports' spreadsheet.

Why not a library: openpyxl's write-only mode spent about 13 µs a cell here and XlsxWriter's
constant-memory mode about 5 µs (7 December 2026, docs/benchmarks.md "Exports"); an export of
100,000 rows of six columns must take under 5 s (issue 17). A sheet of values needs little of the
format (ECMA-376 part 1, SpreadsheetML): the package's parts below, and one XML element per cell,
written here in about 1 µs. Strings are inline (no shared-strings table to hold in memory), dates
are day numbers with a dd/mm/yyyy style. openpyxl still reads the files back in the tests
(tests/test_xlsx.py) and writes the report workbooks, whose several sheets and styles it is for.
"""

from __future__ import annotations

import datetime
import math
import re
import zipfile
from collections.abc import Callable, Iterable
from typing import IO

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Characters XML 1.0 cannot hold (control characters but tab, line feed and carriage return): left out.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Characters a sheet's name may not hold, and its length (what spreadsheet programs accept).
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31
# Day 0 of the 1900 date system; days before 1 March 1900 are one less (the 1900 leap-year bug kept by Excel).
_EPOCH = datetime.datetime(1899, 12, 30)
_ROWS_PER_WRITE = 500

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
# Cell styles: 0 the default, 1 a date (dd/mm/yyyy), 2 a moment (dd/mm/yyyy hh:mm).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def column_letters(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA': the letters of a column in a cell reference."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def legal(text: str) -> str:
    """The text without the characters XML cannot hold."""
    return text if text.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", text)


def escape(text: str) -> str:
    """Text as XML character data (its characters legal already)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def sheet_name(title: str) -> str:
    """A name a spreadsheet program accepts for the sheet: without []:*?/\\, at most 31 characters."""
    name = _SHEET_NAME_FORBIDDEN.sub("", legal(title)).strip("'")[:SHEET_NAME_LENGTH]
    return name or "Export"


def serial(moment: datetime.date) -> float | int:
    """A date (a whole number) or a moment (with its fraction of a day) in the 1900 date system."""
    if isinstance(moment, datetime.datetime):
        delta = moment.replace(tzinfo=None) - _EPOCH
        days = delta.days
        fraction = delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    else:
        days = (moment - _EPOCH.date()).days
        fraction = 0
    if 0 < days <= 60:
        days -= 1
    return days + fraction if fraction else days


def _text_cell(reference: str, text: str, guard) -> str:
    """An inline text cell: illegal characters left out, then guarded, then escaped."""
    text = escape(guard(legal(text)))
    if text != text.strip() or "\n" in text:
        return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_sheet(
    output: IO[bytes],
    rows: Iterable[list],
    *,
    title: str = "Export",
    guard: Callable[[str], str] = lambda text: text,
    local: Callable[[datetime.datetime], datetime.datetime] = lambda moment: moment,
    compresslevel: int = 1,
) -> None:
    """Write `rows` (lists of values) as the one sheet of an XLSX file into `output`.

    None leaves the cell empty; str is text (passed through `guard` first); bool is a logical;
    int and float are numbers; a date is a date shown dd/mm/yyyy, a datetime a moment (made local
    by `local`) shown dd/mm/yyyy hh:mm; anything else (Decimal, time) is written as its text.
    Only one chunk of rows is held at a time. Compression level 1: a sheet of text compresses well
    even so, and the higher levels cost several times the time.
    """
    dates: dict = {}
    letters: list[str] = []
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet_name(title)).replace('"', "&quot;")))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_START.encode())
            pending = []
            for number, row in enumerate(rows, start=1):
                while len(letters) < len(row):
                    letters.append(column_letters(len(letters)))
                cells = []
                for position, value in enumerate(row):
                    if value is None:
                        continue
                    reference = f"{letters[position]}{number}"
                    kind = type(value)
                    if kind is str:
                        cells.append(_text_cell(reference, value, guard))
                    elif kind is datetime.date:
                        day = dates.get(value)
                        if day is None:
                            day = dates[value] = serial(value)
                        cells.append(f'<c r="{reference}" s="1"><v>{day}</v></c>')
                    elif kind is int:
                        cells.append(f'<c r="{reference}"><v>{value}</v></c>')
                    else:
                        cells.append(_other_cell(reference, value, guard, local))
                pending.append(f'<row r="{number}">{"".join(cells)}</row>')
                if len(pending) >= _ROWS_PER_WRITE:
                    sheet.write("".join(pending).encode())
                    pending.clear()
            pending.append(_SHEET_END)
            sheet.write("".join(pending).encode())


def _other_cell(reference: str, value, guard, local) -> str:
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        return f'<c r="{reference}" s="2"><v>{serial(local(value))!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{reference}" s="1"><v>{serial(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{int(value)}</v></c>'
    if isinstance(value, float) and math.isfinite(value):
        return f'<c r="{reference}"><v>{float(value)!r}</v></c>'
    return _text_cell(reference, str(value), guard)  # Decimal, time, not-a-number: as text
