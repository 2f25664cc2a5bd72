"""A trigram index for the organisation list's free-text search (issue 6), on PostgreSQL only.

The search box ("Name or KBO number") filters with icontains on name and KBO
number: UPPER(col::text) LIKE UPPER('%term%'), which no B-tree can serve, so
every search read the whole table (a sequential scan in EXPLAIN ANALYZE).
The table stays small next to the persons (about 12,000 organisations at a
million persons, a few ms per scan), so this matters less than the persons'
index, but it costs little: GIN with pg_trgm's gin_trgm_ops on exactly the
expressions icontains writes, so that the search stays flat as it grows.

SQLite (development, tests) has no pg_trgm: there the migration does nothing.
"""

from django.db import migrations

INDEX = "partners_organisation_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partners_organisation USING gin "
        "(UPPER(name::text) gin_trgm_ops, UPPER(kbo_number::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_seed_call_432")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
