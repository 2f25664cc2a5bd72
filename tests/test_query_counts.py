"""The number of queries of every list page, detail page and report stays the same with 5 and with 50 records.

Also the paginator of the lists: one COUNT per page, PostgreSQL's estimate for
an unfiltered big table, an exact count otherwise (issue 6).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import changes
from common.tables import EstimatedCountPaginator
from demo.synthetic import generate
from employees.models import Employee
from evaluations.models import Referral
from reports.models import SavedReport
from tests import factories
from tests.test_lists import LISTS, _make_rows

# The query that reads the generation of a report's tables before its rows (reports/statements.py).
GENERATION = "coalesce(sum(weight), 0)"

pytestmark = pytest.mark.django_db


def _capture(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_runs_the_same_queries_with_5_and_with_50_records_on_every_page(name, client, administrator, partner):
    client.force_login(administrator)
    url = reverse(name)
    _make_rows(name, 5, partner)
    few = len(_capture(client, url))
    _make_rows(name, 45, partner)
    assert len(_capture(client, url)) == few
    assert len(_capture(client, url, {"page": 2})) == few


@pytest.mark.parametrize("name", LISTS)
def test_a_deep_page_runs_the_same_queries_as_the_first(name, client, administrator, partner):
    """Issue 6: page N reads its ids (OFFSET on the id alone) and then its rows by id, page 1 the same way."""
    client.force_login(administrator)
    url = reverse(name)
    _make_rows(name, 80, partner)
    first = _capture(client, url)
    deep = _capture(client, url, {"page": 3})
    assert len(deep) == len(first)
    assert len(_capture(client, url, {"page": 3, "sort": "-" + _first_sortable(client, url)})) == len(first)


def _first_sortable(client, url):
    return next(column.name for column in client.get(url).context["table"].columns if column.orderable)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_counts_its_rows_once(name, client, administrator, partner):
    client.force_login(administrator)
    _make_rows(name, 3, partner)
    counts = [sql for sql in _capture(client, reverse(name)) if "COUNT(" in sql.upper()]
    assert counts  # the table's own count...
    assert len(counts) == len(set(counts))  # ...run once, not once for the table and again for ListView


def _organisation_page(partner, n):
    for _ in range(n):
        factories.TrajectoryFactory(partner=partner)
        factories.EmploymentFactory(employer=partner)
    return reverse("partners:organisation_detail", args=[partner.pk])


def _evaluation_page(state, n):
    evaluation = state.setdefault("evaluation", factories.EvaluationFactory())
    for _ in range(n):
        Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=factories.PartnerFactory())
    return reverse("evaluations:detail", args=[evaluation.pk])


def _pilot_page(state, n):
    pilot = state.setdefault("pilot", factories.PilotFactory())
    for _ in range(n):
        pilot.organisations.add(factories.OrganisationFactory())
    return reverse("partners:pilot_detail", args=[pilot.pk])


def _person_page(state, n):
    employee = state.setdefault("employee", factories.EmployeeFactory())
    start = state.get("next", 0)
    for index in range(start, start + n):
        factories.EmploymentFactory(employee=employee, start_date=datetime.date(1970 + index, 1, 1))
        factories.EvaluationFactory(employee=employee)
    state["next"] = start + n
    return reverse("employees:detail", args=[employee.pk])


def _person_access_page(state, n):
    """Who looked at a person: n events by n different users of different organisations."""
    from audit.services import record_access

    employee = state.setdefault("employee", factories.EmployeeFactory())
    for _ in range(n):
        user = factories.UserFactory(organisation=factories.PartnerFactory())
        record_access(user=user, action="person_viewed", employee=employee)
    return reverse("employees:access", args=[employee.pk])


def _trajectory_pages(state, n, view):
    trajectory = state.setdefault("trajectory", factories.TrajectoryFactory(start_date=datetime.date(2015, 1, 1)))
    start = state.get("next", 0)
    for days in range(start, start + n):
        factories.InternshipFactory(
            trajectory=trajectory, start_date=trajectory.start_date + datetime.timedelta(days=days)
        )
    state["next"] = start + n
    return reverse(view, args=[trajectory.pk])


DETAILS = {
    "organisation": lambda state, n: _organisation_page(state.setdefault("partner", factories.PartnerFactory()), n),
    "evaluation": _evaluation_page,
    "pilot": _pilot_page,
    "person": _person_page,
    "who looked at a person": _person_access_page,
    "trajectory": lambda state, n: _trajectory_pages(state, n, "trajectories:detail"),
    "trajectory form": lambda state, n: _trajectory_pages(state, n, "trajectories:update"),
}


@pytest.mark.parametrize("page", DETAILS)
def test_a_detail_page_runs_the_same_queries_with_5_and_with_50_related_records(page, client, administrator):
    client.force_login(administrator)
    state = {}
    url = DETAILS[page](state, 5)
    few = len(_capture(client, url))
    assert DETAILS[page](state, 45) == url
    assert len(_capture(client, url)) == few


def test_every_report_of_the_pack_runs_the_same_queries_with_5_and_with_50_persons(client, administrator):
    client.force_login(administrator)
    pack = list(SavedReport.objects.filter(in_pack=True))
    assert len(pack) > 20
    generate(persons=5, seed=1)
    changes.watched_tables("default")  # read once per process, by whichever report comes first
    few = {r.slug: len(_capture(client, reverse("reports:run", args=[r.slug]))) for r in pack}
    generate(persons=45, seed=2)
    assert Employee.objects.count() == 50
    many = {r.slug: len(_capture(client, reverse("reports:run", args=[r.slug]))) for r in pack}
    assert many == few


def test_the_paginator_counts_exactly_a_filtered_list():
    factories.EmployeeFactory.create_batch(3, gender="f")
    factories.EmployeeFactory(gender="m")
    paginator = EstimatedCountPaginator(Employee.objects.filter(gender="f"), 25)
    assert paginator.count == 3
    assert not paginator.is_estimate


def test_the_paginator_counts_exactly_a_small_table():
    factories.EmployeeFactory.create_batch(3)
    paginator = EstimatedCountPaginator(Employee.objects.all(), 25)
    assert paginator.count == 3
    assert not paginator.is_estimate


def test_the_paginator_reads_the_estimate_of_a_big_unfiltered_table_on_postgresql(monkeypatch):
    factories.EmployeeFactory.create_batch(4)
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_FROM", 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE employees_employee")
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'employees_employee'")
            estimate = cursor.fetchone()[0]
        with CaptureQueriesContext(connection) as context:
            paginator = EstimatedCountPaginator(Employee.objects.order_by("last_name"), 25)
            assert paginator.count == estimate
        assert paginator.is_estimate
        assert not any("COUNT(" in q["sql"].upper() for q in context.captured_queries)
    else:  # SQLite keeps no estimate: always the exact count
        paginator = EstimatedCountPaginator(Employee.objects.all(), 25)
        assert paginator.count == 4
        assert not paginator.is_estimate


def test_a_list_shows_an_estimated_count_as_approximate(client, administrator, monkeypatch):
    factories.EmployeeFactory.create_batch(2)
    monkeypatch.setattr(EstimatedCountPaginator, "estimate", 120_000)
    client.force_login(administrator)
    html = client.get(reverse("employees:list")).content.decode()
    assert "≈ 120000" in html or "≈ 120.000" in html
    monkeypatch.setattr(EstimatedCountPaginator, "estimate", None)
    assert "≈" not in client.get(reverse("employees:list")).content.decode()


def test_the_pathway_page_counts_its_funnel_in_a_fixed_number_of_queries(client, administrator):
    """Issue 16: the pathway page (table and funnel) and the per-employer report, with 5 and with 50 persons."""
    client.force_login(administrator)
    pages = [reverse("reports:run", args=[slug]) for slug in ("pathway_by_cohort_year", "transitions_by_se_employer")]
    generate(persons=5, seed=1)
    few = [_capture(client, url) for url in pages]
    generate(persons=45, seed=2)
    many = [_capture(client, url) for url in pages]
    assert [len(queries) for queries in many] == [len(queries) for queries in few]
    # The pathway: the figures and the medians in one query (issue 17), beside the page's own (session,
    # user, the saved report, the generation of the tables it reads: reports/statements.py): no query per
    # person, step or cohort.
    report_queries = [sql for sql in many[0] if "evaluations_evaluation" in sql and GENERATION not in sql]
    assert len(report_queries) == 1, report_queries
    assert len(many[0]) <= 10
