"""The organisation search's trigram index on the compared text: upper case, accents dropped (issue 17).

The lists' free-text search and the organisation filters (common/filters.py) compare
`doorstroom_search_text(name)` (common 0002) with the searched word; the KBO number stays
UPPER(kbo_number) LIKE, digits only. This index replaces the one of 0003 on UPPER(name) and
UPPER(kbo_number), which nothing reads for the name any more.

SQLite has no pg_trgm: there the migration does nothing.
"""

from django.db import migrations

OLD = "partners_organisation_search_trgm"
INDEX = "partners_organisation_search_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partners_organisation USING gin "
        "(doorstroom_search_text(name::text) gin_trgm_ops, UPPER(kbo_number::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD} ON partners_organisation USING gin "
        "(UPPER(name::text) gin_trgm_ops, UPPER(kbo_number::text) gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_call_durations"), ("common", "0002_search_text_function")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
