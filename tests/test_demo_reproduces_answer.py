"""Through the report engine: `export_report` on the demo data gives the minister's answer.

For every table of the reference file, `export_report <id> --as-of D --known-at D --format json`
at the table's demo_as_of D must equal the published figures cell for cell, except the cells
demo/answer.py lists in PUBLISHED_DIFFERENCES (where the source contradicts itself).
"""

import datetime
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from demo.answer import allowed_differences
from demo.checks import compare, compute_tables, reference_tables
from demo.data import load_demo

TABLES = reference_tables()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def export(table_id, day, known_at=None):
    out = StringIO()
    call_command("export_report", table_id, as_of=day, known_at=known_at or day, format="json", stdout=out)
    return json.loads(out.getvalue())


def cells(exported) -> Counter:
    return Counter(
        {frozenset((k, str(v)) for k, v in row.items() if k != "value"): row["value"] for row in exported["rows"]}
    )


@pytest.mark.parametrize("table", TABLES, ids=[t["id"] for t in TABLES])
def test_export_report_reproduces_the_published_table(demo, db, table):
    exported = export(table["id"], table["demo_as_of"])
    assert exported["as_of"] == table["demo_as_of"]
    assert exported["dimensions"] == table["dimensions"]
    allowed = allowed_differences()
    unexpected = [
        (labels, published, value)
        for labels, published, value in compare(table, cells(exported))
        if allowed.get((table["id"], frozenset(labels.items()))) != (str(published), str(value))
    ]
    assert unexpected == []


def test_export_report_shows_the_listed_differences_and_no_others(demo, db):
    found = {}
    for table in TABLES:
        for labels, published, value in compare(table, cells(export(table["id"], table["demo_as_of"]))):
            found[(table["id"], frozenset(labels.items()))] = (str(published), str(value))
    assert found == allowed_differences()


def test_export_report_with_todays_knowledge_is_not_the_answer(demo, db):
    """Without known_at the late registrations count: the answer's figures are not today's."""
    out = StringIO()
    call_command("export_report", "q2a_trajectories_by_partner_year", as_of="2019-11-30", format="json", stdout=out)
    today = sum(row["value"] for row in json.loads(out.getvalue())["rows"])
    as_answered = sum(row["value"] for row in export("q2a_trajectories_by_partner_year", "2019-11-30")["rows"])
    assert (as_answered, today) == (82, 83)


def _nonzero(counter):
    return {key: str(value) for key, value in counter.items() if value not in (0, "0.00")}


@pytest.mark.parametrize(
    ("as_of", "known_at", "prefixes"),
    [
        # Today's knowledge of November 2019: a late registration and an end recorded late count.
        ("2019-11-30", None, ("q2",)),
        # After the answer, before the second call (2023) whose trajectories the pack leaves out.
        ("2022-12-31", None, ("q2",)),
        # Before the 2016-2017 screenings of the archive were registered (March 2021).
        ("2020-10-31", "2021-01-31", ("q1", "q3")),
        ("2019-11-30", "2020-10-31", ("q1", "q3")),
        # Today's knowledge: the pack's q1 and q3 count every year, as docs/measures.md (and the independent count) do.
        ("2020-10-31", None, ("q1", "q3")),
        ("2019-11-30", None, ("q1", "q3")),
    ],
)
def test_engine_and_the_independent_count_agree_beyond_the_answers_dates(demo, db, as_of, known_at, prefixes):
    known_at = known_at or datetime.date.today().isoformat()
    mine = compute_tables(datetime.date.fromisoformat(as_of), datetime.date.fromisoformat(known_at))
    for table in (t for t in TABLES if t["id"].startswith(prefixes)):
        assert _nonzero(cells(export(table["id"], as_of, known_at))) == _nonzero(mine[table["id"]]), table["id"]


YEAR_TABLES = [t for t in TABLES if t["id"].startswith(("q1", "q3")) and "year" in t["dimensions"]]


def _years(exported) -> list[str]:
    seen = []
    for row in exported["rows"]:
        if row["year"] not in seen:
            seen.append(row["year"])
    return seen


@pytest.mark.parametrize("table", YEAR_TABLES, ids=[t["id"] for t in YEAR_TABLES])
def test_at_the_answers_date_the_year_columns_are_the_reference_tables(demo, db, table):
    reference = []
    for row in table["rows"]:
        if row["year"] not in reference:
            reference.append(row["year"])
    assert _years(export(table["id"], table["demo_as_of"])) == reference


@pytest.mark.parametrize("table", YEAR_TABLES, ids=[t["id"] for t in YEAR_TABLES])
def test_with_todays_knowledge_the_years_before_2018_are_extra_columns(demo, db, table):
    out = StringIO()
    call_command("export_report", table["id"], as_of=table["demo_as_of"], format="json", stdout=out)
    years = _years(json.loads(out.getvalue()))
    reference = _years(export(table["id"], table["demo_as_of"]))
    earlier = [year for year in years if year not in reference]
    assert earlier and all(year < "2018" for year in earlier)
    # The earlier years take their place in time, before the reference's, with `onbekend` last.
    assert years == earlier + reference
    assert years[-1] == "onbekend"


def test_the_pack_counts_q1_and_q3_from_any_year_and_nothing_else_changed(db):
    from reports.models import SavedReport

    unlimited = set(SavedReport.objects.filter(in_pack=True, period_from__isnull=True).values_list("slug", flat=True))
    assert {t["id"] for t in TABLES} <= unlimited
    # The question-4 reports keep their own period (from 2014, as the question asks).
    assert SavedReport.objects.get(slug="q4_lasting_work_by_year").period_from == datetime.date(2014, 1, 1)
