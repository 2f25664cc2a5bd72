"""Streamed list exports: CSV row by row, XLSX in openpyxl's write-only mode (constant memory).

The rows come from the list's own filtered, sorted queryset (which starts from
`visible_to(user)`), read with `.iterator(chunk_size=...)` so that no more than one
chunk of records is held at a time, whatever the number of rows.
"""

from __future__ import annotations

import csv
import datetime
import logging
import tempfile
from collections.abc import Iterable, Iterator

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django_tables2 import utils
from django_tables2.columns import Column, DateColumn, DateTimeColumn, ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
# A sheet holds 1,048,576 rows; one of them is the header.
XLSX_MAX_DATA_ROWS = 1_048_575
# A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Dates the Belgian way in every export, whatever the interface's language (config/formats/).
CSV_DATE_FORMAT = "%d/%m/%Y"
CSV_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def guard_cell(value):
    """A text value that a spreadsheet would read as a formula gets a leading apostrophe.

    The one export guard (docs/security.md, row 12.4): every CSV the application
    writes (list exports, report exports, the import-format export) passes its
    cells through here. Only text is guarded: a number (-3) stays a number. A
    text that already starts with apostrophes before such a character gets one
    more, so that `unguard_cell` gives back exactly what was recorded.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unguard_cell(value):
    """The recorded text of a cell `guard_cell` wrote: the apostrophe it added is taken off again."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def csv_cell(value):
    """A CSV cell: empty for None, a date as dd/mm/yyyy, text that could be a formula guarded."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(CSV_DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE_FORMAT)
    return guard_cell(value)


def _local(moment: datetime.datetime) -> datetime.datetime:
    """A moment in the local time zone without its zone (a spreadsheet has none)."""
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def guard_row(values) -> list:
    """A CSV row: empty for None, dates dd/mm/yyyy, text that could be a formula guarded, numbers as they are."""
    return [csv_cell(value) for value in values]


def export_columns(table, exclude_columns=()) -> list:
    return [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in exclude_columns)
    ]


def table_rows(table, queryset, exclude_columns=()) -> Iterator[list]:
    """The header, then one list of values per record, as `Table.as_values()` gives them.

    A date column gives the date itself (django-tables2 exports yyyy-mm-dd text): a real date in
    XLSX, dd/mm/yyyy in CSV.

    Each cell is read by the column's `cell_reader`: straight from the record where the column
    shows a model field (and its `value()` at most), through django-tables2's cell rendering only
    for the columns that need more. The rendering cost about 0.15 ms a row (issue 17).
    """
    columns = export_columns(table, exclude_columns)
    yield [force_str(column.header, strings_only=True) for column in columns]
    readers = [cell_reader(table, column, queryset.model) for column in columns]
    for record in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [read(record) for read in readers]


# The arguments a column's value() may ask for that a cell reader gives without a BoundRow.
_READER_ARGUMENTS = {"value", "record", "table", "column", "bound_column"}


def _field_path(model, bits) -> list | None:
    """The model fields an accessor walks through (`employer__name`), or None when a step is no
    single-valued field (a method, a many-to-many): such a column is rendered. The last step may be
    a property (`insz`), read as an attribute: its name stands in for the field."""
    fields = []
    for position, bit in enumerate(bits):
        if model is None:
            return None
        try:
            field = model._meta.get_field(bit)
        except FieldDoesNotExist:
            if position == len(bits) - 1 and isinstance(getattr(model, bit, None), property):
                return [*fields, bit]
            return None
        if field.many_to_many or field.one_to_many:
            return None
        fields.append(field)
        model = field.related_model if field.is_relation else None
    return fields or None


def cell_reader(table, bound_column, model):
    """A function of a record giving the column's export value, as `BoundRow.get_cell_value` gives it:
    the field's value (its choice label for a field with choices), None for an empty value, else the
    column's value() of it, as text."""
    column = bound_column.column
    fields = _field_path(model, A(bound_column.accessor).bits) if model is not None else None
    if fields is None or isinstance(column, ManyToManyColumn):
        return _rendered_reader(table, bound_column)
    names = [getattr(field, "name", field) for field in fields]
    last = fields[-1]
    # The choice labels, as get_FOO_display() gives them, translated once per export and not per cell.
    labels = (
        {key: force_str(label, strings_only=True) for key, label in last.flatchoices} if _has_choices(last) else None
    )

    def resolve(record):
        owner = record
        for name in names[:-1]:
            owner = getattr(owner, name)
            if owner is None:
                return None
        value = getattr(owner, names[-1])
        if labels is None:
            return value
        try:
            return labels.get(value, value)
        except TypeError:  # not hashable
            return force_str(value, strings_only=True)

    if isinstance(column, (DateColumn, DateTimeColumn)):
        return resolve
    value_of = bound_column.value
    if getattr(value_of, "__func__", None) is Column.value and type(column).render is Column.render:
        value_of = None  # value() gives the value as it is
    else:
        arguments, catch_all = utils.signature(value_of)
        if catch_all or not set(arguments) <= _READER_ARGUMENTS:
            return _rendered_reader(table, bound_column)
    empty = column.empty_values

    def read(record):
        value = resolve(record)
        if value in empty:
            return None
        if value_of is not None:
            given = {"value": value, "record": record, "table": table, "column": column, "bound_column": bound_column}
            value = value_of(**{name: given[name] for name in arguments})
        return force_str(value, strings_only=True)

    return read


def _has_choices(field) -> bool:
    return bool(getattr(field, "choices", None))


def _rendered_reader(table, bound_column):
    name = bound_column.name

    def read(record):
        return force_str(BoundRow(record, table=table).get_cell_value(name), strings_only=True)

    return read


class _Echo:
    def write(self, value):
        return value


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """The CSV lines of the rows; a failure half-way ends the file with a line saying it is incomplete.

    Once the first line is sent, the status (200) and headers are gone: an
    error while streaming (the database lost) can no longer become the 503
    page. The file then ends with a Dutch line saying rows are missing, the
    error is logged and raised again, so that the server breaks the
    connection off (with chunked transfer the browser reports a failed
    download). docs/security.md, row 5.1.
    """
    incomplete = gettext(
        "EXPORT INCOMPLETE: an error interrupted the export and rows are missing from this file. Export again."
    )
    writer = csv.writer(_Echo())

    def lines():
        try:
            for row in rows:
                yield writer.writerow(guard_row(row))
        except Exception:
            logger.exception("CSV export interrupted after it started")
            yield writer.writerow([incomplete])
            raise

    return lines()


def _xlsx_value(value, sheet):
    if value is None:
        return None
    if isinstance(value, str):
        return guard_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, datetime.date):
        # A real date that the spreadsheet shows as dd/mm/yyyy (openpyxl's default is yyyy-mm-dd).
        cell = WriteOnlyCell(sheet, value=_local(value) if isinstance(value, datetime.datetime) else value)
        cell.number_format = XLSX_DATETIME_FORMAT if isinstance(value, datetime.datetime) else XLSX_DATE_FORMAT
        return cell
    if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
        return value
    return guard_cell(str(value))


def write_xlsx(rows: Iterable[list], title: str):
    """Write the rows into a temporary file in write-only mode; return the file, rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    for row in rows:
        sheet.append([_xlsx_value(value, sheet) for value in row])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output
