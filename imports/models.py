"""A record of every import: who brought which file in, when, and what it changed."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import Scope, ScopedQuerySet
from imports.constants import ImportKind, ImportStatus

# How far back the administrators' work list looks for imports rejected for errors.
REJECTED_RECENT_DAYS = 30


class ImportRunQuerySet(ScopedQuerySet):
    # Administrators see every run; everyone else the runs they made themselves.
    scope = Scope(owner="user")

    def rejected_recently(self, today):
        """Runs rejected for errors in the last REJECTED_RECENT_DAYS days (the administrators' work list)."""
        since = today - datetime.timedelta(days=REJECTED_RECENT_DAYS)
        return self.filter(status=ImportStatus.REJECTED, created_at__date__gt=since)


class ImportRun(models.Model):
    """One uploaded file and its outcome.

    The file's content is kept here between preview and confirmation, so that
    what is confirmed is exactly what was previewed, never a re-upload. It is
    kept as a Fernet token (common/crypto.py): the file lists INSZ numbers.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), editable=False)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # The file had more problems than the errors kept (imports/limits.py MAX_ERRORS): reading stopped there.
    errors_truncated = models.BooleanField(_("more errors than listed"), default=False)
    # What the file changes in existing records: [{row, column, old, new}], at most MAX_CHANGES of them.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    changes_truncated = models.BooleanField(_("more changes than listed"), default=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="imports_importrun_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="imports_importrun_status_valid"),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()}, {self.get_status_display()})"
