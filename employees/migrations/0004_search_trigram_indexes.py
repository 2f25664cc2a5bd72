"""Trigram indexes for the person list's free-text search (issue 6), on PostgreSQL only.

The search box ("Name or INSZ") filters with icontains on first name, last
name and INSZ, which Django writes as UPPER(col::text) LIKE UPPER('%term%').
A B-tree cannot serve a LIKE with a leading wildcard, so EXPLAIN ANALYZE
showed a sequential scan of the whole table: 360 ms at 100,000 persons for
the COUNT alone (and the same again for the page). A GIN index with
pg_trgm's gin_trgm_ops on exactly those three expressions turns it into a
BitmapOr of three index scans: 12 ms for a common surname, 1.3 ms for an
INSZ fragment. The expressions must stay identical to what icontains writes,
or the planner will not use the index.

SQLite (development, tests) has no pg_trgm: there the migration does nothing.
"""

from django.db import migrations

INDEX = "employees_employee_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON employees_employee USING gin "
        "(UPPER(first_name::text) gin_trgm_ops, UPPER(last_name::text) gin_trgm_ops, UPPER(insz::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("employees", "0003_personlookup")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
