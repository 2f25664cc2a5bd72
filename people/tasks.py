"""Background work of the person-wide code: the retention run (people/retention.py), started from its page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django_tasks import task

from accounts.access import can
from jobs import services as jobs
from people.retention import persons_anonymise


@task()
def anonymise_persons(job_id: int) -> str:
    """Anonymise the persons past the retention period, as `manage.py anonymise_persons` does."""
    return jobs.run(job_id, _anonymise)


def _anonymise(job, progress) -> None:
    """One transaction (persons_anonymise): killed half-way, it leaves every person as they were."""
    if not can(job.owner, "administer"):
        raise PermissionDenied
    years = settings.DOORSTROOM_RETENTION_YEARS
    progress.set_total(persons_anonymise(years=years, run_by="", dry_run=True).persons)
    result = persons_anonymise(years=years, run_by=f"{job.owner.username} (achtergrondtaak {job.pk})")
    progress.advance(result.persons)
