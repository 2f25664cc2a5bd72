"""Date arithmetic and the median the measures need, for SQLite and PostgreSQL."""

import statistics

from django.db.models import Aggregate, DateField, FloatField, Func, IntegerField

from common.functions import AddMonths as AddMonths  # shared with the work lists (trajectories)


class DaysBetween(Func):
    """The number of days from the second date to the first (negative when it lies after it)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        later, earlier = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({later[0]}) - julianday({earlier[0]}) AS INTEGER)", [*later[1], *earlier[1]]

    def as_postgresql(self, compiler, connection, **extra):
        later, earlier = (compiler.compile(e) for e in self.source_expressions)
        return f"(({later[0]})::date - ({earlier[0]})::date)", [*later[1], *earlier[1]]

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other databases
        return self.as_postgresql(compiler, connection, **extra)


class QuarterStart(Func):
    """The first day of the calendar quarter of a date."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"date({sql}, 'start of month', '-' || ((CAST(strftime('%%m', {sql}) AS INTEGER) - 1) %% 3) || ' months')",
            params * 2,
        )

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(date_trunc('quarter', {sql}))::date", params

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other databases
        return self.as_postgresql(compiler, connection, **extra)


class Median(Aggregate):
    """The median of a number over the rows of a group (the mean of the two middle values when even).

    PostgreSQL: its ordered-set aggregate `percentile_cont(0.5)`. SQLite has none: the aggregate
    `doorstroom_median`, registered on each new connection (`register_sqlite_functions`)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    output_field = FloatField()
    # Aggregate.as_sql wraps `template` in its FILTER clause itself, so the template is set on the
    # expression rather than passed as an argument.
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        plain = self.copy()
        plain.template = "%(function)s(%(expressions)s)"
        return super(Median, plain).as_sql(compiler, connection, function="doorstroom_median", **extra)


class _SQLiteMedian:
    """The median as an SQLite aggregate: the values of the group kept, sorted at the end."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_functions(sender, connection, **kwargs):
    """Give each new SQLite connection the functions the measures use (connected in ReportsConfig.ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("doorstroom_median", 1, _SQLiteMedian)


class AddDays(Func):
    """A date plus a whole number of days."""

    output_field = DateField()

    def __init__(self, expression, days: int, **extra):
        super().__init__(expression, **extra)
        self.days = int(days)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.days:+d} days')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + {self.days})::date", params

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other databases
        return self.as_postgresql(compiler, connection, **extra)
