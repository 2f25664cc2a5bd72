"""The function the free-text search compares with (issue 17): upper case, accents dropped.

`doorstroom_search_text(text)` is `upper(unaccent(text))` (the unaccent extension that comes
with PostgreSQL). unaccent itself is STABLE (its dictionary could change), so that no index
could be built on it; this wrapper names the dictionary and is declared IMMUTABLE, the usual
way to index it. Being immutable also lets PostgreSQL compute it once for a searched word while
planning, so that `... LIKE '%' || doorstroom_search_text('word') || '%'` has a constant pattern
that a trigram index serves. Changing the unaccent rules would call for a REINDEX of the indexes
built on it (employees 0015, partners 0007).

SQLite has no such function in SQL: common.search registers the same function on every connection.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE OR REPLACE FUNCTION doorstroom_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT upper(public.unaccent('public.unaccent'::regdictionary, value)) $$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS doorstroom_search_text(text)")


class Migration(migrations.Migration):
    dependencies = [("common", "0001_unlogged_sessions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
