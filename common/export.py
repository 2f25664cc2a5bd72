"""Streamed list exports: CSV row by row, XLSX in openpyxl's write-only mode (constant memory).

The rows come from the list's own filtered, sorted queryset (which starts from
`visible_to(user)`), read with `.iterator(chunk_size=...)` so that no more than one
chunk of records is held at a time, whatever the number of rows.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import logging
import tempfile
from collections.abc import Iterable, Iterator

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django_tables2 import utils
from django_tables2.columns import Column, DateColumn, DateTimeColumn, ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A

from common.crypto import decrypt_insz_many
from common.insz import INSZMixin
from common.xlsx import write_sheet

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
# A sheet holds 1,048,576 rows; one of them is the header.
XLSX_MAX_DATA_ROWS = 1_048_575
# A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Dates the Belgian way in every export, whatever the interface's language (config/formats/).
CSV_DATE_FORMAT = "%d/%m/%Y"
CSV_DATETIME_FORMAT = "%d/%m/%Y %H:%M"


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
    for the columns that need more. The rendering cost about 0.15 ms a row (issue 17). When every
    column shows a model field, the rows are read as tuples of exactly those columns
    (`values_list`), without a model instance per record: the query reads less, and Python makes
    no object per row.
    """
    columns = export_columns(table, exclude_columns)
    yield [force_str(column.header, strings_only=True) for column in columns]
    readers = [cell_reader(table, column, queryset.model) for column in columns]
    paths = [getattr(read, "path", None) for read in readers]
    if isinstance(queryset, QuerySet) and all(paths):
        # The pk first: a DISTINCT query stays one row per record, whatever the values of the columns.
        selected = list(dict.fromkeys(["pk", *paths]))
        positions = [selected.index(path) for path in paths]
        values = queryset.prefetch_related(None).values_list(*selected).iterator(chunk_size=CHUNK_SIZE)
        converters = [read.convert for read in readers]
        tokens = [position for read, position in zip(readers, positions) if read.decrypts]
        relations = [(position, read.related, {}) for read, position in zip(readers, positions) if read.related]
        while chunk := list(itertools.islice(values, CHUNK_SIZE)):
            if tokens or relations:
                chunk = [list(row) for row in chunk]
            for position in tokens:  # the INSZ of a whole chunk decrypted at once
                for row, number in zip(chunk, decrypt_insz_many([row[position] for row in chunk])):
                    row[position] = number
            for position, model, texts in relations:
                _related_texts(model, {row[position] for row in chunk}, texts)
                for row in chunk:
                    row[position] = texts.get(row[position])
            for row in chunk:
                yield [convert(row[position]) for convert, position in zip(converters, positions)]
        return
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


class _FieldReader:
    """Reads one column's export value from a record (`reader(record)`) or from the value of its
    `path` in a `values_list` row (`reader.convert(value)`): the same value either way."""

    def __init__(self, path: str | None, names: list, convert, *, decrypts: bool = False, related=None):
        self.path = path
        self.names = names
        self.convert = convert
        # The path reads a person's INSZ token (`insz_encrypted`): decrypt it before convert().
        self.decrypts = decrypts
        # The path reads a related record's id (a column showing the record, as its text): the model to
        # read the texts from, a chunk's ids at a time.
        self.related = related

    def __call__(self, record):
        owner = record
        for name in self.names[:-1]:
            owner = getattr(owner, name)
            if owner is None:
                return self.convert(None)
        return self.convert(getattr(owner, self.names[-1]))


# Texts of related records kept per export and column: beyond this many, they are read again per chunk.
RELATED_TEXTS_KEPT = 10_000


def _related_texts(model, ids: set, texts: dict) -> None:
    """Add to `texts` the text (str) of the records of `model` with these ids that it does not hold yet.

    A column showing a related record (an evaluation's employer, advice or person) reads the record's
    id with the row and its text once per chunk for all rows, instead of a record per row and column:
    the few employers and advices of an export are read once; persons, one per row, in bulk.
    """
    if len(texts) > RELATED_TEXTS_KEPT:
        texts.clear()
    missing = [pk for pk in ids if pk is not None and pk not in texts]
    if missing:
        for record in _text_records(model).filter(pk__any_of=missing):
            texts[record.pk] = str(record)


def _text_records(model) -> QuerySet:
    """The records of `model` as their text needs them: unordered, and only the fields their __str__
    reads when the model names them (`STR_FIELDS`), instead of every field. An Employee read whole
    cost its two moments parsed and its INSZ token read, per person of the export (issue 17)."""
    records = model._base_manager.order_by()
    fields = getattr(model, "STR_FIELDS", None)
    return records.only(*fields) if fields else records


def _as_it_is(value):
    return value


def cell_reader(table, bound_column, model):
    """A function of a record giving the column's export value, as `BoundRow.get_cell_value` gives it:
    the field's value (its choice label for a field with choices), None for an empty value, else the
    column's value() of it, as text. For a column that shows a field (or a person's INSZ), it is a
    `_FieldReader`, which can also read the value from a `values_list` row."""
    column = bound_column.column
    fields = _field_path(model, A(bound_column.accessor).bits) if model is not None else None
    if fields is None or isinstance(column, ManyToManyColumn):
        return _rendered_reader(table, bound_column)
    names = [getattr(field, "name", field) for field in fields]
    last = fields[-1]
    owner_model = fields[-2].related_model if len(fields) > 1 else model
    decrypt = isinstance(last, str)
    if decrypt and not (last == "insz" and issubclass(owner_model, INSZMixin)):
        return _rendered_reader(table, bound_column)  # another property: read from the record
    # A column showing a related record (its text): the path reads its id (see `_related_texts`).
    related = last.related_model if not decrypt and last.is_relation else None
    path = "__".join([*names[:-1], "insz_encrypted" if decrypt else names[-1]])
    # The choice labels, as get_FOO_display() gives them, translated once per export and not per cell.
    labels = (
        {key: force_str(label, strings_only=True) for key, label in last.flatchoices} if _has_choices(last) else None
    )
    if labels is None:
        base = _as_it_is
    else:

        def base(value):
            try:
                return labels.get(value, value)
            except TypeError:  # not hashable
                return force_str(value, strings_only=True)

    if isinstance(column, (DateColumn, DateTimeColumn)):
        return _FieldReader(path, names, base, decrypts=decrypt)
    value_of = bound_column.value
    if getattr(value_of, "__func__", None) is Column.value and type(column).render is Column.render:
        value_of = None  # value() gives the value as it is
    elif related is not None:  # a column's own value() of a related record: rendered, as before
        return _rendered_reader(table, bound_column)
    else:
        arguments, catch_all = utils.signature(value_of)
        if catch_all or not set(arguments) <= _READER_ARGUMENTS - {"record"}:
            return _rendered_reader(table, bound_column)
    if related is not None:
        # A related record's text (its __str__): `_related_texts` gives it for the id the path reads.
        return _FieldReader(path, names, _record_text, related=related)
    empty = column.empty_values
    if labels is None and value_of is None:  # the field's value as it is: no call per cell beyond this one

        def plain(value):
            if value in empty:
                return None
            return value if type(value) is str else force_str(value, strings_only=True)

        return _FieldReader(path, names, plain, decrypts=decrypt)
    given = {"table": table, "column": column, "bound_column": bound_column}

    def convert(stored):
        value = base(stored)
        if value in empty:
            return None
        if value_of is not None:
            value = value_of(**{name: value if name == "value" else given[name] for name in arguments})
        return force_str(value, strings_only=True)

    return _FieldReader(path, names, convert, decrypts=decrypt)


def _record_text(value):
    """The export value of a column showing a related record: its text, None without a record.

    From a `values_list` row the value is the text `_related_texts` made already; read from a record
    (`_FieldReader.__call__`), it is the related record itself. A record is never one of a column's
    empty values, so even an empty text stays "", as the record's own text did before."""
    if value is None or type(value) is str:
        return value
    return force_str(value, strings_only=True)


def _has_choices(field) -> bool:
    return bool(getattr(field, "choices", None))


def _rendered_reader(table, bound_column):
    name = bound_column.name

    def read(record):
        return force_str(BoundRow(record, table=table).get_cell_value(name), strings_only=True)

    return read


class _Buffer(list):
    """What csv.writer writes, kept until it is sent (one string per row)."""

    write = list.append


# Rows sent to the client together: one write of some tens of kilobytes instead of one per row.
CSV_ROWS_PER_CHUNK = 500


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """The CSV lines of the rows; a failure half-way ends the file with a line saying it is incomplete.

    The header is sent at once, the rows by CSV_ROWS_PER_CHUNK. Once the first line is sent, the
    status (200) and headers are gone: an error while streaming (the database lost) can no longer
    become the 503 page. The file then ends with the rows read so far and a Dutch line saying rows
    are missing, the error is logged and raised again, so that the server breaks the connection off
    (with chunked transfer the browser reports a failed download). docs/security.md, row 5.1.
    """
    incomplete = gettext(
        "EXPORT INCOMPLETE: an error interrupted the export and rows are missing from this file. Export again."
    )
    buffer = _Buffer()
    writer = csv.writer(buffer)
    cell = _csv_cell_writer()

    def lines():
        try:
            for number, row in enumerate(rows):
                writer.writerow([cell(value) for value in row])
                if number % CSV_ROWS_PER_CHUNK == 0:  # the header alone, then every CSV_ROWS_PER_CHUNK rows
                    yield "".join(buffer)
                    buffer.clear()
            if buffer:
                yield "".join(buffer)
        except Exception:
            logger.exception("CSV export interrupted after it started")
            writer.writerow([incomplete])
            yield "".join(buffer)
            raise

    return lines()


def _csv_cell_writer():
    """`csv_cell` for the many cells of one export: each distinct date is written once."""
    dates = {}

    def cell(value):
        if value is None:
            return ""
        kind = type(value)
        if kind is str:
            return "'" + value if value.lstrip("'").startswith(FORMULA_PREFIXES) else value
        if kind is datetime.date:
            text = dates.get(value)
            if text is None:
                text = dates[value] = value.strftime(CSV_DATE_FORMAT)
            return text
        return csv_cell(value)

    return cell


def write_xlsx(rows: Iterable[list], title: str):
    """Write the rows into a temporary file (common/xlsx.py, in constant memory); return the file, rewound.

    Dates and moments are real dates that a spreadsheet shows as dd/mm/yyyy (hh:mm), in local time;
    text is guarded against formulas (`guard_cell`); other values (Decimal, time) are written as text.
    """
    output = tempfile.TemporaryFile()
    write_sheet(output, rows, title=title, guard=guard_cell, local=_local)
    output.seek(0)
    return output
