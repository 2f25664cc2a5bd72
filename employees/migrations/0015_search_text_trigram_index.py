"""The person search on one column PostgreSQL keeps: both names, upper case, accents dropped (issue 17).

`search_name` is a stored generated column, `doorstroom_search_text(first_name) || ' ' ||
doorstroom_search_text(last_name)` (common 0002): the database computes it on every insert and
update (forms, imports, COPY of the synthetic data, anonymisation), so that no write path can
forget it. The Django model does not declare it (the history tables and bulk writes list the
model's own columns); the free-text search reads it through the `matches` lookup on either name
(common/search.py). A word (never a space in it) is in "FIRST LAST" exactly when it is in one of
the two names, so the results are those of searching both names.

Why a column rather than an index on the function: EXPLAIN ANALYZE at 100,000 persons, a common
surname (2,652 persons): the bitmap heap scan rechecked each row by calling the SQL function
twice, 69 ms of a 74 ms scan (7 µs a call, against 2 for upper()); the column is rechecked with a
plain LIKE. The GIN trigram index on it replaces the one of 0004/0008 on UPPER(first_name) and
UPPER(last_name), which nothing reads any more (the admin searches with `matches` too).

SQLite has no pg_trgm and no such column: there the migration does nothing, and `matches`
compares the names through the function common.search registers.
"""

from django.db import migrations

OLD = "employees_employee_search_trgm"
INDEX = "employees_employee_search_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD}")
    schema_editor.execute(
        "ALTER TABLE employees_employee ADD COLUMN IF NOT EXISTS search_name text GENERATED ALWAYS AS "
        "(doorstroom_search_text(first_name::text) || ' ' || doorstroom_search_text(last_name::text)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON employees_employee USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("ALTER TABLE employees_employee DROP COLUMN IF EXISTS search_name")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD} ON employees_employee USING gin "
        "(UPPER(first_name::text) gin_trgm_ops, UPPER(last_name::text) gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("employees", "0014_source_id"), ("common", "0002_search_text_function")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
