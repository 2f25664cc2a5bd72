"""The demo data set reproduces the minister's answer, counted by the letter of docs/measures.md.

These tests count with plain ORM reads (demo/checks.py), independently of the
report engine; tests/test_demo_reproduces_answer.py does the same through
`export_report`.
"""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from demo import answer
from demo.accounts import DEMO_PARTNER, create_demo_accounts
from demo.answer import allowed_differences
from demo.checks import compare, compute_tables, reference_tables
from demo.data import demo_is_loaded, load_demo
from employees.models import Employee, Employment
from evaluations.models import Evaluation
from evaluations.services import partners_for_referral
from partners.models import Grant, Organisation
from tests.reports.conftest import cells as measure_cells
from trajectories.models import Trajectory

TABLES = reference_tables()
D1, D2 = answer.Q2_Q3_DATE, answer.Q1_DATE


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = load_demo()
        tables = {D1: compute_tables(D1), D2: compute_tables(D2)}
        yield counts, tables
        transaction.set_rollback(True)


def _differences(table, tables):
    return compare(table, tables[datetime.date.fromisoformat(table["demo_as_of"])][table["id"]])


@pytest.mark.parametrize("table", TABLES, ids=[t["id"] for t in TABLES])
def test_demo_table_equals_the_published_one_but_for_the_listed_cells(demo, db, table):
    allowed = allowed_differences()
    differences = _differences(table, demo[1])
    unexpected = [
        (cells, published, value)
        for cells, published, value in differences
        if allowed.get((table["id"], frozenset(cells.items()))) != (str(published), str(value))
    ]
    assert unexpected == []


def test_every_listed_difference_is_real(demo, db):
    """demo/answer.py lists exactly the cells that differ, with the values found."""
    found = {}
    for table in TABLES:
        for cells, published, value in _differences(table, demo[1]):
            found[(table["id"], frozenset(cells.items()))] = (str(published), str(value))
    assert found == allowed_differences()


def test_the_demo_data_doc_describes_every_listed_difference():
    """The list lives in demo/answer.py; docs/demo-data.md must still name each cell with both values."""
    doc = (Path(settings.BASE_DIR) / "docs" / "demo-data.md").read_text(encoding="utf-8")
    for difference in answer.PUBLISHED_DIFFERENCES:
        labels = ", ".join(f"{dimension}={label}" for dimension, label in difference.cells)
        row = f"| `{difference.table_id}` | `{labels}` | {difference.published} | {difference.demo} |"
        assert row in doc, row


def test_a_wrong_figure_would_be_caught(demo, db):
    table = next(t for t in TABLES if t["id"] == "q2a_trajectories_by_partner_year")
    tampered = dict(
        table,
        rows=[
            dict(r, value=r["value"] + 1) if r["partner"] == "Jomi" and r["year"] == "2018" else r
            for r in table["rows"]
        ],
    )
    assert _differences(tampered, demo[1]) == [({"partner": "Jomi", "year": "2018"}, 2, 1)]


def test_todays_knowledge_of_november_2019_differs_from_the_answer(demo, db):
    """Registered and changed later: a trajectory started in November 2019, an end recorded in December."""
    today = compute_tables(D1, datetime.date.today())
    assert sum(today["q2a_trajectories_by_partner_year"].values()) == 83
    assert sum(demo[1][D1]["q2a_trajectories_by_partner_year"].values()) == 82
    assert today["q2c_ended"][frozenset({("status", "ended")})] == 31
    # Evaluations of 2018 registered after November 2019 (six of them advised ready) and the archive of 2016-2017.
    q3_years = {dict(k)["year"] for k, v in today["q3_evaluations_by_province_year"].items() if v}
    assert {"2016", "2017"} <= q3_years
    assert sum(v for k, v in today["q3_evaluations_by_province_year"].items() if dict(k)["year"] == "2018") > 16


def test_question_1_counts_the_late_registrations_of_2018(demo, db):
    at_q1 = demo[1][D2]["q1_ready_by_instrument_province_year"]
    ready_2018 = sum(v for k, v in at_q1.items() if dict(k)["year"] == "2018")
    at_q3 = compute_tables(D2, D1)["q1_ready_by_instrument_province_year"]
    known_in_2019 = sum(v for k, v in at_q3.items() if dict(k)["year"] == "2018")
    assert (ready_2018, known_in_2019) == (21, 15)


def test_demo_records_are_plausible(demo, db):
    counts = demo[0]
    assert counts["employees"] > 500 and counts["trajectories"] > 200
    assert Employee.objects.filter(birth_date__isnull=True).exists()  # 'onbekend' ages after the answer
    assert not Employee.objects.filter(insz_digest__isnull=True).exists()
    assert Employment.objects.filter(instrument__isnull=True, with_support_package=True).exists()
    assert Employment.objects.filter(instrument__code="individueel-maatwerk").exists()
    assert Evaluation.objects.filter(evaluation_date__year=2025).exists()
    assert Trajectory.objects.filter(start_date__year=2024, end_date__isnull=False).exists()
    assert Grant.objects.filter(spent_amount__isnull=False).exists()
    assert not Grant.history.filter(spent_amount__isnull=False, history_date__date__lte=D1).exists()
    for employee in Employee.objects.all()[:50]:
        employee.full_clean()


def test_every_person_advised_ready_was_in_a_social_economy_job_at_the_advice(demo, db):
    for ev in Evaluation.objects.filter(advice__code="ready", evaluation_date__isnull=False).select_related("employee"):
        assert (
            Employment.objects.filter(employee=ev.employee, employer=ev.employer, instrument__isnull=False)
            .covering(ev.evaluation_date)
            .exists()
        ), ev


def test_the_demo_referrals_have_their_answers_and_partners_to_refer_to_today(demo, db):
    """The referrals measure finds days to answer on the demo, and an evaluator finds partners to refer to."""
    status = measure_cells("referrals", ["status"], as_of=datetime.date(2025, 12, 31))
    assert status["sent"] == status["accepted"] + status["declined"] + status["withdrawn"] + status["open"]
    assert status["accepted"] > 100 and status["median_days_to_answer"] is not None
    assert partners_for_referral(on=datetime.date.today()).exists()


def test_demo_partner_account_works_for_a_partner_with_trajectories(demo, db):
    create_demo_accounts()
    partner = User.objects.get(username="partner").organisation
    assert partner.name == DEMO_PARTNER
    assert Trajectory.objects.filter(partner=partner).count() >= 19
    assert Organisation.objects.filter(name=DEMO_PARTNER).count() == 1


def test_loaddemo_does_not_load_twice(demo, db):
    assert demo_is_loaded()
    before = Employee.objects.count()
    out = StringIO()
    call_command("loaddemo", stdout=out)
    assert "al geladen" in out.getvalue()
    assert Employee.objects.count() == before
