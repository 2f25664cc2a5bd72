"""Background jobs (jobs/): a whole-list export started from its page, followed, downloaded, expired, restarted.

The tasks run with django-tasks' immediate backend here (in the test's own thread), or are only
stored (the dummy backend) when a test looks at a job that has not run yet; the database backend
and its worker process are exercised by tests/test_interrupted.py.
"""

import csv
import datetime
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AccessEvent
from casework import tasks
from common.identifiers import make_insz
from employees.models import AnonymisationRun, Employee
from imports import tasks as tasks_import
from imports.services import preview_run
from jobs import services
from jobs.models import BackgroundJob, JobStatus
from tests import factories

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _tasks(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.DOORSTROOM_JOB_RESULTS_DIR = str(tmp_path / "results")


def start_export(client, export_format="csv", query=""):
    url = reverse("employees:list") + (f"?{query}" if query else "")
    response = client.post(url, {"_background": export_format})
    assert response.status_code == 302
    assert response["Location"] == url
    return BackgroundJob.objects.latest("pk")


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_a_background_export_writes_the_same_file_as_the_direct_export(client, evaluator):
    factories.EmployeeFactory.create_batch(5, gender="f")
    factories.EmployeeFactory(gender="m")
    client.force_login(evaluator)

    job = start_export(client, query="gender=f&sort=last_name")

    assert (job.owner, job.status, job.kind) == (evaluator, JobStatus.DONE, "list_export")
    assert (job.progress_done, job.progress_total, job.result_rows) == (5, 5, 5)
    assert job.expires_at > timezone.now()
    downloaded = rows_of(client.get(reverse("jobs:download", args=[job.pk])))
    direct = rows_of(client.get(reverse("employees:list"), {"gender": "f", "sort": "last_name", "_export": "csv"}))
    assert downloaded == direct
    assert len(downloaded) == 6


def test_the_download_is_written_to_the_access_log_as_the_direct_export(client, evaluator):
    factories.EmployeeFactory.create_batch(3, gender="f")
    client.force_login(evaluator)
    job = start_export(client, query="gender=f")
    assert not AccessEvent.objects.exists()  # starting is not yet exporting

    b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)

    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.list_name, event.export_format, event.filters, event.row_count) == (
        evaluator,
        "list_exported",
        "employees:list",
        "csv",
        "gender=f",
        3,
    )


def test_an_xlsx_in_the_background_holds_every_row(client, administrator):
    factories.EmployeeFactory.create_batch(4)
    client.force_login(administrator)
    job = start_export(client, "xlsx")
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 5


def test_a_user_sees_and_downloads_only_their_own_jobs(client, partner_staff, other_partner_staff, evaluator):
    factories.EmployeeFactory()
    client.force_login(evaluator)
    job = start_export(client)
    for other in (partner_staff, other_partner_staff):
        client.force_login(other)
        for name in ("jobs:detail", "jobs:status", "jobs:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
        assert job.label not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(evaluator)
    page = client.get(reverse("jobs:list")).content.decode()
    assert job.label in page
    assert reverse("jobs:download", args=[job.pk]) in page


def test_the_page_answers_at_once_and_shows_the_progress_until_the_job_is_done(client, evaluator, settings):
    settings.TASKS = DUMMY  # stored, not run: as with a worker that has not got to it yet
    factories.EmployeeFactory.create_batch(3)
    client.force_login(evaluator)
    job = start_export(client)
    assert job.status == JobStatus.QUEUED

    page = client.get(reverse("employees:list")).content.decode()
    assert reverse("jobs:status", args=[job.pk]) in page
    assert 'data-job-active="true"' in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["finished"] is False

    services.run(job.pk, _export_list_work())
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (status["status"], status["done"], status["total"], status["percent"]) == ("done", 3, 3, 100)
    assert status["download_url"] == reverse("jobs:download", args=[job.pk])
    # Shown once more finished, then no longer on every page.
    assert reverse("jobs:status", args=[job.pk]) in client.get(reverse("employees:list")).content.decode()
    assert reverse("jobs:status", args=[job.pk]) not in client.get(reverse("employees:list")).content.decode()


def _export_list_work():
    return tasks._export_list


def test_progress_is_written_while_the_rows_are_written(client, evaluator, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    seen = []
    original = services.Progress._write

    def spy(self):
        original(self)
        seen.append(BackgroundJob.objects.values_list("progress_done", "progress_total").get(pk=self.job.pk))

    monkeypatch.setattr(services.Progress, "_write", spy)
    factories.EmployeeFactory.create_batch(3)
    client.force_login(evaluator)
    start_export(client)
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_an_expired_result_is_deleted_and_no_longer_downloaded(client, evaluator):
    factories.EmployeeFactory()
    client.force_login(evaluator)
    job = start_export(client)
    path = job.result_file.path
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200

    later = job.expires_at + datetime.timedelta(seconds=1)
    BackgroundJob.objects.filter(pk=job.pk).update(expires_at=later - datetime.timedelta(hours=48))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert services.expire() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.EXPIRED and not job.result_file
    assert not os.path.exists(path)


def test_a_failed_job_says_why_and_can_be_started_again(client, evaluator, monkeypatch):
    factories.EmployeeFactory.create_batch(2)
    client.force_login(evaluator)
    original = tasks._export_list

    def broken(job, progress):
        raise RuntimeError("database gone")

    monkeypatch.setattr(tasks, "_export_list", broken)
    job = start_export(client)
    assert job.status == JobStatus.FAILED and "database gone" not in job.error and job.error
    assert not job.result_file

    monkeypatch.setattr(tasks, "_export_list", original)
    assert client.post(reverse("jobs:restart", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result_rows) == (JobStatus.DONE, 2, 2)


def test_only_the_owner_restarts_and_only_a_failed_or_interrupted_job(client, evaluator, administrator):
    factories.EmployeeFactory()
    client.force_login(evaluator)
    job = start_export(client)
    client.post(reverse("jobs:restart", args=[job.pk]))
    job.refresh_from_db()
    assert job.attempts == 1  # it was done: not run again
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(administrator)
    client.post(reverse("jobs:restart", args=[job.pk]))
    assert BackgroundJob.objects.get(pk=job.pk).attempts == 1
    client.force_login(evaluator)
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["status_label"] == "onderbroken"
    client.post(reverse("jobs:restart", args=[job.pk]))
    assert BackgroundJob.objects.get(pk=job.pk).attempts == 2


def test_a_search_by_insz_is_not_exported_in_the_background(client, evaluator):
    client.force_login(evaluator)
    response = client.post(reverse("employees:list") + "?insz_search=abc", {"_background": "csv"})
    assert response.status_code == 302
    assert not BackgroundJob.objects.exists()


def test_an_unknown_format_is_refused(client, evaluator):
    client.force_login(evaluator)
    assert client.post(reverse("employees:list"), {"_background": "pdf"}).status_code == 400
    assert not BackgroundJob.objects.exists()


def test_the_task_runs_only_for_a_role_that_still_sees_the_list(client, evaluator, analyst):
    client.force_login(evaluator)
    job = start_export(client)
    BackgroundJob.objects.filter(pk=job.pk).update(owner=analyst, status=JobStatus.QUEUED)
    services.run(job.pk, _export_list_work())
    assert BackgroundJob.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_my_tasks_and_the_status_take_a_fixed_number_of_queries(client, evaluator, django_assert_num_queries):
    factories.EmployeeFactory()
    client.force_login(evaluator)
    jobs = [start_export(client) for _ in range(3)]
    client.get(reverse("jobs:list"))
    # The session, the user, the user's role, the jobs: as many for one job as for three.
    with django_assert_num_queries(4):
        assert client.get(reverse("jobs:list")).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(reverse("jobs:status", args=[jobs[0].pk])).status_code == 200


def test_the_parliamentary_workbook_is_made_in_the_background(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("reports:pack_background") + "?as_of=2019-12-31")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:pack") + "?as_of=2019-12-31"
    job = BackgroundJob.objects.get()
    assert (job.status, job.kind, job.progress_done, job.progress_total) == (JobStatus.DONE, "pack_workbook", 3, 3)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Disposition"].endswith('parlementaire-vraag-doorstroom-2019-12-31.xlsx"')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) > 3
    event = AccessEvent.objects.get()
    assert (event.list_name, event.export_format, event.filters) == ("reports:pack", "xlsx", "as_of=2019-12-31")
    assert event.row_count == job.result_rows > 0


def test_an_administrator_anonymises_the_persons_past_retention_in_the_background(client, administrator, evaluator):
    old = factories.EmployeeFactory(registered_on=datetime.date(2000, 1, 1))
    factories.EmploymentFactory(
        employee=old,
        start_date=datetime.date(2000, 1, 1),
        end_date=datetime.date(2002, 6, 30),
        registered_on=datetime.date(2000, 1, 1),
    )
    recent = factories.EmployeeFactory()
    client.force_login(evaluator)
    assert client.get(reverse("employees:retention")).status_code == 404
    client.force_login(administrator)
    assert "1 persoon heeft geen gegeven meer" in client.get(reverse("employees:retention")).content.decode()

    assert client.post(reverse("employees:retention")).status_code == 302

    job = BackgroundJob.objects.get()
    assert (job.status, job.kind, job.progress_done, job.progress_total) == (JobStatus.DONE, "retention", 1, 1)
    assert not job.result_file
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.last_name != recent.last_name and old.insz_digest is None
    assert AnonymisationRun.objects.get().run_by == f"{administrator.username} (achtergrondtaak {job.pk})"


def test_a_previewed_import_is_confirmed_in_the_background(client, evaluator):
    lines = ["insz,first_name,last_name,birth_date"]
    for n in range(3):
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n)
        lines.append(f"{make_insz(birth, 101)},Persoon,Nummer {n},{birth.isoformat()}")
    run = preview_run(kind="employees", content="\n".join(lines).encode(), file_name="p.csv", user=evaluator)
    client.force_login(evaluator)

    response = client.post(reverse("imports:confirm_background", args=[run.pk]))

    assert response["Location"] == reverse("imports:preview", args=[run.pk])
    job = BackgroundJob.objects.get()
    assert (job.status, job.kind, job.progress_done, job.progress_total) == (JobStatus.DONE, "import", 3, 3)
    run.refresh_from_db()
    assert (run.status, run.rows_created) == ("imported", 3)
    assert Employee.objects.filter(last_name__startswith="Nummer").count() == 3
    # Started again (or twice), the job finds the run imported and writes nothing more.
    services.run(
        BackgroundJob.objects.create(owner=evaluator, kind="import", label="x", parameters={"run": run.pk}).pk,
        tasks_import._confirm,
    )
    assert Employee.objects.filter(last_name__startswith="Nummer").count() == 3
