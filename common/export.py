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
import operator
import tempfile
from collections.abc import Iterable, Iterator

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import QuerySet
from django.db.models.base import ModelState
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


def table_rows(table, queryset, exclude_columns=()) -> ExportRows:
    """The header, then one list of values per record, as `Table.as_values()` gives them.

    A date column gives the date itself (django-tables2 exports yyyy-mm-dd text): a real date in
    XLSX, dd/mm/yyyy in CSV.

    Each cell is read by the column's `cell_reader`: straight from the record where the column
    shows a model field (and its `value()` at most), through django-tables2's cell rendering only
    for the columns that need more. The rendering cost about 0.15 ms a row (issue 17). When every
    column shows a model field, the rows are read as tuples of exactly those columns
    (`values_list`), without a model instance per record: the query reads less, and Python makes
    no object per row.

    Such an export of at most PLAIN_QUERY_ROWS rows is read at once by one plain query, here
    (`_small_result`): its number of rows is then known (`ExportRows.row_count`), and the access
    log needs no COUNT of its own. A bigger one is read through a server-side cursor, a chunk at a
    time (`_all_rows`).
    """
    columns = export_columns(table, exclude_columns)
    header = [force_str(column.header, strings_only=True) for column in columns]
    readers = [cell_reader(table, column, queryset.model) for column in columns]
    paths = [getattr(read, "path", None) for read in readers]
    if not (isinstance(queryset, QuerySet) and all(paths)):
        return ExportRows(header, (read_row(record, readers) for record in _all_rows(queryset)))
    # The pk first: a DISTINCT query stays one row per record, whatever the values of the columns.
    selected = list(dict.fromkeys(["pk", *paths]))
    # A column showing a related record that the query joins already (another column reads a field
    # through it, as the INSZ column does the person's): the fields of its text are read in the same
    # row, instead of the records apart by id afterwards (`_related_texts`).
    joined = []
    for read in readers:
        fields = _text_fields(read.related) if read.related else None
        if fields and any(path.startswith(read.path + "__") for path in paths):
            named = [f"{read.path}__{field}" for field in fields]
            selected.extend(path for path in named if path not in selected)
            joined.append((read.path, read.related, named))
    position = {path: number for number, path in enumerate(selected)}
    values = queryset.prefetch_related(None).values_list(*selected)
    small = _small_result(values)
    if small is None:
        chunks = _chunks(_all_rows(values))
    else:
        chunks = (small[start : start + CHUNK_SIZE] for start in range(0, len(small), CHUNK_SIZE))
    rows = _value_rows(
        chunks,
        [(read.convert, position[read.path]) for read in readers],
        tokens=list(dict.fromkeys(position[read.path] for read in readers if read.decrypts)),
        joined=[(position[path], model, [position[name] for name in named]) for path, model, named in joined],
        relations=[
            (position[path], model)
            for path, model in {read.path: read.related for read in readers if read.related}.items()
            if path not in {path for path, _model, _named in joined}
        ],
    )
    return ExportRows(header, rows, None if small is None else len(small))


class ExportRows:
    """The rows of an export (the header first), and their number when it is known before they are
    read (`row_count`: the rows read at once, else None; the header not counted)."""

    def __init__(self, header: list, rows: Iterator[list], row_count: int | None = None):
        self._rows = itertools.chain([header], rows)
        self.row_count = row_count

    def __iter__(self):
        return self

    def __next__(self) -> list:
        return next(self._rows)


# An export of at most this many rows (of a few columns) is read by one plain query: no COUNT for
# the access log, no server-side cursor (which PostgreSQL plans for its first rows, without
# parallel workers, and copies whole at the end of its transaction: WITH HOLD). An export of more
# rows is read again through a cursor, a chunk at a time: this many rows at most are held at once.
PLAIN_QUERY_ROWS = 5_000


def _small_result(values: QuerySet) -> list | None:
    """All the rows of `values` if they are at most PLAIN_QUERY_ROWS (one query), else None."""
    if PLAIN_QUERY_ROWS <= 0:
        return None
    rows = list(values[: PLAIN_QUERY_ROWS + 1])
    return rows if len(rows) <= PLAIN_QUERY_ROWS else None


def _all_rows(queryset) -> Iterator:
    """The rows of the queryset through a server-side cursor, CHUNK_SIZE at a time.

    In PostgreSQL the cursor is planned for all its rows (cursor_tuple_fraction 1 while it is
    declared) and not for the first tenth (the default): a WITH HOLD cursor (autocommit) is read
    whole when it is declared anyway, and an export reads every row. For a selection in another
    order than an index, the default chose to walk the index of the order and filter every row
    of it (78 ms where the whole plan takes 44 ms, issue 17).
    """
    if not isinstance(queryset, QuerySet):
        yield from queryset
        return
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        yield from rows
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1")
    try:
        first = next(rows, None)  # declares the cursor (and plans its query)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")
    if first is not None:
        yield first
        yield from rows


def _chunks(rows: Iterator) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        yield chunk


def read_row(record, readers) -> list:
    return [read(record) for read in readers]


def _value_rows(chunks, cells, *, tokens, joined, relations) -> Iterator[list]:
    """The export rows of `values_list` rows, a chunk at a time: the INSZ tokens of a chunk decrypted
    at once, the ids of related records replaced by their texts, then each cell converted.

    `cells`: (convert, position) per column; `tokens`: the positions of INSZ tokens; `joined`:
    (position of the id, model, positions of its text fields) per related record read in the row;
    `relations`: (position of the id, model) per related record whose texts are read apart."""
    joined = [(position, _text_maker(model), fields, {}) for position, model, fields in joined]
    relations = [(position, model, {}) for position, model in relations]
    # The cells of a row picked in one call; a cell whose value is exported as it is (a related
    # record's text or None, `_record_text`; a date) is not converted.
    pick = operator.itemgetter(*[position for _convert, position in cells])
    if len(cells) == 1:
        single = pick

        def pick(row):
            return (single(row),)

    converted = [(number, convert) for number, (convert, _position) in enumerate(cells) if convert not in _AS_THEY_ARE]
    for chunk in chunks:
        if tokens or joined or relations:
            chunk = [list(row) for row in chunk]
        for position in tokens:  # the INSZ of a whole chunk decrypted at once
            for row, number in zip(chunk, decrypt_insz_many([row[position] for row in chunk])):
                row[position] = number
        for position, make, fields, texts in joined:
            if len(texts) > RELATED_TEXTS_KEPT:
                texts.clear()
            for row in chunk:
                pk = row[position]
                if pk is not None:
                    text = texts.get(pk)
                    if text is None:
                        text = texts[pk] = make(pk, [row[field] for field in fields])
                    row[position] = text
        for position, model, texts in relations:
            _related_texts(model, {row[position] for row in chunk}, texts)
            for row in chunk:
                row[position] = texts.get(row[position])
        for row in chunk:
            values = list(pick(row))
            for number, convert in converted:
                values[number] = convert(values[number])
            yield values


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
    the few employers and advices of an export are read once; persons, one per row, in bulk. A model
    that names the fields of its text (`STR_FIELDS`) is read as tuples of those fields (`_text_maker`);
    another, as whole records.
    """
    if len(texts) > RELATED_TEXTS_KEPT:
        texts.clear()
    missing = [pk for pk in ids if pk is not None and pk not in texts]
    if not missing:
        return
    fields = _text_fields(model)
    if fields:
        make = _text_maker(model)
        for pk, *values in _text_records(model).filter(pk__any_of=missing).values_list("pk", *fields):
            texts[pk] = make(pk, values)
        return
    for record in _text_records(model).filter(pk__any_of=missing):
        texts[record.pk] = str(record)


def _text_records(model) -> QuerySet:
    """The records of `model` as their text needs them: unordered, and only the fields their __str__
    reads when the model names them (`STR_FIELDS`), instead of every field. An Employee read whole
    cost its two moments parsed and its INSZ token read, per person of the export (issue 17)."""
    records = model._base_manager.order_by()
    fields = getattr(model, "STR_FIELDS", None)
    return records.only(*fields) if fields else records


def _text_fields(model) -> tuple | None:
    """The fields a model's text (__str__) reads, when it names them (`STR_FIELDS`) and each is a
    plain column of its own table (no relation, whose record __str__ would read): else None."""
    fields = getattr(model, "STR_FIELDS", None)
    if not fields:
        return None
    for name in fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if field.is_relation or not field.concrete or field.attname != name:
            return None
    return tuple(fields)


def _text_maker(model):
    """A function of a record's pk and the values of its `_text_fields` giving its text (str(record)).

    The record is made without `Model.__init__` or `from_db` (as unpickling does), holding only
    those values: its __str__ reads nothing else (tests/test_export_rows.py). Building 3,941 persons
    through from_db to print their names cost 50 ms of an export of as many rows (issue 17)."""
    fields = _text_fields(model)
    pk_name = model._meta.pk.attname
    new = model.__new__

    def make(pk, values) -> str:
        record = new(model)
        attributes = record.__dict__
        attributes.update(zip(fields, values))
        attributes[pk_name] = pk
        attributes["_state"] = ModelState()
        return str(record)

    return make


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


# The converters that give a `values_list` value as it is (a related record's text is one already).
_AS_THEY_ARE = frozenset({_as_it_is, _record_text})


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


# The first characters of a text that guard_cell may change (a formula, or apostrophes before one).
_GUARD_FIRST = frozenset("'" + "".join(FORMULA_PREFIXES))


def _csv_cell_writer():
    """`csv_cell` for the many cells of one export: each distinct date is written once."""
    dates = {}

    def cell(value):
        kind = type(value)
        if kind is str:
            # Most texts start with none of the characters guard_cell looks at: no lstrip() copy of them.
            if value[:1] in _GUARD_FIRST and value.lstrip("'").startswith(FORMULA_PREFIXES):
                return "'" + value
            return value
        if value is None:
            return ""
        if kind is int:  # a number as it is (csv_cell)
            return value
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
