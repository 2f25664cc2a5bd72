"""The home page's work-list counts kept until a table they read changes (common/kept.py, people/worklists.py).

Every user of a role asks the same counts on each visit of the home page; at a million persons an
evaluator's two counts cost about 13 ms of the database, an administrator's data-quality count more
(docs/benchmarks.md). The counts must still follow every committed change at once.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluations.models import Evaluation
from people.worklists import capped_count
from tests import factories

committing = pytest.mark.django_db(transaction=True)
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers and snapshots"),
    pytest.mark.usefixtures("kept_nothing"),
]


def counts_read(queries) -> int:
    """The captured queries that count evaluations (not the generation of the tables)."""
    return sum('FROM "evaluations_evaluation"' in q["sql"] for q in queries.captured_queries)


@committing
def test_a_count_asked_again_is_kept_until_a_table_it_reads_changes():
    factories.EvaluationFactory()
    assert capped_count(Evaluation.objects.all()) == 1

    with CaptureQueriesContext(connection) as queries:
        assert capped_count(Evaluation.objects.all()) == 1
    assert counts_read(queries) == 0
    assert len(queries) == 1  # the generation only

    factories.EvaluationFactory()
    with CaptureQueriesContext(connection) as queries:
        assert capped_count(Evaluation.objects.all()) == 2
    assert counts_read(queries) == 1


@committing
def test_counts_of_other_querysets_are_kept_apart():
    factories.EvaluationFactory(evaluation_date=None)
    factories.EvaluationFactory()
    assert capped_count(Evaluation.objects.all()) == 2
    assert capped_count(Evaluation.objects.filter(evaluation_date__isnull=True)) == 1
    assert capped_count(Evaluation.objects.all()) == 2


@committing
def test_a_transaction_that_has_written_counts_the_records_every_time():
    factories.EvaluationFactory()
    assert capped_count(Evaluation.objects.all()) == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        factories.EvaluationFactory()
        assert capped_count(Evaluation.objects.all()) == 2
        raise RuntimeError("rolled back")

    assert capped_count(Evaluation.objects.all()) == 1


@committing
def test_the_evaluators_home_page_reads_its_counts_once_while_nothing_changes(client, evaluator):
    factories.EvaluationFactory()  # advised ready, not referred
    client.force_login(evaluator)
    first = client.get("/")
    assert first.status_code == 200

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert again.status_code == 200
    assert counts_read(queries) == 0
    assert [(item.label, item.count) for item in again.context["work_lists"]] == [
        (item.label, item.count) for item in first.context["work_lists"]
    ]

    factories.EvaluationFactory()
    with CaptureQueriesContext(connection) as queries:
        changed = client.get("/")
    assert counts_read(queries) >= 1
    assert changed.context["work_lists"][0].count == first.context["work_lists"][0].count + 1
