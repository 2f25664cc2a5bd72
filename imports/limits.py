"""Every limit an import file must stay within, with the message that names it.

One place for them, so the web pages and `import_records` refuse the same
files with the same words (docs/security.md 12.1-12.3). A file over a limit
is refused as a whole: nothing is imported, and what is refused costs
little memory and time because the limits are checked before or while
reading, never after holding the whole file.

Each limit can be lowered or raised in the settings (the name in
brackets); the defaults are chosen as follows.

- MAX_ERRORS (IMPORT_MAX_ERRORS, 1,000): the problems kept and shown. A
  file with more is stopped there: nothing is imported anyway, the first
  thousand problems show what is wrong, and the error report stays small.
- MAX_CHANGES (IMPORT_MAX_CHANGES, 1,000): the changed values a preview
  lists (row, column, old and new value), bounded like the errors: the
  counts say how many records change, the list shows the first ones.
- MAX_ROWS (IMPORT_MAX_ROWS, 200,000): rows below the header. Excel's own
  sheet limit is 1,048,576 rows, but 100,000 rows already take 12-17 s
  and 190 MB here (docs/benchmarks.md), and what an import keeps per row
  (the keys seen, to find repeated rows) grows with the file: a file of
  200,000 valid rows took 24 s and 242 MB (docs/benchmarks.md), within
  the 120 s and 400 MB of issue 12 with room for a slower machine. Larger
  files are split.
- MAX_COLUMNS (IMPORT_MAX_COLUMNS, 100): the widest kind has fewer than 20.
- MAX_CELL_CHARS (32,767): Excel's own limit for the text of a cell.
- MAX_LINE_CHARS (IMPORT_MAX_LINE_CHARS, 100,000): the characters of one
  CSV record (a line, or several when a quoted cell holds line breaks).
- XLSX archive, checked from the zip directory before anything is
  decompressed: at most MAX_XLSX_PARTS (1,000) parts, each at most
  MAX_XLSX_PART_BYTES (IMPORT_MAX_XLSX_PART_BYTES, 150 MB) and together
  MAX_XLSX_TOTAL_BYTES (250 MB) uncompressed, and no part over 1 MB that
  is compressed more than MAX_XLSX_RATIO (200) times (an Excel sheet is
  compressed 5 to 30 times; a decompression bomb about 1,000 times).
  Parts other than the worksheets and the shared strings (styles,
  relations, images: openpyxl reads some whole) at most
  MAX_XLSX_OTHER_PART_BYTES (5 MB). The large parts are scanned, still
  compressed-by-chunk, for a text between two tags longer than
  MAX_XLSX_TOKEN_BYTES (10 bytes per character of MAX_CELL_CHARS, the
  longest escaped form).
- Shared strings (the text cells of a workbook, which openpyxl loads all
  at once even in read-only mode): at most MAX_SHARED_STRINGS
  (IMPORT_MAX_SHARED_STRINGS, 600,000) and MAX_SHARED_STRINGS_BYTES
  (IMPORT_MAX_SHARED_STRINGS_BYTES, 40 MB) uncompressed; checked with a
  streaming parse before openpyxl opens the workbook.
"""

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MB = 1024 * 1024


def _setting(name, default):
    return getattr(settings, name, default)


def max_errors() -> int:
    return _setting("IMPORT_MAX_ERRORS", 1_000)


def max_changes() -> int:
    return _setting("IMPORT_MAX_CHANGES", 1_000)


def max_rows() -> int:
    return _setting("IMPORT_MAX_ROWS", 200_000)


def max_columns() -> int:
    return _setting("IMPORT_MAX_COLUMNS", 100)


MAX_CELL_CHARS = 32_767


def max_cell_chars() -> int:
    return _setting("IMPORT_MAX_CELL_CHARS", MAX_CELL_CHARS)


def max_line_chars() -> int:
    return _setting("IMPORT_MAX_LINE_CHARS", 100_000)


def max_xlsx_parts() -> int:
    return _setting("IMPORT_MAX_XLSX_PARTS", 1_000)


def max_xlsx_part_bytes() -> int:
    return _setting("IMPORT_MAX_XLSX_PART_BYTES", 150 * MB)


def max_xlsx_other_part_bytes() -> int:
    """Parts other than the worksheets and the shared strings (styles, workbook, relations, images):
    openpyxl reads some of them whole, and a real one takes a few kilobytes."""
    return _setting("IMPORT_MAX_XLSX_OTHER_PART_BYTES", 5 * MB)


def max_xlsx_total_bytes() -> int:
    return _setting("IMPORT_MAX_XLSX_TOTAL_BYTES", 250 * MB)


def max_xlsx_ratio() -> int:
    return _setting("IMPORT_MAX_XLSX_RATIO", 200)


MAX_XLSX_TOKEN_BYTES = 10 * MAX_CELL_CHARS

XLSX_RATIO_FROM_BYTES = 1 * MB  # smaller parts may be compressed any amount: they cost nothing to open


def max_shared_strings() -> int:
    return _setting("IMPORT_MAX_SHARED_STRINGS", 600_000)


def max_shared_strings_bytes() -> int:
    return _setting("IMPORT_MAX_SHARED_STRINGS_BYTES", 40 * MB)


def _n(number) -> str:
    return number_format(number, force_grouping=True)


def _mb(size) -> str:
    return _n(round(size / MB)) if size >= MB else _n(round(size / MB, 3))


# --- the messages, each naming its limit ----------------------------------------------------------


def more_errors_message() -> str:
    return _("Only the first %(count)s problems are listed; the file has more. Nothing was imported.") % {
        "count": _n(max_errors())
    }


def more_changes_message() -> str:
    return _("Only the first %(count)s changes are listed; the file changes more.") % {"count": _n(max_changes())}


def too_many_rows_message() -> str:
    return _("The file has more than %(count)s rows: split it into smaller files. Nothing was imported.") % {
        "count": _n(max_rows())
    }


def too_many_columns_message() -> str:
    return _("The file has more than %(count)s columns. Nothing was imported.") % {"count": _n(max_columns())}


def cell_too_long_message(row: int) -> str:
    return _(
        "Row %(row)s holds a cell of more than %(count)s characters, the most a spreadsheet cell can hold. "
        "Nothing was imported."
    ) % {"row": _n(row), "count": _n(max_cell_chars())}


def line_too_long_message(row: int) -> str:
    return _(
        "Row %(row)s is longer than %(count)s characters: this is not a CSV file of records, or a quotation mark "
        "is not closed. Nothing was imported."
    ) % {"row": _n(row), "count": _n(max_line_chars())}


def xlsx_too_many_parts_message() -> str:
    return _(
        "The workbook consists of more than %(count)s parts: it is not a plain XLSX file. Nothing was imported."
    ) % {"count": _n(max_xlsx_parts())}


def xlsx_part_too_large_message(part: str, limit: int) -> str:
    return _(
        "The workbook part %(part)s is larger than %(size)s MB when unpacked. Save the sheet without other "
        "content, or split the file. Nothing was imported."
    ) % {"part": part, "size": _mb(limit)}


def xlsx_too_large_message() -> str:
    return _("The workbook is larger than %(size)s MB when unpacked: split the file. Nothing was imported.") % {
        "size": _mb(max_xlsx_total_bytes())
    }


def xlsx_ratio_message(part: str) -> str:
    return _(
        "The workbook part %(part)s is compressed more than %(ratio)s times: such a file is made to exhaust the "
        "server, not to be read. Nothing was imported."
    ) % {"part": part, "ratio": _n(max_xlsx_ratio())}


def xlsx_text_too_long_message() -> str:
    return _(
        "The workbook holds a text of more than %(count)s characters, the most a spreadsheet cell can hold. "
        "Nothing was imported."
    ) % {"count": _n(max_cell_chars())}


def xlsx_not_utf8_message(part: str) -> str:
    return _("The workbook part %(part)s is not saved as UTF-8, as Excel saves it. Nothing was imported.") % {
        "part": part
    }


def shared_strings_count_message() -> str:
    return _("The workbook holds more than %(count)s different texts: split the file. Nothing was imported.") % {
        "count": _n(max_shared_strings())
    }


def shared_strings_size_message() -> str:
    return _("The texts of the workbook take more than %(size)s MB: split the file. Nothing was imported.") % {
        "size": _mb(max_shared_strings_bytes())
    }
