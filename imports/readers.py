"""Read an uploaded CSV or XLSX file into a header and numbered rows of cells."""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.parsers import expat

import openpyxl
from django.utils.translation import gettext as _

from imports import limits


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
    """The header row and the data rows of the file's first sheet; empty rows are skipped.

    The rows are read one at a time (never the whole sheet at once) and within
    the limits of imports/limits.py: a file over one is refused with
    UnreadableFile, before reading for what the file's structure tells (the
    XLSX archive), or while reading (rows, lines, cells)."""
    if _is_xlsx(content, file_name):
        return _read_xlsx(content)
    return _read_csv(content)


# --- CSV ------------------------------------------------------------------------------------------

DECODE_CHUNK = 1024 * 1024


def _read_csv(content: bytes) -> Table:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        encoding = "utf-16"
        if not _decodes(content, encoding):
            raise UnreadableFile(_("The file cannot be read as UTF-16 text."))
    elif _decodes(content, "utf-8-sig"):
        encoding = "utf-8-sig"
    elif _decodes(content, "cp1252"):
        encoding = "cp1252"
    else:  # five bytes mean nothing in Windows-1252: neither encoding fits
        raise UnreadableFile(
            _("The file is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8 or as an XLSX workbook.")
        )
    # Read as a stream: the text is decoded a line at a time, never the whole file at once.
    return _csv_table(io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline=""))


def _decodes(content: bytes, encoding: str) -> bool:
    """Whether the whole file is text in this encoding without NUL characters, decoded a megabyte at a
    time and thrown away (the file is decoded again as it is read)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(content), DECODE_CHUNK):
            text = decoder.decode(view[start : start + DECODE_CHUNK], final=start + DECODE_CHUNK >= len(content))
            if "\x00" in text:
                # PostgreSQL stores no NUL in text: refuse the file here, not with a server error later.
                raise UnreadableFile(_("The file holds NUL characters: it is not a CSV text file, or it is damaged."))
    except UnicodeDecodeError:
        return False
    return True


def _csv_table(stream) -> Table:
    max_line = limits.max_line_chars()
    first_line = stream.readline(max_line + 1)
    if len(first_line) > max_line:
        raise UnreadableFile(limits.line_too_long_message(1))
    # Comma, semicolon (Excel in Belgium) or tab (Excel's "Unicode text"): the one the header uses most.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    stream.seek(0)
    record = {"chars": 0, "row": 1}

    def lines():
        # csv.reader asks for lines until a record is complete (a quoted cell may span lines): the
        # characters of one record are counted, and a record over the limit stops the file.
        while line := stream.readline(max_line + 1):
            record["chars"] += len(line)
            if record["chars"] > max_line:
                raise UnreadableFile(limits.line_too_long_message(record["row"]))
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        headers = [h.strip() for h in _next_record(reader)]
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    _check_width(headers, 1)

    def rows():
        max_rows, max_columns, max_cell = limits.max_rows(), limits.max_columns(), limits.max_cell_chars()
        number = 1
        while True:
            number += 1
            record["chars"], record["row"] = 0, number
            try:
                cells = _next_record(reader)
            except StopIteration:
                return
            if number > max_rows + 1:
                raise UnreadableFile(limits.too_many_rows_message())
            if len(cells) > max_columns or record["chars"] > max_cell:  # else no cell can be too long
                _check_width(cells, number)
            cells = [c.strip() for c in cells]
            if any(cells):
                yield number, cells

    return Table(headers, rows())


def _next_record(reader) -> list[str]:
    try:
        return next(reader)
    except csv.Error as exc:  # a cell over csv.field_size_limit, a NUL
        raise UnreadableFile(_("The file cannot be read as CSV: %(error)s.") % {"error": exc}) from None


def _check_width(cells, number: int) -> None:
    if len(cells) > limits.max_columns():
        raise UnreadableFile(limits.too_many_columns_message())
    longest = limits.max_cell_chars()
    for cell in cells:
        if len(cell) > longest:
            raise UnreadableFile(limits.cell_too_long_message(number))


# --- XLSX -----------------------------------------------------------------------------------------


def _read_xlsx(content: bytes) -> Table:

    check_xlsx_archive(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None
    # The dimension the file claims ("A1:XFD1048576") would make every row that wide: ignore it, and
    # read no cell right of the widest a file may have, nor, below the header, right of the header
    # (the import reads no column without a name).
    sheet.reset_dimensions()
    width = limits.max_columns()
    first = sheet.iter_rows(max_row=1, max_col=width + 1, values_only=True)
    try:
        header_row = next(first, ())
    except Exception:
        workbook.close()
        raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None
    finally:
        first.close()
    headers = [str(h).strip() if h is not None else "" for h in header_row]
    while headers and headers[-1] == "":
        headers.pop()
    if not headers:
        workbook.close()
        raise UnreadableFile(_("The file is empty."))
    _check_width(headers, 1)
    iterator = sheet.iter_rows(min_row=2, max_col=len(headers), values_only=True)

    def rows():
        max_rows = limits.max_rows()
        longest = limits.max_cell_chars()
        try:
            for number, values in enumerate(iterator, start=2):
                if number > max_rows + 1:
                    raise UnreadableFile(limits.too_many_rows_message())
                cells = [_cell(v) for v in values]
                for c in cells:
                    if isinstance(c, str) and len(c) > longest:
                        raise UnreadableFile(limits.cell_too_long_message(number))
                if any(c != "" for c in cells):
                    yield number, cells
        except UnreadableFile:
            raise
        except Exception:  # a damaged sheet found while reading it
            raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None
        finally:
            workbook.close()

    return Table(headers, rows())


SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
WORKSHEET_PART = re.compile(r"xl/worksheets/sheet\d+\.xml")


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a workbook over a limit of imports/limits.py before openpyxl decompresses anything.

    The sizes come from the zip directory; Python's zipfile never gives more
    bytes of a part than the directory says (it stops there, and the check sum
    then fails), so a lying directory cannot get past them. Only a worksheet
    or the shared strings may be large; they are then read once, a megabyte
    at a time, for a text longer than a cell may hold, and the shared strings
    are counted, before openpyxl loads them all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None
    if len(parts) > limits.max_xlsx_parts():
        raise UnreadableFile(limits.xlsx_too_many_parts_message())
    shared_strings = _shared_strings_part(archive, parts)
    total = 0
    for part in parts:
        size = part.file_size
        total += size
        if size > limits.max_xlsx_part_bytes():
            raise UnreadableFile(limits.xlsx_part_too_large_message(part.filename, limits.max_xlsx_part_bytes()))
        if size >= limits.XLSX_RATIO_FROM_BYTES and size > limits.max_xlsx_ratio() * max(part.compress_size, 1):
            raise UnreadableFile(limits.xlsx_ratio_message(part.filename))
        if total > limits.max_xlsx_total_bytes():
            raise UnreadableFile(limits.xlsx_too_large_message())
    for part in parts:
        if part.filename == shared_strings:
            if part.file_size > limits.max_shared_strings_bytes():
                raise UnreadableFile(limits.shared_strings_size_message())
            _check_shared_strings(archive, part)
        elif part.file_size > limits.max_xlsx_other_part_bytes():
            if not WORKSHEET_PART.fullmatch(part.filename):
                raise UnreadableFile(
                    limits.xlsx_part_too_large_message(part.filename, limits.max_xlsx_other_part_bytes())
                )
            _check_tokens(archive, part)


def _shared_strings_part(archive, parts) -> str | None:
    """The shared strings part as openpyxl finds it: named in [Content_Types].xml."""

    info = next((p for p in parts if p.filename == "[Content_Types].xml"), None)
    if info is None:
        return None
    if info.file_size > limits.max_xlsx_other_part_bytes():
        raise UnreadableFile(limits.xlsx_part_too_large_message(info.filename, limits.max_xlsx_other_part_bytes()))
    try:
        root = ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None
    for element in root:
        if element.get("ContentType") == SHARED_STRINGS_TYPE and element.get("PartName"):
            return element.get("PartName").lstrip("/")
    return None


def _chunks(archive, part):
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(DECODE_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None


def _check_tokens(archive, part) -> None:
    """No text (or tag) between two '<' longer than a cell's text can be, escaped. In UTF-8 (or any
    single-byte encoding) the byte '<' is always the character; a UTF-16 part is refused."""
    carry = b""
    first = True
    for chunk in _chunks(archive, part):
        if first:
            first = False
            if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<")):
                raise UnreadableFile(limits.xlsx_not_utf8_message(part.filename))
        pieces = (carry + chunk).split(b"<")
        carry = pieces.pop()
        if len(carry) > limits.MAX_XLSX_TOKEN_BYTES or (pieces and max(map(len, pieces)) > limits.MAX_XLSX_TOKEN_BYTES):
            raise UnreadableFile(limits.xlsx_text_too_long_message())


def _check_shared_strings(archive, part) -> None:
    """Count the shared strings and measure each, streaming (expat), before openpyxl loads them all."""

    most, longest = limits.max_shared_strings(), limits.max_cell_chars()
    state = {"count": 0, "length": 0}

    def start(name, attributes):
        local = name.rpartition(":")[2]
        if local == "si":
            state["count"] += 1
            state["length"] = 0
            if state["count"] > most:
                raise UnreadableFile(limits.shared_strings_count_message())
        elif local == "sst":
            declared = attributes.get("uniqueCount") or attributes.get("count") or "0"
            if declared.isdigit() and int(declared) > most:
                raise UnreadableFile(limits.shared_strings_count_message())

    def text(data):
        state["length"] += len(data)
        if state["length"] > longest:
            raise UnreadableFile(limits.xlsx_text_too_long_message())

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    try:
        for chunk in _chunks(archive, part):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise UnreadableFile(_("The file cannot be read as an XLSX workbook.")) from None
