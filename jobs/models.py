"""A piece of long work a user started in the background: an export, a workbook, an import, a retention run.

The work itself is a django-tasks task, defined in the app whose code it runs (casework/tasks.py for the
list exports); this record is what the user sees of it on "Mijn taken": its progress, its outcome and
the file it made, until that expires (DOORSTROOM_JOB_RESULT_HOURS).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import Scope, ScopedQuerySet


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


class JobKind(models.TextChoices):
    LIST_EXPORT = "list_export", _("list export")
    PACK_WORKBOOK = "pack_workbook", _("parliamentary workbook")
    IMPORT = "import", _("import")
    RETENTION = "retention", _("retention run")


class ResultStorage(FileSystemStorage):
    """The results lie outside the static and media files, served only by the download view, in
    DOORSTROOM_JOB_RESULTS_DIR as it is set when a file is saved or read."""

    @property
    def base_location(self):
        return settings.DOORSTROOM_JOB_RESULTS_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)


result_storage = ResultStorage()


def results() -> ResultStorage:
    """The storage of the results (a callable, so that migrations do not write down a path)."""
    return result_storage


class BackgroundJobQuerySet(ScopedQuerySet):
    # Everyone sees the work they started themselves (administrators every job, as with import runs).
    scope = Scope(owner="owner")


class BackgroundJob(models.Model):
    """One background task as its owner sees it. Not kept in history: its progress changes many times a
    second, and what it did to records is in their own history (an import) or the access log (an export)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=JobKind.choices)
    label = models.CharField(_("task"), max_length=200)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The page the user started it from: the progress is shown there too, and "back" leads there.
    source_url = models.CharField(_("started from"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveBigIntegerField(_("done"), default=0)
    progress_total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The django-tasks task that does the work (its module path), and the id of its latest run.
    task_path = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    result_file = models.FileField(_("result"), storage=results, blank=True, max_length=300)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_type = models.CharField(_("content type"), max_length=100, blank=True)
    result_rows = models.PositiveBigIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    # Written with every progress step: a running job whose heartbeat stops was interrupted.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return self.label

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def interrupted(self) -> bool:
        """Running, but no sign of life for DOORSTROOM_JOB_STALE_SECONDS: its worker was stopped or killed."""
        if self.status != JobStatus.RUNNING or self.heartbeat_at is None:
            return False
        return (timezone.now() - self.heartbeat_at).total_seconds() > settings.DOORSTROOM_JOB_STALE_SECONDS

    @property
    def can_restart(self) -> bool:
        return self.status == JobStatus.FAILED or self.interrupted

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return None
        return min(100, int(self.progress_done * 100 / self.progress_total))
