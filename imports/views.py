"""Import pages: upload a file, see every problem per row and column, confirm, download the errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can
from imports import blanks, limits
from imports.constants import ImportStatus
from imports.exports import to_xlsx
from imports.forms import UploadForm
from imports.kinds import KINDS, kinds_for
from imports.models import REJECTED_RECENT_DAYS, ImportRun
from imports.services import confirm_run, preview_run
from imports.tasks import confirm_import
from jobs import services as jobs


def _allowed_kinds(user) -> list[str]:
    kinds = kinds_for(user)
    if not kinds:
        raise Http404
    return kinds


def _run_for(user, pk) -> ImportRun:
    """A run the user may see: administrators every run, everyone else their own, of a kind they may import."""
    kinds = _allowed_kinds(user)
    return get_object_or_404(ImportRun.objects.visible_to(user).filter(kind__in=kinds), pk=pk)


@login_required
def upload(request):
    """Upload a file; it is checked at once and kept for the confirmation."""
    kinds = _allowed_kinds(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        run = preview_run(
            kind=form.cleaned_data["kind"], content=upload_file.read(), file_name=upload_file.name, user=request.user
        )
        return redirect("imports:preview", pk=run.pk)
    runs = ImportRun.objects.visible_to(request.user).filter(kind__in=kinds)
    return render(
        request,
        "imports/import_upload.html",
        {
            "form": form,
            "kinds": [(kind, KINDS[kind].columns) for kind in kinds],
            "runs": runs.select_related("user").defer("content")[:20],
        },
    )


@login_required
def rejected(request):
    """The imports rejected for errors in the last days, newest first (administrators)."""
    if not can(request.user, "administer"):
        raise Http404
    runs = ImportRun.objects.visible_to(request.user).rejected_recently(timezone.localdate())
    return render(
        request,
        "imports/import_rejected.html",
        {
            "runs": runs.select_related("user").defer("content").order_by("-created_at", "-id"),
            "days": REJECTED_RECENT_DAYS,
        },
    )


@login_required
def preview(request, pk):
    """The outcome of the check: counts, and every problem with its row, column and value."""
    run = _run_for(request.user, pk)
    return render(
        request,
        "imports/importrun_detail.html",
        {
            "run": run,
            "can_confirm": run.status == ImportStatus.PREVIEWED,
            "more_errors": limits.more_errors_message() if run.errors_truncated else "",
            "more_changes": limits.more_changes_message() if run.changes_truncated else "",
        },
    )


@login_required
@require_POST
def confirm(request, pk):
    """Import the file kept at the preview, never a new upload."""
    run = _run_for(request.user, pk)
    if run.status != ImportStatus.PREVIEWED:
        messages.error(request, _("This file was not ready to import."))
        return redirect("imports:preview", pk=run.pk)
    result = confirm_run(run=run, user=request.user)
    if result.ok:
        messages.success(
            request,
            _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    else:
        messages.error(
            request, _("The records changed since the preview: the file now has errors. Nothing was imported.")
        )
    return redirect("imports:preview", pk=run.pk)


@login_required
@require_POST
def confirm_background(request, pk):
    """Import the kept file in the background (imports/tasks.py): the page answers at once and shows the
    progress; the outcome is on this run's page and under Mijn taken."""
    run = _run_for(request.user, pk)
    if run.status != ImportStatus.PREVIEWED:
        messages.error(request, _("This file was not ready to import."))
        return redirect("imports:preview", pk=run.pk)
    job = jobs.start(
        user=request.user,
        kind="import",
        label=_("Import of %(file)s") % {"file": run.file_name},
        task=confirm_import,
        parameters={"run": run.pk},
        source_url=reverse("imports:preview", args=[run.pk]),
    )
    jobs.watch(request, job)
    messages.success(request, _("The file is imported in the background."))
    return redirect("imports:preview", pk=run.pk)


@login_required
def error_report(request, pk):
    """The run's errors as an XLSX workbook (row, column, value, message), to correct the file with."""
    run = _run_for(request.user, pk)
    if not run.errors:
        raise Http404
    headers = [_("row"), _("column"), _("value"), _("message")]
    rows = [[e["row"], e["column"], e["value"], e["message"]] for e in run.errors]
    if run.errors_truncated:  # the run keeps at most MAX_ERRORS: say that the file has more
        rows.append(["", "", "", limits.more_errors_message()])
    response = HttpResponse(
        to_xlsx(headers, rows, title=_("errors")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stem = run.file_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{stem}-fouten.xlsx"'
    return response


@login_required
def template(request, kind, fmt):
    """A kind's template to start a file from: only for the kinds the user may import."""
    if kind not in _allowed_kinds(request.user) or fmt not in ("xlsx", "csv"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(blanks.template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            blanks.template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{kind}-sjabloon.{fmt}"'
    return response
