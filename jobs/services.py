"""Start, run, follow and clean up background jobs (jobs/models.py); the tasks call `run`.

A job's work never leaves half a result behind: a file is written to a temporary file and only stored
when complete, in the same transaction that marks the job ready; work that writes records (an import,
a retention run) does so in its own single transaction. A job killed half-way therefore shows as
interrupted (no sign of life for DOORSTROOM_JOB_STALE_SECONDS) with nothing written, and `restart`
runs it again from the start.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from audit.services import record_access
from jobs.models import BackgroundJob, JobStatus, result_storage

logger = logging.getLogger(__name__)

# A job writes its progress at most this often (seconds): often enough for a progress bar, few writes.
PROGRESS_INTERVAL = 0.5
# The session key of the jobs whose progress the pages show until they are finished (context_processors.py).
WATCHED = "jobs_watched"


@dataclass
class Result:
    """What a job made: a complete file, rewound, with its name, content type and number of data rows."""

    file: IO[bytes]
    name: str
    content_type: str
    rows: int | None = None


def start(*, user, kind: str, label: str, task, parameters: dict, source_url: str = "") -> BackgroundJob:
    """Record the job and enqueue its task, in one transaction: the worker sees both or neither."""
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            owner=user,
            kind=kind,
            label=label[:200],
            parameters=parameters,
            source_url=source_url[:500],
            task_path=task.module_path,
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: BackgroundJob) -> None:
    result = import_string(job.task_path).enqueue(job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def restart(job: BackgroundJob) -> BackgroundJob:
    """Run a failed or interrupted job again from the start, as a fresh attempt."""
    with transaction.atomic():
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED,
            progress_done=0,
            progress_total=None,
            error="",
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


class Progress:
    """The job's progress, written to its row at most every PROGRESS_INTERVAL seconds (and at the end)."""

    def __init__(self, job: BackgroundJob):
        self.job = job
        self.done = 0
        self.total = None
        self._written_at = 0.0

    def set_total(self, total: int | None) -> None:
        self.total = total
        self._write()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if time.monotonic() - self._written_at >= PROGRESS_INTERVAL:
            self._write()

    def counted(self, rows: Iterable, header: int = 0) -> Iterator:
        """The rows as they are, each one after the first `header` counted as one step done."""
        for number, row in enumerate(rows):
            if number >= header:
                self.advance()
            yield row

    def _write(self) -> None:
        self._written_at = time.monotonic()
        BackgroundJob.objects.filter(pk=self.job.pk).update(
            progress_done=self.done, progress_total=self.total, heartbeat_at=timezone.now()
        )


def run(job_id: int, work: Callable[[BackgroundJob, Progress], Result | None]) -> str:
    """Run a job's work and record its outcome; the tasks' one body. Returns the job's final status."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return job.status if job else "missing"  # removed, or run already (a task enqueued twice)
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=job.attempts + 1
    )
    progress = Progress(job)
    try:
        result = work(job, progress)
    except Exception as exc:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=_message(exc), finished_at=timezone.now()
        )
        return JobStatus.FAILED
    _finish(job, progress, result)
    return JobStatus.DONE


def _message(exc: Exception) -> str:
    """What the owner reads: the error's own message when it is meant for users, else a general one."""
    text = " ".join(str(message) for message in getattr(exc, "messages", []))
    return text or gettext("The task stopped because of an error. Try again, or ask an administrator.")


def _finish(job: BackgroundJob, progress: Progress, result: Result | None) -> None:
    finished = timezone.now()
    with transaction.atomic():
        fields = {
            "status": JobStatus.DONE,
            "finished_at": finished,
            "heartbeat_at": finished,
            "progress_done": progress.done,
            "progress_total": progress.total if progress.total is not None else progress.done,
            "expires_at": finished + datetime.timedelta(hours=settings.DOORSTROOM_JOB_RESULT_HOURS),
        }
        if result is not None:
            stored = result_storage.save(f"{job.pk}/{uuid.uuid4().hex}", File(result.file))
            transaction.on_commit(result.file.close)
            fields.update(
                result_file=stored,
                result_name=result.name,
                result_type=result.content_type,
                result_rows=result.rows,
            )
        BackgroundJob.objects.filter(pk=job.pk).update(**fields)


def log_download(job: BackgroundJob, user) -> None:
    """A downloaded result is written to the access log as the synchronous export was."""
    access = job.parameters.get("access")
    if access:
        record_access(user=user, row_count=job.result_rows, **access)


def watch(request, job: BackgroundJob) -> None:
    """Show the job's progress on the pages the user opens next, until it is finished."""
    watched = [pk for pk in request.session.get(WATCHED, []) if pk != job.pk][-4:]
    request.session[WATCHED] = [*watched, job.pk]


def expire(now=None) -> int:
    """Delete the files of the jobs whose results expired, and mark them so; returns how many."""
    now = now or timezone.now()
    count = 0
    for job in BackgroundJob.objects.filter(status=JobStatus.DONE, expires_at__lte=now).iterator():
        if job.result_file:
            job.result_file.delete(save=False)
        BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.EXPIRED, result_file="")
        count += 1
    return count
