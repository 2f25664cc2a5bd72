"""Reads from a replica (common/replica.py): lists, counts and background exports there; writes, reads in a
transaction and the reads right after a write on the primary.

The replica is a second connection alias to the same test database, a TEST MIRROR of default, as
DATABASE_REPLICA_URL gives it (config/settings.py); these tests commit (transaction=True), so that what
one connection writes the other reads, and count the queries each connection runs.
"""

import copy
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from casework import tasks
from common import replica
from employees.models import Employee
from jobs import services
from jobs.models import BackgroundJob, JobStatus
from tests import factories

REPLICA = "replica"

if REPLICA not in connections:
    # Without DATABASE_REPLICA_URL in the environment: the alias that setting would add.
    connections.settings[REPLICA] = {
        **copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS]),
        "ATOMIC_REQUESTS": False,
        "TEST": {**connections.settings[DEFAULT_DB_ALIAS]["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
    }

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture
def with_replica(settings, tmp_path):
    settings.DOORSTROOM_READ_REPLICA = REPLICA
    settings.DOORSTROOM_JOB_RESULTS_DIR = str(tmp_path)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


def queries_on_each(callable_):
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        with CaptureQueriesContext(connections[REPLICA]) as secondary:
            result = callable_()
    return result, len(primary), len(secondary)


def test_the_router_reads_case_records_from_the_replica_and_the_rest_from_the_primary(with_replica):
    assert Employee.objects.all().db == REPLICA
    assert User.objects.all().db == DEFAULT_DB_ALIAS  # sessions and users: read right after they are written
    assert BackgroundJob.objects.all().db == DEFAULT_DB_ALIAS  # progress is read as it is written
    with transaction.atomic():
        assert Employee.objects.all().db == DEFAULT_DB_ALIAS  # read-after-write in a transaction
    with replica.reads_on_primary():
        assert Employee.objects.all().db == DEFAULT_DB_ALIAS
    employee = factories.EmployeeFactory()
    assert employee._state.db == DEFAULT_DB_ALIAS  # every write on the primary
    assert replica.ReplicaRouter().allow_migrate(REPLICA, "employees") is False


def test_without_a_replica_everything_is_read_from_the_primary(settings):
    settings.DOORSTROOM_READ_REPLICA = None
    assert Employee.objects.all().db == DEFAULT_DB_ALIAS


def test_a_list_and_its_count_read_from_the_replica_until_the_user_writes(client, with_replica, settings, evaluator):
    factories.EmployeeFactory.create_batch(3, last_name="Replica")
    client.force_login(evaluator)
    url = reverse("employees:list")

    response, _primary, on_replica = queries_on_each(lambda: client.get(url))
    assert response.status_code == 200 and response.content.decode().count("Replica") >= 3
    assert on_replica >= 2  # the count and the rows

    # A write (here: the filter form's post) pins the user's next requests to the primary.
    client.post(url, {"q": "Replica"})
    response, on_primary, on_replica = queries_on_each(lambda: client.get(url))
    assert response.status_code == 200 and on_replica == 0

    session = client.session
    session[replica.SESSION_KEY] = time.time() - 1  # the pin has run out
    session.save()
    _response, _primary, on_replica = queries_on_each(lambda: client.get(url))
    assert on_replica >= 2


def test_a_background_export_reads_from_the_replica_and_writes_its_job_on_the_primary(client, with_replica, evaluator):
    factories.EmployeeFactory.create_batch(4)
    client.force_login(evaluator)
    client.post(reverse("employees:list"), {"_background": "csv"})
    job = BackgroundJob.objects.get()

    status, on_primary, on_replica = queries_on_each(lambda: services.run(job.pk, tasks._export_list))

    assert status == JobStatus.DONE
    assert on_replica >= 1  # the rows (read at once: their number without a count, common/export.py)
    assert on_primary >= 2  # the job's progress and outcome
    assert BackgroundJob.objects.get().result_rows == 4
