"""How the paginator reads a searched page: sort the matches, or walk the order (issue 17).

On PostgreSQL only (the planner's estimate and pg_class decide). The thresholds are lowered so that
a small data set takes the paths a million persons take; the planner's estimate is replaced by the
true number of matches, so that the decision tested does not hang on the planner's guess. Whatever
the path, the page shows the same rows in the same order and the same exact count as the plain
sorted queryset.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.tables import EstimatedCountPaginator
from employees.models import Employee
from evaluations.models import Evaluation
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate and pg_class"),
]


@pytest.fixture
def thresholds(monkeypatch):
    """Few matches up to 10; walks of up to all matches; the planner's estimate is the number given."""
    monkeypatch.setattr(EstimatedCountPaginator, "SORT_MATCHES_UP_TO", 10)
    monkeypatch.setattr(EstimatedCountPaginator, "WALK_SHARE", 1)

    def planned(matches):
        monkeypatch.setattr(EstimatedCountPaginator, "planned_matches", lambda self, queryset: matches)

    return planned


def _analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE employees_employee")


def _search(client, text, page=1):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("employees:list"), {"q": text, "page": page})
    table = response.context["table"]
    ids = [row.record.pk for row in table.page.object_list]
    person_queries = [q["sql"] for q in context.captured_queries if '"employees_employee"' in q["sql"]]
    return ids, table.paginator.count, person_queries


def _expected(text, page):
    """The page and count of the persons whose name holds the text, sorted in Python."""
    persons = Employee.objects.values_list("last_name", "first_name", "pk")
    ids = [pk for last, first, pk in sorted(persons) if text in f"{first} {last}".casefold()]
    return ids[(page - 1) * 25 : page * 25], len(ids)


def _kinds(queries):
    """What each query of the page was: the walk, the one query with its count, the exact count."""
    kinds = []
    for sql in queries:
        if "walk_hit" in sql:
            kinds.append("walk")
        elif "OVER ()" in sql:
            kinds.append("sort with count")
        elif sql.startswith("SELECT COUNT(*)"):
            kinds.append("count")
    return kinds


@pytest.fixture
def spread(db):
    """100 persons, 80 named Ann: the matches of 'ann' lie all over the order by name."""
    for n in range(100):
        factories.EmployeeFactory(first_name="Bob" if n % 5 == 4 else "Ann", last_name=f"Achternaam {n:03d}")
    _analyze()


def test_a_search_matching_all_over_the_order_walks_it_then_counts(client, administrator, spread, thresholds):
    thresholds(80)
    client.force_login(administrator)
    for page in (1, 2):
        ids, count, queries = _search(client, "ann", page)
        assert (ids, count) == _expected("ann", page)
        assert _kinds(queries) == ["walk", "count"]
        walk = next(sql for sql in queries if "walk_hit" in sql)
        assert "ORDER BY" in walk and "COALESCE" not in walk  # the order of the name index, no sort of the matches


def test_a_page_beyond_the_bound_of_the_walk_sorts_the_matches(client, administrator, spread, thresholds):
    thresholds(80)
    client.force_login(administrator)
    ids, count, queries = _search(client, "ann", 4)  # 100 rows to walk for page 4: more than the 80 matches
    assert (ids, count) == _expected("ann", 4)
    assert _kinds(queries) == ["sort with count"]


def test_a_search_of_few_matches_sorts_them_in_one_query_with_the_count(client, administrator, spread, thresholds):
    factories.EmployeeFactory(first_name="Zoë", last_name="Claes")
    thresholds(1)
    client.force_login(administrator)
    ids, count, queries = _search(client, "claes")
    assert (ids, count) == _expected("claes", 1) and count == 1
    assert _kinds(queries) == ["sort with count"]


def test_matches_together_late_in_the_order_stop_the_walk_at_its_bound(client, administrator, thresholds):
    """Like 'aes' among a million persons: the matches are mostly whole surnames, far from the start of the order.

    The walk finds the 5 early ones within its bound (35 rows), not 25: not a page, so the matches are sorted."""
    for n in range(5):
        factories.EmployeeFactory(first_name="Ann", last_name=f"Aa {n}")
    for n in range(100):
        factories.EmployeeFactory(first_name="Bob", last_name=f"Achternaam {n:03d}")
    for n in range(30):
        factories.EmployeeFactory(first_name="Ann", last_name=f"Zwart {n:02d}")
    _analyze()
    thresholds(35)
    client.force_login(administrator)
    ids, count, queries = _search(client, "ann")
    assert (ids, count) == _expected("ann", 1) and count == 35
    assert _kinds(queries) == ["walk", "sort with count"]


def _evaluations_searched(client, administrator, thresholds, text):
    """The kinds of the evaluation list's queries searched for `text` among 30 evaluations of persons named Ann."""
    for n in range(30):
        factories.EvaluationFactory(employee__first_name="Ann", employee__last_name=f"Achternaam {n:02d}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluations_evaluation")
    thresholds(30)
    client.force_login(administrator)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("evaluations:list"), {"q": text})
    assert response.context["table"].paginator.count == 30
    return [q["sql"] for q in context.captured_queries if '"evaluations_evaluation"' in q["sql"]]


def test_a_search_through_a_subquery_is_not_walked(client, administrator, thresholds, monkeypatch):
    """The evaluations searched by a person's name through the persons (the path without the evaluation's own
    search column): testing a row means finding all matching persons first, so the one query that counts and
    sorts the matches reads them once (a walk and a count would read them twice)."""
    monkeypatch.setattr(Evaluation, "SEARCH_ROW_FIELDS", None)
    queries = _evaluations_searched(client, administrator, thresholds, "ann")
    assert any('"employees_employee"' in sql for sql in queries)
    assert "walk" not in _kinds(queries) and "sort with count" in _kinds(queries)


def test_a_search_of_the_listed_rows_own_column_is_walked(client, administrator, thresholds):
    """The evaluation's own search column (evaluations 0013): a row is tested alone, as a person in the person
    list, so that many matches are found by a walk of the order and counted apart."""
    queries = _evaluations_searched(client, administrator, thresholds, "ann")
    assert all('"evaluations_evaluation"."search_text" LIKE' in sql for sql in queries if "walk_hit" in sql)
    assert _kinds(queries) == ["walk", "count"]
