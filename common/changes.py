"""Which tables of the register changed: a generation number that moves with every committed change.

A report reads the whole register and costs hundreds of milliseconds at a million persons; the same
report asked again before anything it reads has changed gives the same figures. To know that exactly,
PostgreSQL keeps a note per writing transaction and table, written by a statement-level trigger on
each table of the register (`TRACKED_PREFIXES`): a row (table, transaction id) in
`doorstroom_data_change`, once per transaction and table (ON CONFLICT DO NOTHING), in the transaction
that writes. The note becomes visible when, and only when, the change itself does: it commits or
rolls back with it.

The generation of a set of tables is the number of such notes a snapshot sees (their sum, with the
weights of compacted notes) and the highest note id. PostgreSQL's snapshots only grow: a later
snapshot sees every transaction an earlier one saw, and more. So two snapshots give the same
generation exactly when they see the same committed changes to those tables; a change by a transaction
that had not committed yet when the generation was read makes a new generation once it has.

Read the generation *before* the query whose result it labels: the query's snapshot is then the same
or later, so a result is never older than its label (at most newer, which is still committed data).
A transaction that has written anything itself (`pg_current_xact_id_if_assigned()`) sees its own
uncommitted rows that no one else does: its results are not labelled at all (`None`).

Compaction: notes accumulate, one per writing transaction and table; when a set has more than
COMPACT_FROM of them, they are replaced by one note carrying their count as weight and the highest of
their ids, in one statement (the generation is unchanged for every reader). SQLite has no triggers of
this kind here: no generation.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

TABLE = "doorstroom_data_change"
TRIGGER = "doorstroom_note_change"
# The register: the tables of these apps (and their history tables), whose changes reports read.
TRACKED_PREFIXES = ("employees_", "evaluations_", "partners_", "trajectories_")
# Written on every person page and export, and read by no report (the access log, issue 5).
UNTRACKED = frozenset({"employees_accessevent"})
COMPACT_FROM = 500


def is_tracked(table: str) -> bool:
    return table.startswith(TRACKED_PREFIXES) and table not in UNTRACKED


def install_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Put the trigger on every tracked table (post_migrate: tables made by later migrations too)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=False)
        if TABLE not in tables:
            return  # common's migration that makes the table has not run (migrating backwards)
        for table in tables:
            if is_tracked(table):
                name = connection.ops.quote_name(table)
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {name} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
                )
    _watched.pop(using, None)


# Per database alias: the tables that carry the trigger, read once per process.
_watched: dict[str, frozenset] = {}


def watched_tables(using: str) -> frozenset:
    """The tables whose changes the generation sees (those with the trigger)."""
    found = _watched.get(using)
    if found is None:
        connection = connections[using]
        if connection.vendor != "postgresql":
            found = frozenset()
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                    [TRIGGER],
                )
                found = frozenset(row[0] for row in cursor.fetchall())
        if found:  # none yet (a database not migrated): asked again next time
            _watched[using] = found
    return found


def generation(using: str, tables) -> tuple[int, int, int] | None:
    """The generation of `tables` as the connection `using` sees them now, or None when it cannot say:
    another database than PostgreSQL, a table without the trigger, or a transaction that has written.

    With it, which database it is (its oid, the same on a replica): a database restored from a backup next
    to the live one numbers its notes again from the backup's, so that a generation alone could name
    another state in a cache shared by both (docs/operations.md, "Restore": clear a shared cache)."""
    tables = sorted(set(tables))
    if not tables or not watched_tables(using).issuperset(tables):
        return None
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(sum(weight), 0), coalesce(max(id), 0), count(*), "
            f"pg_current_xact_id_if_assigned() IS NOT NULL, "
            f"(SELECT oid FROM pg_database WHERE datname = current_database()) "
            f"FROM {TABLE} WHERE table_name = ANY(%s)",
            [tables],
        )
        total, highest, notes, has_written, database = cursor.fetchone()
    if has_written:
        return None
    if notes > COMPACT_FROM:
        compact(tables)
    return int(total), int(highest), int(database)


def compact(tables) -> None:
    """Replace the notes of each of `tables` by one of the same weight and the highest id, on the primary,
    one statement each: the generation stays what it was, so kept rows stay valid.

    Also inside a transaction (a report page runs in one, ATOMIC_REQUESTS): the compaction then commits
    or rolls back with it, and holds its deleted notes until then, which only another compaction waits
    for (writers add notes, they never touch old ones). That transaction has written from then on, so
    the rest of its reports read the records (`generation` gives None)."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {TABLE} WHERE table_name = %s RETURNING id, weight) "
                f"INSERT INTO {TABLE} (id, table_name, weight) "
                f"SELECT max(id), %s, sum(weight) FROM gone HAVING count(*) > 0",
                [table, table],
            )
    logger.info("Compacted the change notes of %s", ", ".join(tables))
