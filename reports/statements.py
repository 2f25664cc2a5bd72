"""The SQL of a report's queries, compiled once and run again with the same parameters.

Building a report's queryset (the measure's units, the dimension expressions, the
filters, the aggregates) and compiling it to SQL is Python work that does not
depend on the records: the same report at the same dates gives the same SQL
every time. For a small report that work cost more than running its query,
and the targets of issue 6 allow a report 1.5 times its hand-written SQL
(figures: docs/benchmarks.md).

So a report's query is kept by what determines it: the measure and its group
of statuses, the dimensions, the filters, the context (both dates, the age
bands, the period), the day (a register date of today reads the live tables, of
an earlier day the history) and the language. A kept statement is run again,
and its rows converted by the same converters Django would apply; the figures
always come from the records as they are when the statement runs. This is what
a prepared statement does, one level up (Django's own compiled templates and
psycopg's prepared statements are kept the same way).

The statements are kept per process, at most MAX_KEPT, least recently used
first out; each is a few kilobytes of SQL text and no records.

A statement's rows are also kept, in the cache "reports" (settings.CACHES), until a table the
statement reads changes (common/kept.py): labelled by the SQL, its parameters and the generation of
those tables (common/changes.py), which moves with every committed change to any of them. The same report asked
again before anything it reads has changed is then answered from the kept rows, with the figures the
records give at that moment (issue 17: at a million persons a report of the pack costs 0.2-0.7 s of
the server's two processors). Rows are not kept on SQLite, for a statement reading a table whose
changes are not noted, for SQL that asks the database for the time, or inside a transaction that
has written (it sees rows no one else does).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils import timezone, translation

from common import kept, kept_tables

MAX_KEPT = 512


@dataclass(frozen=True)
class Statement:
    """One compiled grouped query: its SQL, parameters, column names and Django's converters per column."""

    using: str
    sql: str
    params: tuple
    names: tuple
    converters: tuple  # (position, (converter functions, expression)) as SQLCompiler.get_converters gives

    @classmethod
    def of(cls, queryset) -> Statement | None:
        """The statement of a `values(...).annotate(...)` queryset, or None when Django finds the
        result empty without asking the database (the queryset is then run as it is)."""
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        # As django.db.models.query.ValuesIterable names the columns.
        names = (
            tuple(query.selected)
            if query.selected
            else (*query.extra_select, *query.values_select, *query.annotation_select)
        )
        fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        if len(fields) != len(names):  # not a plain values() query: not kept
            return None
        converters = tuple(compiler.get_converters(fields).items())
        return cls(queryset.db, sql, tuple(params), names, converters)

    def tables(self) -> frozenset | None:
        """What the SQL reads after FROM and JOIN (tables, or names of functions, which have no notes of
        their changes, so that its rows are not kept), or None for SQL that reads the clock."""
        return kept.tables_read(self.sql)

    def rows(self) -> list[dict]:
        """The rows: kept ones while nothing the statement reads has changed, else from the database."""
        return kept.result(self.using, self.sql, self.params, self.rows_from_database, kind="statement")

    def rows_from_database(self) -> list[dict]:
        connection = connections[self.using]
        sql, params = kept_tables.prepare(self.using, self.sql, self.params)  # parts kept as tables
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if self.converters:
            converted = []
            for row in fetched:
                row = list(row)
                for position, (functions, expression) in self.converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
                converted.append(row)
            fetched = converted
        return [dict(zip(self.names, row)) for row in fetched]


_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def key_of(*parts) -> tuple:
    """The key of a statement: the given parts, the day and the active language."""
    return (*parts, timezone.localdate(), translation.get_language())


def rows(key: tuple, build) -> list[dict]:
    """The rows of the grouped query that `build()` makes, its SQL compiled once per `key`."""
    with _lock:
        statement = _kept.get(key)
        if statement is not None:
            _kept.move_to_end(key)
    if statement is None:
        queryset = build()
        statement = Statement.of(queryset)
        if statement is None:
            return list(queryset)
        with _lock:
            _kept[key] = statement
            while len(_kept) > MAX_KEPT:
                _kept.popitem(last=False)
    return statement.rows()


def forget() -> None:
    """Drop every kept statement (after a migration or a change of the measures' code in a test)."""
    with _lock:
        _kept.clear()
