"""The session table without a write-ahead log (issue 6), on PostgreSQL only.

Every signed-in request renews its session (SESSION_SAVE_EVERY_REQUEST, the idle
timeout of docs/security.md 2.6): an UPDATE of django_session and a COMMIT that
waits for the write-ahead log to reach the disk, 3 to 10 ms of every page under
load on this machine, for a row that says when the session expires.

An UNLOGGED table writes no write-ahead log, so the commit of a request that
only renewed its session does not wait for the disk. What it costs: after a
crash of PostgreSQL the table is emptied, so everyone signs in again, and a
standby server (streaming replication) does not have the sessions, so after a
fail-over everyone signs in again. Sessions hold no casework data; an expiry
date lost is a sign-in more, never a session that lives longer.

SQLite (development, tests) has no unlogged tables: there the migration does nothing.
"""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE django_session SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE django_session SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("sessions", "0001_initial")]

    operations = [migrations.RunPython(unlogged, logged, elidable=False)]
