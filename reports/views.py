"""Report pages: list, build, run with cross-table and chart, records behind a cell, exports, the pack.

Administrators and analysts run and export reports; only administrators build,
edit, copy and delete them, and only roles that may see persons get the records
behind a cell. Other roles do not learn that these pages exist (404).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, sees_identities
from audit.constants import AccessAction
from audit.services import filters_as_text, record_access
from jobs import services as jobs
from reports import exports, workbook
from reports import pack as answer
from reports.forms import RunForm, SavedReportForm
from reports.funnel import funnel
from reports.measures import MEASURES
from reports.models import SavedReport
from reports.services import ordered_records, record_line, records_behind, run_report
from reports.tasks import pack_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _runner(request):
    """Administrators and analysts only; everyone else gets a 404."""
    if not can(request.user, "run_reports"):
        raise Http404


def _builder(request):
    """Administrators only: like every page a role may not use, it answers 404 and says nothing more."""
    if not can(request.user, "administer"):
        raise Http404


def _dates(request):
    form = RunForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"], form.cleaned_data["known_at"]
    return form, None, None


@login_required
def report_list(request):
    """The parliamentary pack (by question) and the administrators' own reports, by their titles."""
    _runner(request)
    reports = list(SavedReport.objects.visible_to(request.user))
    return render(
        request,
        "reports/savedreport_list.html",
        {
            "pack_reports": [r for r in reports if r.in_pack],
            "own_reports": sorted((r for r in reports if not r.in_pack), key=lambda r: r.name.lower()),
            "can_build": can(request.user, "administer"),
        },
    )


def _cell_links(report, run, table):
    """Give each cell the address of the records behind it."""
    base = reverse("reports:cell", args=[report.slug])
    dates = {"as_of": run.as_of.isoformat()}
    if run.known_at:
        dates["known_at"] = run.known_at.isoformat()
    for row in table["rows"]:
        for cell in row["cells"]:
            key = tuple(cell.labels[d] for d in run.dimensions)
            if not cell.suppressed and cell.value and run.result.kind_of(key) != "ratio":
                cell.href = f"{base}?{urlencode({**cell.labels, **dates})}"
    return table


def _context_for_run(request, report, run):
    table = run.table()
    if sees_identities(request.user) and report.pk:
        table = _cell_links(report, run, table)
    drawn = funnel(run, table)
    return {
        "report": report,
        "run": run,
        "table": table,
        "funnel": drawn,
        "chart": None if drawn else run.chart(),
        "measure": MEASURES[report.measure],
        "can_drill": sees_identities(request.user),
        "can_build": can(request.user, "administer"),
        "dimension_labels": _dimension_labels(report),
    }


def _dimension_labels(report):
    measure = MEASURES[report.measure]
    labels = {measure.status_dimension: _("figure")}
    labels.update({d.name: d.label for d in measure.dimensions})
    return labels


@login_required
def report_run(request, slug):
    _runner(request)
    report = get_object_or_404(SavedReport.objects.visible_to(request.user), slug=slug)
    form, as_of, known_at = _dates(request)
    run = run_report(report, as_of=as_of, known_at=known_at)
    if not form.is_bound:
        form = RunForm(initial={"as_of": run.as_of, "known_at": run.known_at})
    return render(request, "reports/savedreport_run.html", {**_context_for_run(request, report, run), "form": form})


@login_required
def report_export(request, slug, fmt):
    _runner(request)
    if fmt not in ("json", "csv", "xlsx"):
        raise Http404
    report = get_object_or_404(SavedReport.objects.visible_to(request.user), slug=slug)
    _form, as_of, known_at = _dates(request)
    run = run_report(report, as_of=as_of, known_at=known_at)
    name = f"{report.slug}-{run.as_of.isoformat()}"
    if fmt == "json":
        response = HttpResponse(exports.to_json(run), content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        response = HttpResponse(exports.to_csv(run), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.to_xlsx([run]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    _log_export(request, f"reports:{report.slug}", fmt, [run])
    return response


CELL_PAGE_SIZE = 25


@login_required
def report_cell(request, slug):
    """The records counted in one cell, a page at a time, for the roles that may see persons.

    Each record links to the application's own pages (the person's, the record's), never the admin;
    every opening is written to the access log: who, which report, which cell (its labels and dates).
    """
    _runner(request)
    if not sees_identities(request.user):
        raise Http404
    report = get_object_or_404(SavedReport.objects.visible_to(request.user), slug=slug)
    _form, as_of, known_at = _dates(request)
    run = run_report(report, as_of=as_of, known_at=known_at)
    labels = {d: request.GET[d] for d in run.dimensions if d in request.GET}
    for d, label in labels.items():
        if label not in run.result.labels.get(d, []):
            raise Http404
    status = MEASURES[report.measure].status(
        labels.get(MEASURES[report.measure].status_dimension) or report.population or None
    )
    if status.kind == "ratio":
        raise Http404
    paginator = Paginator(ordered_records(records_behind(report, run, labels, user=request.user)), CELL_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404 from error
    cell = {**labels, "as_of": run.as_of.isoformat()}
    if run.known_at:
        cell["known_at"] = run.known_at.isoformat()
    record_access(
        user=request.user,
        action=AccessAction.REPORT_CELL_OPENED,
        list_name=f"reports:{report.slug}",
        filters=urlencode(cell),
        row_count=paginator.count,
    )
    names = _dimension_labels(report)
    return render(
        request,
        "reports/savedreport_cell.html",
        {
            "report": report,
            "run": run,
            "cell_labels": [(names.get(d, d), run.display(d, label)) for d, label in labels.items()],
            "page": page,
            "lines": [record_line(record) for record in page.object_list],
            "cell_query": urlencode(cell),
        },
    )


def _preview(form):
    """Run the report being built, without saving it, when the form is complete enough."""
    if form.chosen_measure is None or not form.is_valid():
        return None
    return run_report(form.instance)


@login_required
def report_create(request):
    _builder(request)
    return _edit(request, SavedReport(), created=True)


@login_required
def report_update(request, slug):
    _builder(request)
    return _edit(request, get_object_or_404(SavedReport.objects.visible_to(request.user), slug=slug), created=False)


def _export_addresses(report):
    if not report.pk:
        return []
    return [(fmt, reverse("reports:export", args=[report.slug, fmt])) for fmt in ("xlsx", "csv", "json")]


def _edit(request, report, *, created):
    """The builder: the preview on top, refreshed as choices change (static/js/report-builder.js posts
    the form with `preview`), the choices of the chosen measure below it."""
    preview = request.method == "POST" and "preview" in request.POST
    form = SavedReportForm(request.POST or None, instance=report, preview=preview)
    run = None
    if preview:
        run = _preview(form)
    elif request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                report = form.save()
            messages.success(request, _("The report %(name)s was saved.") % {"name": report.name})
            return redirect(report)
    elif report.pk:
        run = run_report(report)
    context = {"form": form, "report": report, "created": created, "run": run, "exports": _export_addresses(report)}
    if run is not None:
        context.update(table=run.table(), chart=run.chart(), dimension_labels=_dimension_labels(run.report))
    return render(request, "reports/savedreport_form.html", context)


@login_required
@require_POST
def report_copy(request, slug):
    _builder(request)
    original = get_object_or_404(SavedReport.objects.visible_to(request.user), slug=slug)
    copy = SavedReport.objects.get(pk=original.pk)
    copy.pk = None
    copy.in_pack = False
    copy.name = _("Copy of %(name)s") % {"name": original.name}
    base = f"{original.slug}-kopie"[:95]
    slug, n = base, 1
    while SavedReport.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    copy.slug = slug
    copy.save()
    messages.success(request, _("The report was copied; adapt the copy here."))
    return redirect("reports:update", slug=copy.slug)


@login_required
def report_delete(request, slug):
    """Administrators delete their own reports; the parliamentary pack's are copied, never deleted."""
    _builder(request)
    report = get_object_or_404(SavedReport.objects.visible_to(request.user), slug=slug)
    if report.in_pack:
        messages.error(
            request,
            _("%(name)s belongs to the parliamentary question and cannot be deleted; copy it to adapt it.")
            % {"name": report.name},
        )
        return redirect("reports:list")
    if request.method == "POST":
        report.delete()
        messages.success(request, _("The report %(name)s was deleted.") % {"name": report.name})
        return redirect("reports:list")
    return render(request, "reports/savedreport_confirm_delete.html", {"report": report})


def _log_export(request, list_name, fmt, runs):
    """Report exports are aggregates, but every export is in the access log (with its cells as rows)."""

    record_access(
        user=request.user,
        action=AccessAction.LIST_EXPORTED,
        list_name=list_name,
        export_format=fmt,
        filters=filters_as_text(request.GET),
        row_count=sum(sum(1 for _row in run.result.rows()) for run in runs),
    )


@login_required
def pack(request):
    """Parlementaire vraag doorstroom: every report of the pack for a chosen reference date, the published
    contradictions beside their figures, the revisions (as known today) and question 5 (the pilots)."""
    _runner(request)
    form, as_of, known_at = _dates(request)
    sections = answer.sections(as_of, known_at)
    context = {
        "form": form,
        "sections": sections,
        "pilots": answer.pilots(as_of or timezone.localdate()),
        "question_5": answer.QUESTION_5,
        "can_drill": False,
    }
    return render(request, "reports/pack.html", context)


@login_required
def pack_export(request):
    _runner(request)
    _form, as_of, known_at = _dates(request)
    sections = answer.sections(as_of, known_at)
    pilots = answer.pilots(as_of or timezone.localdate())
    content = workbook.pack_workbook(sections, pilots, answer.QUESTION_5)
    response = HttpResponse(content, content_type=XLSX)
    stamp = (as_of or timezone.localdate()).isoformat()
    response["Content-Disposition"] = f'attachment; filename="parlementaire-vraag-doorstroom-{stamp}.xlsx"'
    _log_export(request, "reports:pack", "xlsx", [section.run for section in sections])
    return response


@login_required
@require_POST
def pack_background(request):
    """The same workbook made in the background (reports/tasks.py): the page answers at once and shows its
    progress; the file is downloaded from Mijn taken, and that download is written to the access log."""
    _runner(request)
    query = filters_as_text(request.GET)
    back = reverse("reports:pack") + (f"?{query}" if query else "")
    job = jobs.start(
        user=request.user,
        kind="pack_workbook",
        label=_("Workbook of the parliamentary question"),
        task=pack_workbook,
        parameters={
            "query": query,
            "access": {
                "action": AccessAction.LIST_EXPORTED.value,
                "list_name": "reports:pack",
                "export_format": "xlsx",
                "filters": query,
            },
        },
        source_url=back,
    )
    jobs.watch(request, job)
    messages.success(request, _("The workbook is made in the background. You can follow it here or under My tasks."))
    return redirect(back)
