"""Background work of the imports: the confirmation of a previewed file, whatever its size (jobs/)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django_tasks import task

from imports.constants import ImportStatus
from imports.kinds import kinds_for
from imports.models import ImportRun
from imports.services import confirm_run
from jobs import services as jobs


@task()
def confirm_import(job_id: int) -> str:
    """Import the file kept at the preview (imports:confirm), in the background."""
    return jobs.run(job_id, _confirm)


def _confirm(job, progress) -> None:
    """The rows and the run's record in one transaction: killed half-way, nothing is written and the run
    stays previewed, so that starting the job again imports the file once."""
    runs = ImportRun.objects.visible_to(job.owner).filter(kind__in=kinds_for(job.owner))
    run = runs.get(pk=job.parameters["run"])
    if run.status != ImportStatus.PREVIEWED:
        raise ValidationError(gettext("This file was not ready to import."))
    progress.set_total(run.rows_total)
    with transaction.atomic():
        result = confirm_run(run=run, user=job.owner)
    if not result.ok:
        raise ValidationError(
            gettext("The records changed since the preview: the file now has errors. Nothing was imported.")
        )
    progress.advance(result.total)
