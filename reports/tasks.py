"""Background work of the reports: the parliamentary workbook, whatever the size of the data (jobs/)."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from accounts.access import can
from jobs import services as jobs
from reports import pack as answer
from reports import workbook
from reports.forms import RunForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@task()
def pack_workbook(job_id: int) -> str:
    """The parliamentary question's workbook (reports:pack_export), made in the background."""
    return jobs.run(job_id, _pack_workbook)


def _pack_workbook(job, progress) -> jobs.Result:
    if not can(job.owner, "run_reports"):
        raise PermissionDenied
    form = RunForm(QueryDict(job.parameters["query"]) or None)
    as_of = known_at = None
    if form.is_bound and form.is_valid():
        as_of, known_at = form.cleaned_data["as_of"], form.cleaned_data["known_at"]
    # Three steps: the figures of the pack's reports, the pilots (question 5), the workbook.
    progress.set_total(3)
    sections = answer.sections(as_of, known_at)
    progress.advance()
    pilots = answer.pilots(as_of or timezone.localdate())
    progress.advance()
    content = workbook.pack_workbook(sections, pilots, answer.QUESTION_5)
    progress.advance()
    stamp = (as_of or timezone.localdate()).isoformat()
    return jobs.Result(
        file=io.BytesIO(content),
        name=f"parlementaire-vraag-doorstroom-{stamp}.xlsx",
        content_type=XLSX,
        rows=sum(sum(1 for _row in section.run.result.rows()) for section in sections),
    )
