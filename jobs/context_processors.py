"""The progress of the jobs the user just started, on whatever page they open next (base.html)."""

from jobs.models import BackgroundJob
from jobs.services import WATCHED


def watched_jobs(request):
    """No query unless the session watches a job; a finished job is shown once more, then dropped."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    watched = session.get(WATCHED) if session is not None else None
    if not watched or user is None or not user.is_authenticated:
        return {}
    jobs = list(BackgroundJob.objects.visible_to(user).filter(owner=user, pk__in=watched))
    still = [job.pk for job in jobs if job.active and not job.interrupted]
    if still != watched:
        session[WATCHED] = still
    return {"watched_jobs": jobs}
