"""Mijn taken: the user's background jobs with their progress, the result's download, a restart."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import role_of
from jobs import services
from jobs.models import BackgroundJob, JobStatus

# How many of the user's latest jobs the page lists.
SHOWN = 50


def _job_for(request, pk) -> BackgroundJob:
    if role_of(request.user) is None:
        raise Http404
    return get_object_or_404(BackgroundJob.objects.visible_to(request.user), pk=pk)


@transaction.non_atomic_requests
@login_required
def job_list(request):
    """The user's own jobs, newest first (an administrator sees others' jobs only by their address)."""
    if role_of(request.user) is None:
        raise Http404
    jobs = BackgroundJob.objects.visible_to(request.user).filter(owner=request.user)
    return render(
        request, "jobs/job_list.html", {"jobs": list(jobs[:SHOWN]), "hours": settings.DOORSTROOM_JOB_RESULT_HOURS}
    )


@transaction.non_atomic_requests
@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    return render(request, "jobs/job_detail.html", {"job": job})


def status_of(job: BackgroundJob) -> dict:
    """What the progress bar shows (jobs.js): the state, the steps done of how many, the download."""
    ready = job.status == JobStatus.DONE and bool(job.result_file)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": _("interrupted") if job.interrupted else job.get_status_display(),
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "finished": not job.active or job.interrupted,
        "download_url": reverse("jobs:download", args=[job.pk]) if ready else None,
        "error": job.error,
    }


@transaction.non_atomic_requests
@login_required
def job_status(request, pk):
    return JsonResponse(status_of(_job_for(request, pk)))


@login_required
def download(request, pk):
    """The job's file, while it has not expired; the download is written to the access log."""
    job = _job_for(request, pk)
    if job.status != JobStatus.DONE or not job.result_file or (job.expires_at and job.expires_at <= timezone.now()):
        raise Http404
    services.log_download(job, request.user)
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_name, content_type=job.result_type
    )


@login_required
@require_POST
def restart(request, pk):
    job = _job_for(request, pk)
    if job.owner_id != request.user.pk or not job.can_restart:
        messages.error(request, _("Only a failed or interrupted task of your own can be started again."))
        return redirect("jobs:detail", pk=job.pk)
    services.restart(job)
    services.watch(request, job)
    messages.success(request, _("The task is started again."))
    return redirect("jobs:detail", pk=job.pk)
