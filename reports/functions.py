"""Date arithmetic the measures need, for SQLite and PostgreSQL."""

from django.db.models import DateField, Func


class AddMonths(Func):
    """A date plus a whole number of months (month-end overflow differs per database; see docs/measures.md)."""

    output_field = DateField()

    def __init__(self, expression, months: int, **extra):
        super().__init__(expression, **extra)
        self.months = int(months)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.months:+d} months')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + interval '{self.months} months')::date", params

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
