"""The search columns of the case lists, kept by PostgreSQL triggers (issue 17, point 3).

A case list (evaluations, referrals, trajectories, internships) searches its person's names and the
names of its organisations. Each of those tables carries a `search_text` column holding exactly those
texts, each as `doorstroom_search_text` gives it (the person's as employees_employee.search_name,
"FIRST LAST"), one per line, with a GIN trigram index: the search reads one table, one index.

`search_text_sql` writes the SQL a migration runs: the column, the trigger function that computes
it from the row's references, a BEFORE INSERT trigger, a BEFORE UPDATE trigger when a reference
changes (or when the column is set to NULL: the other triggers ask for a recomputation so), and
AFTER UPDATE triggers on the referenced tables (a person's names, an organisation's name, a
trajectory's person) that set the column of the rows concerned to NULL. The texts are read when a
row is written: a person or an organisation is written before the records that point at them (the
forms, the imports, the synthetic data all do).

Filling the columns of existing rows rewrites every row of the four tables (each row's update goes to
all its indexes), then VACUUM FULL writes each table again compactly: both migrations took 6.5 s on a
copy of bench_100k and 82 s on a copy of bench_1m (371,494 evaluations, 97,411 referrals, 68,132
trajectories, 38,763 internships), load average 1.8 to 3 on two processors (`migrate` itself, with
nothing to apply, 6 s apart). The column makes the tables wider: at bench_1m the evaluations' heap
45 -> 62 MB, the trajectories' 9.9 -> 15 MB, the referrals' 11 -> 12 MB, the internships' 4.2 -> 5.9 MB,
plus the trigram indexes (31 MB for the evaluations). A rename costs an UPDATE of the renamed person's or
organisation's records (the largest employer of bench_1m: 0.65 s).

Kept here, not in the migrations, only so that the two migrations share it; what they create must
not change afterwards (a change is a new migration).
"""


def person(fk: str) -> str:
    return f"(SELECT p.search_name FROM employees_employee p WHERE p.id = NEW.{fk})"


def organisation(fk: str) -> str:
    return f"(SELECT doorstroom_search_text(o.name::text) FROM partners_organisation o WHERE o.id = NEW.{fk})"


PERSON_CHANGED = "OLD.search_name IS DISTINCT FROM NEW.search_name"
NAME_CHANGED = "doorstroom_search_text(OLD.name::text) IS DISTINCT FROM doorstroom_search_text(NEW.name::text)"


def search_text_sql(table: str, texts: list[str], references: list[str], watchers: list[tuple[str, str, str]]):
    """(create, drop) SQL of `table`'s search column.

    `texts`: SQL expressions on NEW, the texts in order; `references`: the row's columns they depend
    on; `watchers`: (watched table, condition on its OLD/NEW, the WHERE clause on `table` of the rows
    whose text it changes, with NEW the watched row).
    """
    function = f"{table}_search_text"
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in references)
    create = [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_text text",
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := concat_ws(E'\\n', {", ".join(texts)});
    RETURN NEW;
END
$$""",
        f"CREATE OR REPLACE TRIGGER {function}_insert BEFORE INSERT ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE OR REPLACE TRIGGER {function}_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW WHEN ({changed} OR NEW.search_text IS NULL) EXECUTE FUNCTION {function}()",
    ]
    drop = [f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_text"]
    for watched, condition, where in watchers:
        name = f"{table}_search_of_{watched}"
        create.append(
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {table} SET search_text = NULL WHERE {where};
    RETURN NULL;
END
$$"""
        )
        create.append(
            f"CREATE OR REPLACE TRIGGER {name} AFTER UPDATE ON {watched} "
            f"FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION {name}()"
        )
        drop.insert(0, f"DROP FUNCTION IF EXISTS {name}() CASCADE")
    drop.insert(0, f"DROP FUNCTION IF EXISTS {function}() CASCADE")
    return create, drop


BATCH = 50_000


def install(schema_editor, tables: dict[str, tuple[list[str], list[str]]]) -> None:
    """Create each table's column and triggers, fill the column in batches of ids (one transaction each:
    the migration is not atomic), then index and analyse it. PostgreSQL only."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (create, _drop) in tables.items():
        for statement in create:
            schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT min(id), max(id) FROM {table}")
            low, high = cursor.fetchone()
            for start in range(low or 0, (high or -1) + 1, BATCH):
                # NULL asks the BEFORE UPDATE trigger to compute the text.
                cursor.execute(
                    f"UPDATE {table} SET search_text = NULL WHERE id >= %s AND id < %s", [start, start + BATCH]
                )
    # Every row was written anew, the old versions left behind: the table would stay twice its size, which
    # every report that reads it whole would pay for. VACUUM FULL writes it again compactly, with its indexes
    # (an exclusive lock for that time: 12 s for the evaluations of bench_1m), and ANALYZE gives the planner
    # the column's statistics. VACUUM runs outside a transaction only: inside one (a migrate in atomic())
    # the statistics alone, the rest left to autovacuum.
    vacuum = "ANALYZE" if schema_editor.connection.in_atomic_block else "VACUUM (FULL, ANALYZE)"
    for table in tables:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_text_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"{vacuum} {table}")


def uninstall(schema_editor, tables: dict[str, tuple[list[str], list[str]]]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (_create, drop) in tables.items():
        for statement in drop:
            schema_editor.execute(statement)
