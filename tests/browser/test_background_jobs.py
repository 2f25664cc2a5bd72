"""End-to-end: a whole list exported in the background, its progress followed on the page, the file downloaded."""

import csv
import io
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from accounts.roles import Role
from casework import tasks
from jobs import services
from jobs.models import BackgroundJob
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 30


def _slow(monkeypatch):
    """Each row takes a tenth of a second and the progress is written after each: there is time to watch it."""
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    advance = services.Progress.advance

    def slowly(self, steps=1):
        advance(self, steps)
        threading.Event().wait(0.1)

    monkeypatch.setattr(services.Progress, "advance", slowly)


def _worker(job_id):
    """The worker, in a thread of this process (the queue is the dummy backend: the job is only recorded)."""
    try:
        services.run(job_id, tasks._export_list)
    finally:
        connection.close()


def test_a_whole_list_is_exported_in_the_background_and_downloaded(page, login, shot, settings, tmp_path, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    settings.DOORSTROOM_JOB_RESULTS_DIR = str(tmp_path)
    _slow(monkeypatch)
    evaluator = factories.UserFactory(password=PASSWORD, username="evaluator")
    evaluator.groups.add(Group.objects.get(name=Role.EVALUATOR.value))
    factories.EmployeeFactory.create_batch(ROWS, last_name="Achtergrond")

    login(evaluator)
    page.goto("/personen/")
    page.click("button[name=_background][value=csv]")
    # The page answers at once, before any row is written, and shows the job waiting for its worker.
    page.wait_for_selector("[data-job-active] .job-state")
    assert page.text_content(".job-state").strip() == "wachtend"
    job = BackgroundJob.objects.get()

    worker = threading.Thread(target=_worker, args=[job.pk])
    worker.start()
    try:
        page.wait_for_function(
            "() => { const bar = document.querySelector('.job-progress .progress');"
            " const value = Number(bar.getAttribute('aria-valuenow')); return value > 0 && value < 100; }"
        )
        assert " van 30 rijen" in page.text_content(".job-count")
        shot("background-export-progress")
        page.wait_for_selector(".job-download")
    finally:
        worker.join()
    with page.expect_download() as info:
        page.click(".job-download")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert len(rows) == ROWS + 1
    assert sum(any("Achtergrond" in cell for cell in row) for row in rows) == ROWS

    page.goto("/taken/")
    assert page.text_content("h1").strip() == "Mijn taken"
    assert page.is_visible(".job-download")
    shot("my-tasks")
