"""Date arithmetic in the database, for SQLite and PostgreSQL: the measures and the work lists share it."""

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


class AddDays(Func):
    """A date plus a number of days given by an expression (a column, or a column times a number)."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"date({date_sql}, CAST(({days_sql}) AS INTEGER) || ' days')", [*date_params, *days_params]

    def as_postgresql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql}) + CAST(({days_sql}) AS integer))", [*date_params, *days_params]

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other databases
        return self.as_postgresql(compiler, connection, **extra)
