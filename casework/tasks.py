"""Background work of the shared list screens: the export of a whole list, with its progress (jobs/).

The worker rebuilds the list as its page would show it to the user who asked, from the same view
class (so from `visible_to(user)`, the filters and the sort asked for), and writes every row, as the
synchronous export does (common/export.py), into a temporary file that is stored only when complete.
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict
from django.urls import resolve
from django.utils.translation import gettext
from django_tasks import task

from accounts.roles import role_of
from common import export
from jobs import services as jobs

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@task()
def export_list(job_id: int) -> str:
    """The whole list a user filtered, as CSV or XLSX, in the background."""
    return jobs.run(job_id, _export_list)


def list_view_for(user, path: str, query: str):
    """The list view of `path`, set up as for a GET of it with `query` by `user`, its filters applied."""
    match = resolve(path)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = user
    request.session = {}
    request.resolver_match = match
    view = match.func.view_class()
    view.setup(request, *match.args, **match.kwargs)
    if not hasattr(view, "export_table") or role_of(user) not in view.roles:
        raise PermissionDenied
    view.filterset = view.get_filterset(view.get_filterset_class())
    bound_and_valid = not view.filterset.is_bound or view.filterset.is_valid() or not view.get_strict()
    view.object_list = view.filterset.qs if bound_and_valid else view.filterset.queryset.none()
    return view


def _export_list(job, progress) -> jobs.Result:
    parameters = job.parameters
    export_format = parameters["format"]
    view = list_view_for(job.owner, parameters["path"], parameters["query"])
    table, queryset = view.export_table()
    rows = export.table_rows(table, queryset, view.exclude_columns)
    # Known without a COUNT when the rows were read at once (a small export, common/export.py).
    total = getattr(rows, "row_count", None)
    if total is None:
        total = queryset.order_by().count()
    progress.set_total(total)
    rows = progress.counted(rows, header=1)
    if export_format == "xlsx":
        if total > export.XLSX_MAX_DATA_ROWS:
            raise ValidationError(
                gettext("This selection has more rows than a spreadsheet sheet can hold. Export it as CSV.")
            )
        output = export.write_xlsx(rows, view.sheet_title())
    else:
        output = tempfile.TemporaryFile()
        for line in export.csv_chunks(rows):
            output.write(line.encode("utf-8"))
        output.seek(0)
    return jobs.Result(
        file=output,
        name=view.get_export_filename(export_format),
        content_type=CONTENT_TYPES[export_format],
        rows=progress.done,
    )
