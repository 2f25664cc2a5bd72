"""The notes of which tables changed, read to keep a report's result until they change (issue 17).

The table, its unique index and the trigger function; the trigger itself is put on every table of the
register after each migrate (common.apps, `common.changes.install_triggers`), so that tables added by
later migrations carry it too. PostgreSQL only: SQLite keeps no results.
"""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS doorstroom_data_change (
    id bigserial PRIMARY KEY,
    table_name text NOT NULL,
    xact xid8,
    weight bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS doorstroom_data_change_once
    ON doorstroom_data_change (table_name, xact) INCLUDE (weight);
CREATE OR REPLACE FUNCTION doorstroom_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO doorstroom_data_change (table_name, xact) VALUES (TG_TABLE_NAME, pg_current_xact_id())
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS doorstroom_note_change() CASCADE;
DROP TABLE IF EXISTS doorstroom_data_change;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("common", "0002_search_text_function")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
