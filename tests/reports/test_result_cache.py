"""A report's rows kept until a table it reads changes (reports/statements.py, common/changes.py; issue 17).

These tests commit (transactional_db): the generation of a table moves with committed changes only,
and a transaction that has written keeps nothing. The other report tests run inside one transaction
that has written, so that they never read kept rows.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from common import changes, kept
from reports import statements
from tests import factories
from tests.reports.conftest import cells

D = datetime.date
AS_OF = D(2019, 11, 30)
committing = pytest.mark.django_db(transaction=True)
# Triggers and transaction ids of PostgreSQL; on another database no rows are kept (tested below).
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers and snapshots"),
    pytest.mark.usefixtures("kept_nothing"),
]


def evaluations_read(queries) -> int:
    """How many of the captured queries read the evaluations (the report's own query, not the generation)."""
    return sum('FROM "evaluations_evaluation"' in q["sql"] for q in queries.captured_queries)


def by_year():
    return cells("evaluations", ["year"], as_of=AS_OF)


@committing
def test_the_same_report_again_reads_the_kept_rows_until_a_table_it_reads_changes():
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    assert by_year() == {"2019": 1}

    with CaptureQueriesContext(connection) as queries:
        assert by_year() == {"2019": 1}
    assert evaluations_read(queries) == 0  # the kept rows
    assert len(queries) == 1  # the generation only

    factories.EvaluationFactory(evaluation_date=D(2019, 5, 1))
    with CaptureQueriesContext(connection) as queries:
        assert by_year() == {"2019": 2}
    assert evaluations_read(queries) == 1


@committing
def test_a_change_to_a_table_the_report_does_not_read_keeps_its_rows():
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    assert by_year() == {"2019": 1}
    factories.CallFactory()  # partners_call: not read by the evaluations by year

    with CaptureQueriesContext(connection) as queries:
        assert by_year() == {"2019": 1}
    assert evaluations_read(queries) == 0


@committing
@pytest.mark.unrecorded_writes  # a raw UPDATE in another connection, as another process would commit
def test_a_change_committed_by_another_transaction_after_the_report_ran_is_seen_next_time():
    evaluation = factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:  # written, not committed: nobody else sees it
            cursor.execute(
                "UPDATE evaluations_evaluation SET evaluation_date = %s WHERE id = %s", [D(2018, 3, 1), evaluation.pk]
            )
        assert by_year() == {"2019": 1}  # kept, as the register stands without that change
        other.commit()
    finally:
        other.close()

    assert by_year() == {"2018": 1}


@committing
def test_a_transaction_that_has_written_reads_the_records_every_time_and_keeps_nothing():
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    assert by_year() == {"2019": 1}

    with pytest.raises(RuntimeError), transaction.atomic():
        factories.EvaluationFactory(evaluation_date=D(2019, 4, 1))
        assert by_year() == {"2019": 2}
        # A second write to the same table in the same transaction adds no note: only reading the
        # records again sees it.
        factories.EvaluationFactory(evaluation_date=D(2019, 5, 1))
        assert by_year() == {"2019": 3}
        raise RuntimeError("rolled back")

    assert by_year() == {"2019": 1}


@pytest.mark.django_db
def test_every_table_of_the_register_carries_the_trigger():
    register = {
        model._meta.db_table
        for label in ("employees", "evaluations", "partners", "trajectories")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed
    }
    watched = changes.watched_tables("default")
    assert register - changes.UNTRACKED <= watched
    assert "employees_accessevent" not in watched  # written on every person page, read by no report


@committing
def test_compacting_the_notes_keeps_the_generation_of_every_reader(monkeypatch):
    for day in (1, 2, 3, 4):
        factories.EvaluationFactory(evaluation_date=D(2019, 3, day))
    tables = ["evaluations_evaluation"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {changes.TABLE} WHERE table_name = %s", tables)
        assert cursor.fetchone()[0] >= 4
    monkeypatch.setattr(changes, "COMPACT_FROM", 2)
    before = changes.generation("default", tables)  # read, then compacted

    assert changes.generation("default", tables) == before  # kept rows stay valid
    total = before[0]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {changes.TABLE} WHERE table_name = %s", tables)
        assert cursor.fetchone()[0] == 1
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 5))
    assert changes.generation("default", tables)[0] == total + 1


@committing
def test_the_notes_are_compacted_also_by_a_report_inside_a_transaction(monkeypatch):
    """A report page runs inside a transaction (ATOMIC_REQUESTS): the notes must not grow for ever there."""
    for day in (1, 2, 3):
        factories.EvaluationFactory(evaluation_date=D(2019, 3, day))
    monkeypatch.setattr(changes, "COMPACT_FROM", 2)
    with transaction.atomic():
        total = changes.generation("default", ["evaluations_evaluation"])[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), sum(weight) FROM {changes.TABLE} WHERE table_name = %s", ["evaluations_evaluation"]
        )
        assert cursor.fetchone() == (1, total)


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        (
            'SELECT "a"."x" FROM "employees_employee" INNER JOIN "partners_organisation" ON (1=1)',
            {"employees_employee", "partners_organisation"},
        ),
        (
            'WITH first_ones AS (SELECT 1 FROM "evaluations_evaluation"), "b" AS MATERIALIZED (SELECT 2) '
            "SELECT * FROM first_ones JOIN b ON true",
            {"evaluations_evaluation"},
        ),
        ('SELECT EXTRACT(YEAR FROM U0."evaluation_date") FROM "evaluations_evaluation" U0', {"evaluations_evaluation"}),
        ('SELECT x FROM unnest(%s) AS x JOIN "evaluations_evaluation" ON true', {"unnest", "evaluations_evaluation"}),
        ("SELECT id FROM employees_employee", {"employees_employee"}),
        (
            'SELECT EXTRACT(YEAR FROM CASE WHEN x THEN "a"."d" END), EXTRACT(YEAR FROM COALESCE("a"."d", %s)) '
            'FROM "employees_employee" "a"',
            {"employees_employee"},
        ),
        ('SELECT CURRENT_DATE FROM "employees_employee"', None),
        ('SELECT now() FROM "employees_employee"', None),
    ],
)
def test_the_tables_a_statement_reads(sql, tables):
    statement = statements.Statement("default", sql, (), (), ())
    assert statement.tables() == (frozenset(tables) if tables is not None else None)


@pytest.mark.django_db
def test_a_statement_reading_a_function_or_an_unwatched_table_is_not_kept():
    assert changes.generation("default", {"evaluations_evaluation"}) is not None
    assert changes.generation("default", {"evaluations_evaluation", "unnest"}) is None
    assert changes.generation("default", {"accounts_user"}) is None


@committing
def test_the_report_page_asked_again_is_answered_from_the_kept_rows_and_after_a_change_anew(
    client, administrator, monkeypatch
):
    ran = []
    original = statements.Statement.rows_from_database
    monkeypatch.setattr(statements.Statement, "rows_from_database", lambda self: ran.append(1) or original(self))
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    client.force_login(administrator)
    url = "/rapporten/q1_ready_at_work/"

    assert client.get(url).status_code == 200
    first = len(ran)
    assert first >= 1
    assert client.get(url).status_code == 200
    assert len(ran) == first  # the page runs in a transaction (ATOMIC_REQUESTS) that has not written

    factories.EvaluationFactory(evaluation_date=D(2019, 4, 1))
    assert client.get(url).status_code == 200
    assert len(ran) > first


@committing
def test_rows_larger_than_the_bound_are_not_kept(monkeypatch):
    monkeypatch.setattr(kept, "MAX_BYTES_KEPT", 10)
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    assert by_year() == {"2019": 1}
    with CaptureQueriesContext(connection) as queries:
        assert by_year() == {"2019": 1}
    assert evaluations_read(queries) == 1


def test_a_database_without_the_triggers_gives_no_generation(monkeypatch):
    """SQLite, the embedded default, notes no changes: its reports read the records every time."""

    class SQLite:
        vendor = "sqlite"

    monkeypatch.setattr(changes, "connections", {"default": SQLite()})
    monkeypatch.setattr(changes, "_watched", {})
    assert changes.watched_tables("default") == frozenset()
    assert changes.generation("default", {"evaluations_evaluation"}) is None
