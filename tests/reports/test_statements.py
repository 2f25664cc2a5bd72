"""Kept statements (reports/statements.py): compiled once per report and dates, figures always from the records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import statements
from tests import factories
from tests.reports.conftest import cells

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled(monkeypatch):
    """Counts the statements compiled (not taken from those kept)."""
    statements.forget()
    made = []
    original = statements.Statement.of.__func__

    def of(cls, queryset):
        made.append(queryset)
        return original(cls, queryset)

    monkeypatch.setattr(statements.Statement, "of", classmethod(of))
    yield made
    statements.forget()


def test_a_report_run_again_uses_its_kept_statement_and_counts_the_records_as_they_are_now(compiled):
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    assert cells("evaluations", ["year"], as_of=D(2019, 11, 30)) == {"2019": 1}
    assert len(compiled) == 1

    factories.EvaluationFactory(evaluation_date=D(2019, 5, 1))
    with CaptureQueriesContext(connection) as queries:
        assert cells("evaluations", ["year"], as_of=D(2019, 11, 30)) == {"2019": 2}
    assert len(compiled) == 1  # not compiled again
    # and run as before: one query (after the generation of its tables, which says that this
    # transaction has written, so that kept rows cannot be used: tests/reports/test_result_cache.py)
    generation = [True] if connection.vendor == "postgresql" else []  # SQLite keeps no rows: no generation
    assert [q["sql"].startswith("SELECT coalesce(sum(weight)") for q in queries.captured_queries] == [
        *generation,
        False,
    ]


def test_other_dates_filters_or_dimensions_make_another_statement(compiled):
    factories.EvaluationFactory(evaluation_date=D(2019, 3, 1), registered_on=D(2019, 12, 1))
    factories.EvaluationFactory(evaluation_date=D(2018, 3, 1), registered_on=D(2018, 3, 1))

    assert cells("evaluations", ["year"], as_of=D(2019, 11, 30)) == {"2018": 1, "2019": 1}
    assert cells("evaluations", ["year"], as_of=D(2018, 11, 30)) == {"2018": 1}
    assert cells("evaluations", ["year"], as_of=D(2019, 11, 30), filters={"year": ["2019"]}) == {"2019": 1}
    assert sum(cells("evaluations", ["province"], as_of=D(2019, 11, 30)).values()) == 2
    # The register of 30 November 2019 does not hold the evaluation registered in December.
    assert cells("evaluations", ["year"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30)) == {"2018": 1}
    assert len(compiled) == 5


def test_a_figure_without_dimensions_is_one_row_even_over_no_records(compiled):
    empty = cells("money", ["source"], as_of=D(2019, 11, 30))
    assert empty["total"] is None and empty["trajectories"] == 0  # as aggregate() gives: no sum, a count of 0
    factories.GrantFactory(esf_amount="1000.50", flemish_amount="250.25")

    money = cells("money", ["source"], as_of=D(2019, 11, 30))

    assert money["total"] == money["esf"] + money["flemish_cofinancing"] and str(money["total"]) == "1250.75"
    assert len(compiled) == 2  # the grants and the trajectories, each compiled once


def test_only_the_most_recently_used_statements_are_kept(compiled, monkeypatch):
    monkeypatch.setattr(statements, "MAX_KEPT", 2)
    for year in (2017, 2018, 2019):
        cells("evaluations", ["year"], as_of=D(year, 11, 30))
    cells("evaluations", ["year"], as_of=D(2019, 11, 30))  # kept
    cells("evaluations", ["year"], as_of=D(2017, 11, 30))  # dropped as the oldest: compiled again
    assert len(compiled) == 4
    assert len(statements._kept) == 2
