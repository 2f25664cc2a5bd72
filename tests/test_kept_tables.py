"""A part of a report's query kept as a temporary table until the tables it reads change (common/kept_tables.py).

The pathway's units (the persons advised ready, their first regular job and the facts of their spells) read
the evaluations and the employment spells only; the rest of the statement reads the referrals and
trajectories, saved all day. The figures must be those of the records at every run, kept table or not.
"""

import contextlib
import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import kept, kept_tables
from tests import factories
from tests.reports.conftest import cells
from tests.reports.test_pathway import AS_OF, _job, _ready, cohort  # noqa: F401 - the fixture

committing = pytest.mark.django_db(transaction=True)
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's temporary tables")


def test_the_closing_parenthesis_is_found_past_quoted_names_and_strings():
    sql = """WITH "a" AS (SELECT ')(' AS "x)", f(1) FROM t WHERE y = 'it''s (') SELECT 1"""
    opening = sql.index("(")
    assert sql[kept_tables._closing(sql, opening) + 1 :] == " SELECT 1"


def test_the_parameters_of_a_part_are_its_placeholders_not_a_percent_sign_written_out():
    assert kept_tables._placeholders("a = %s AND b LIKE '%%x' AND c IN (%s, %s)") == 3


@pytest.mark.parametrize(
    "sql, part, rest",
    [
        ('WITH RECURSIVE "k" AS (SELECT 1) SELECT * FROM "k"', '"k" AS (SELECT 1)', 'SELECT * FROM "k"'),
        ('WITH "k" AS (SELECT 1), "b" AS (SELECT 2) SELECT 3', '"k" AS (SELECT 1)', 'WITH "b" AS (SELECT 2) SELECT 3'),
        ('WITH "b" AS (SELECT 2), "k" AS (SELECT 1) SELECT 3', '"k" AS (SELECT 1)', 'WITH "b" AS (SELECT 2) SELECT 3'),
    ],
)
def test_a_part_leaves_the_with_list_with_its_comma_or_the_with_it_alone_needed(sql, part, rest):
    start = sql.index(part)
    assert kept_tables._without(sql, start, start + len(part) - 1) == rest


def test_a_part_is_named_with_letters_and_underscores_only():
    assert kept_tables.name("pathway_unit") == "doorstroom_kept_pathway_unit"
    with pytest.raises(ValueError):
        kept_tables.name('x"; DROP TABLE y; --')


def steps(monkeypatch=None):
    """The pathway's steps computed now (no kept rows), and the captured queries; with `monkeypatch`,
    as the statement is without a kept table (its expression computed in the query)."""
    caches[kept.CACHE_ALIAS].clear()
    with monkeypatch.context() if monkeypatch else contextlib.nullcontext() as patch:
        if patch:
            patch.setattr(kept_tables, "prepare", lambda using, sql, params: (sql, tuple(params)))
        with CaptureQueriesContext(connection) as queries:
            figures = cells("pathway", ["step"], as_of=AS_OF)
    return figures, [q["sql"] for q in queries.captured_queries]


def made(queries) -> int:
    return sum(sql.startswith("CREATE TEMPORARY TABLE") for sql in queries)


@on_postgresql
@committing
def test_the_pathway_reads_its_units_from_a_kept_table_with_the_figures_of_the_records(
    cohort,  # noqa: F811 - the fixture imported above
    kept_nothing,
    monkeypatch,
):
    computed, queries = steps(monkeypatch)
    assert made(queries) == 0
    assert computed["advised_ready"] == 6
    first, queries = steps()
    assert made(queries) == 1
    assert first == computed
    again, queries = steps()
    assert made(queries) == 0  # the same table
    assert again == computed


@on_postgresql
@committing
def test_a_saved_trajectory_keeps_the_table_a_new_ready_advice_makes_a_new_one(cohort, kept_nothing, monkeypatch):  # noqa: F811
    before, _queries = steps()

    factories.TrajectoryFactory(employee=cohort["declined"], start_date=datetime.date(2019, 7, 1))
    after_trajectory, queries = steps()
    assert made(queries) == 0
    assert after_trajectory["trajectory_started"] == before["trajectory_started"] + 1
    assert after_trajectory == steps(monkeypatch)[0]

    newcomer = factories.EmployeeFactory()
    _ready(newcomer, datetime.date(2020, 2, 1))
    _job(newcomer, datetime.date(2020, 3, 1))
    after_advice, queries = steps()
    assert made(queries) == 1
    assert after_advice["advised_ready"] == before["advised_ready"] + 1
    assert after_advice["regular_job"] == before["regular_job"] + 1
    assert after_advice == steps(monkeypatch)[0]


@on_postgresql
@pytest.mark.django_db
def test_inside_a_transaction_that_has_written_the_statement_runs_as_it_is(cohort, kept_nothing):  # noqa: F811
    figures, queries = steps()
    assert made(queries) == 0
    assert any('"doorstroom_kept_pathway_unit" AS (' in sql for sql in queries)
    assert (figures["advised_ready"], figures["trajectory_started"], figures["regular_job"]) == (6, 3, 3)


@on_postgresql
@committing
def test_a_part_that_cannot_be_made_a_table_is_computed_in_the_query(cohort, kept_nothing, monkeypatch, caplog):  # noqa: F811
    computed, _queries = steps(monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = on")  # as on a replica: no table can be made
    try:
        figures, queries = steps()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET default_transaction_read_only")
    assert figures == computed
    assert made(queries) == 1  # tried, then the statement ran whole
    assert any('"doorstroom_kept_pathway_unit" AS (' in sql for sql in queries)
    assert "computed in the query" in caplog.text
