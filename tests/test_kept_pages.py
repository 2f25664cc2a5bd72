"""A list's page kept until a table it reads changes (common/tables.py, `kept_page_ids`; common/kept.py).

Twenty caseworkers open the same lists, filters and searches; at a million persons finding the page of a
common surname or a filter reads all its matches (docs/benchmarks.md, "Seventh pass"). A page asked again
before anything it reads has changed is taken from the kept ids and count; every committed change, and
every user's own scope, must still show at once.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

committing = pytest.mark.django_db(transaction=True)
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers and snapshots"),
    pytest.mark.usefixtures("kept_nothing"),
]


def page(client, url):
    """(the page's HTML, how many queries looked for the page's ids: the plan's estimate or the matches)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    searched = sum(q["sql"].startswith("EXPLAIN") or "OVER ()" in q["sql"] for q in queries.captured_queries)
    return response.content.decode(), searched


def shown(html) -> list[str]:
    """The persons' names in the list's rows, in order."""
    rows = re.findall(r'<a href="/personen/\d+/">([^<]+)</a>\s*</td>\s*<td[^>]*>([^<]*)</td>', html)
    return [f"{last}, {first.strip()}" for last, first in rows]


@committing
def test_a_searched_page_is_kept_until_a_record_it_reads_changes(client, evaluator):
    factories.EmployeeFactory(last_name="Peeters", first_name="Anna")
    factories.EmployeeFactory(last_name="Janssens", first_name="Bert")
    client.force_login(evaluator)

    first, searched = page(client, "/personen/?q=Peeters")
    assert searched == 2  # the estimate, then the matches with their count
    again, searched = page(client, "/personen/?q=Peeters")
    assert searched == 0
    assert shown(again) == shown(first) == ["Peeters, Anna"]

    factories.EmployeeFactory(last_name="Peeters", first_name="Carla")
    changed, searched = page(client, "/personen/?q=Peeters")
    assert searched == 2
    assert shown(changed) == ["Peeters, Anna", "Peeters, Carla"]


@committing
def test_another_filter_or_page_is_not_taken_for_a_kept_one(client, evaluator):
    for first_name in ("Anna", "Bert"):
        factories.EmployeeFactory(last_name="Peeters", first_name=first_name)
    factories.EmployeeFactory(last_name="Claes", first_name="Dirk")
    client.force_login(evaluator)

    assert shown(page(client, "/personen/?q=Peeters")[0]) == ["Peeters, Anna", "Peeters, Bert"]
    assert shown(page(client, "/personen/?q=Claes")[0]) == ["Claes, Dirk"]
    assert shown(page(client, "/personen/?q=Peeters&sort=-first_name")[0]) == ["Peeters, Bert", "Peeters, Anna"]


@committing
def test_a_kept_page_never_shows_a_user_what_their_scope_hides(client, evaluator, partner, partner_staff):
    guided = factories.TrajectoryFactory(partner=partner).employee
    guided.last_name, guided.first_name = "Peeters", "Anna"
    guided.save()
    factories.EmployeeFactory(last_name="Peeters", first_name="Bert")  # not guided by the partner

    client.force_login(evaluator)
    assert shown(page(client, "/personen/?q=Peeters")[0]) == ["Peeters, Anna", "Peeters, Bert"]

    client.force_login(partner_staff)
    html, searched = page(client, "/personen/?q=Peeters")
    assert shown(html) == ["Peeters, Anna"]
    assert searched == 2  # the partner's own page, not the evaluator's


def test_inside_a_transaction_that_has_written_the_page_is_read_every_time(client, evaluator):
    factories.EmployeeFactory(last_name="Peeters", first_name="Anna")
    client.force_login(evaluator)
    assert page(client, "/personen/?q=Peeters")[1] == 2
    factories.EmployeeFactory(last_name="Peeters", first_name="Bert")  # not committed: only this test sees it
    html, searched = page(client, "/personen/?q=Peeters")
    assert searched == 2
    assert shown(html) == ["Peeters, Anna", "Peeters, Bert"]
