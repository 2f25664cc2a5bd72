"""Building blocks shared by the casework views: role checks, scoped lists, versioned edits, history.

Every casework view is built from these mixins, so that each one starts from
`Model.objects.visible_to(user)` and a record outside it answers 404.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export.views import ExportMixin

from accounts.access import can
from accounts.roles import role_of
from audit.constants import AccessAction
from audit.services import filters_as_text, record_access
from casework.tasks import export_list
from common import export, insz_search
from common.crypto import decrypt_insz
from common.forms import style_form
from common.tables import EstimatedCountPaginator, cursor_from, with_tie_breaker
from common.validators import contains_insz_like
from jobs import services as jobs


class RoleRequiredMixin(LoginRequiredMixin):
    """Let in the roles listed in `roles`; every other signed-in user gets 404, as if nothing were there."""

    roles: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if role_of(request.user) not in self.roles:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin:
    """Start every queryset from `visible_to(user)`, with the joins the page needs."""

    model = None
    select_related: tuple = ()
    prefetch_related: tuple = ()

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset


class ReadOnlyRequestMixin:
    """A page that only reads: no transaction around the request (ATOMIC_REQUESTS is on elsewhere).

    Each statement of PostgreSQL runs in its own snapshot either way (READ COMMITTED), so
    the transaction around a read-only page only added a BEGIN and a COMMIT, two round trips
    of every list and detail page, which bought nothing (issue 6).
    """

    @classmethod
    def as_view(cls, **initkwargs):
        return transaction.non_atomic_requests(super().as_view(**initkwargs))


class CaseListView(
    ReadOnlyRequestMixin, RoleRequiredMixin, ScopedQuerysetMixin, ExportMixin, SingleTableMixin, FilterView
):
    """A filtered, sorted, paginated list with CSV and XLSX export of exactly what is filtered."""

    template_name = "casework/list.html"
    # Only the table paginates (one COUNT per page, not one for the table and one for ListView),
    # with PostgreSQL's estimate instead of a COUNT over a whole big table.
    paginate_by = None
    table_pagination = {"per_page": 25, "paginator_class": EstimatedCountPaginator}
    export_formats = ("csv", "xlsx")
    title = ""
    create_url = None
    create_label = _("New")
    create_roles: tuple = ()

    def get_table_pagination(self, table):
        """The page as asked, and the row that the "next" or "previous" link starts from (a keyset page).

        No page for an export: it writes every row of `export_table()`, and the page's ids and count
        (two queries over the whole selection) would be read for nothing."""
        if self.request.GET.get(self.export_trigger_param) in self.export_formats:
            return False
        pagination = super().get_table_pagination(table)
        if pagination is not False:
            pagination = {**pagination, "cursor": cursor_from(self.request.GET)}
        return pagination

    def get_export_filename(self, export_format):

        name = slugify(str(self.model._meta.verbose_name_plural))
        return f"{name}-{timezone.localdate().isoformat()}.{export_format}"

    def post(self, request, *args, **kwargs):
        """The filter form posts, so that an INSZ typed in the search box is in no URL: the answer is
        the list's GET address, with the INSZ swapped for a session token (common/insz_search.py)."""
        if "_background" in request.POST:
            return self.start_background_export(request.POST["_background"])
        return insz_search.redirect_after_search(request, request.POST)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        data = kwargs.get("data")
        if data is not None and (insz_search.PARAM in data or contains_insz_like(data.get("q", ""))):
            data = data.copy()
            token = data.pop(insz_search.PARAM, [None])[0]
            if token is None:
                # An INSZ in a GET address (typed into the address bar, an old bookmark): not acted on.
                data.pop("q", None)
                messages.warning(
                    self.request,
                    gettext("Type an INSZ number in the search box below: it is then not sent in the page address."),
                )
            else:
                text = insz_search.recall(self.request, token)
                if text:
                    data["q"] = text
                else:
                    messages.warning(self.request, gettext("This search has expired. Search again."))
            kwargs["data"] = data
        return kwargs

    def create_export(self, export_format):
        """Stream the filtered, sorted rows: CSV row by row, XLSX in write-only mode (common/export.py).

        The rows come from the same filtered queryset as the page (so from `visible_to(user)`),
        read in chunks, so that memory does not grow with the number of rows. An XLSX export of
        more rows than a sheet holds is refused with a message on the list page, and no file.
        """

        table, queryset = self.export_table()
        filename = self.get_export_filename(export_format)
        # A small export is read here at once (common/export.py): its number of rows is then known.
        rows = export.table_rows(table, queryset, self.exclude_columns)
        row_count = getattr(rows, "row_count", None)
        if export_format == "xlsx":
            limit = export.XLSX_MAX_DATA_ROWS
            too_many = queryset.order_by()[limit : limit + 1].exists() if row_count is None else row_count > limit
            if too_many:
                messages.error(
                    self.request,
                    gettext(
                        "This selection has more than %(limit)s rows, more than a spreadsheet sheet can hold. "
                        "No file was made. Narrow the selection with the filters, or export it as CSV."
                    )
                    % {"limit": f"{limit:,}".replace(",", ".")},
                )
                query = self.request.GET.copy()
                query.pop(self.export_trigger_param, None)
                return redirect(f"{self.request.path}?{query.urlencode()}" if query else self.request.path)
            self.log_export(export_format, queryset, row_count)
            return FileResponse(
                export.write_xlsx(rows, self.sheet_title()),
                as_attachment=True,
                filename=filename,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        self.log_export(export_format, queryset, row_count)
        response = StreamingHttpResponse(
            export.csv_chunks(rows),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_table(self):
        """The table and its filtered queryset in the sort asked for, without paging: what an export writes.

        The order ends with the primary key, as the list's pages do (`with_tie_breaker`): rows equal in
        the sort asked for (two persons of the same name) come in the order of the pages, and the same
        whatever plan PostgreSQL chooses for the query (a plain query or a cursor, common/export.py)."""
        table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)  # the sort asked for, no page
        queryset = table.data.data
        return table, with_tie_breaker(queryset) if isinstance(queryset, QuerySet) else queryset

    def sheet_title(self) -> str:
        title = str(self.model._meta.verbose_name_plural).capitalize()
        return "".join(c for c in title if c not in "[]:*?/\\")

    def start_background_export(self, export_format):
        """Export the whole filtered list in the background (casework/tasks.py); the page answers at once,
        and shows the progress until the file can be downloaded (jobs/, "Mijn taken")."""
        back = self.request.get_full_path()
        if export_format not in self.export_formats:
            return HttpResponseBadRequest()
        if insz_search.PARAM in self.request.GET:
            # The INSZ searched for lives in this session only: such a short list is exported directly.
            messages.error(
                self.request, gettext("A search by INSZ number is exported directly, not in the background.")
            )
            return redirect(back)
        filters = filters_as_text(self.request.GET)
        list_name = self.request.resolver_match.view_name
        job = jobs.start(
            user=self.request.user,
            kind="list_export",
            label=gettext("Export of %(list)s (%(format)s)")
            % {"list": self.title or self.model._meta.verbose_name_plural, "format": export_format.upper()},
            task=export_list,
            parameters={
                "path": self.request.path,
                "query": filters,
                "format": export_format,
                "access": {
                    "action": AccessAction.LIST_EXPORTED.value,
                    "list_name": list_name,
                    "export_format": export_format,
                    "filters": filters,
                },
            },
            source_url=back,
        )
        jobs.watch(self.request, job)
        messages.success(
            self.request, gettext("The export runs in the background. You can follow it here or under My tasks.")
        )
        return redirect(back)

    def log_export(self, export_format, queryset, row_count=None):
        """One access-log event per export: the list, the format, the filters as text and the row count.

        The count is counted here unless the rows were read already (`row_count`, a small export)."""
        record_access(
            user=self.request.user,
            action=AccessAction.LIST_EXPORTED,
            list_name=self.request.resolver_match.view_name,
            export_format=export_format,
            filters=filters_as_text(self.request.GET),
            row_count=queryset.order_by().count() if row_count is None else row_count,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or self.model._meta.verbose_name_plural
        style_form(context["filter"].form)
        if self.create_url and role_of(self.request.user) in self.create_roles:
            context["create_url"] = self.create_url
            context["create_label"] = self.create_label
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        context["query_string"] = query.urlencode()
        return context


class RecordFirstMixin:
    """Look the record up before anything else, so that whatever the method, a record outside
    `visible_to` answers 404 (and not, say, 405 for a POST to a read-only page)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and role_of(request.user) in self.roles:
            self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        # Read once per request: the view's get() asks again for the record looked up above.
        if queryset is not None:
            return super().get_object(queryset)
        if not hasattr(self, "_record"):
            self._record = super().get_object()
        return self._record


class CaseDetailView(ReadOnlyRequestMixin, RecordFirstMixin, RoleRequiredMixin, ScopedQuerysetMixin, DetailView):
    """A record the user may see; anything else answers 404."""


def changes_between(newer, older) -> list[dict]:
    """The fields that differ between two historical versions, with readable labels and values."""
    if newer is None or older is None:
        return []
    delta = newer.diff_against(older, excluded_fields=["updated_at", "created_at"])
    model = newer.instance_type
    rows = []
    if hasattr(newer, "insz_digest") and newer.insz_digest != older.insz_digest:
        # The INSZ columns are not editable, so diff_against skips them: compare by digest, show the numbers.

        rows.append(
            {
                "field": _("INSZ number"),
                "old": decrypt_insz(older.insz_encrypted) or "—",
                "new": decrypt_insz(newer.insz_encrypted) or "—",
            }
        )
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        rows.append(
            {
                "field": field.verbose_name,
                "old": _display(field, change.old),
                "new": _display(field, change.new),
            }
        )
    return rows


def _display(field, value):
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):  # many-to-many
        return ", ".join(str(v) for v in value) or "—"
    return value


class VersionedFormMixin:
    """Refuse a save when the record changed since the form was opened (no lost updates).

    The record's `updated_at` travels in the form as a hidden version token;
    on save the row is locked and the token compared inside the transaction.
    """

    version_field = "version"

    def get_initial(self):
        initial = super().get_initial()
        if getattr(self, "object", None) is not None and self.object.pk:
            initial[self.version_field] = self.object.updated_at.isoformat()
        return initial

    def get_form(self, form_class=None):

        form = super().get_form(form_class)
        form.fields[self.version_field] = forms.CharField(widget=forms.HiddenInput, required=False)
        return form

    def check_version(self, form) -> bool:
        """Lock the row and compare versions; on a conflict add the message to the form and return False."""
        current = type(self.object)._default_manager.select_for_update().get(pk=self.object.pk)
        token = form.cleaned_data.get(self.version_field) or ""
        try:
            seen = datetime.datetime.fromisoformat(token)
        except ValueError:
            seen = None
        if seen is not None and seen == current.updated_at:
            return True
        self.conflict = self.describe_conflict(current, seen)
        form.add_error(
            None,
            gettext(
                "Someone else changed this record while you were editing it. Your changes were not saved. "
                "Check what changed meanwhile (below), then save again if your changes still apply."
            ),
        )
        # The next save is measured against the version shown now.
        form.data = form.data.copy()
        form.data[self.version_field] = current.updated_at.isoformat()
        return False

    def describe_conflict(self, current, seen):
        history = current.history.all()
        latest = history.first()
        base = history.filter(updated_at=seen).order_by("-history_date").first() if seen else None
        return {
            "by": getattr(latest, "history_user", None),
            "at": getattr(latest, "history_date", None),
            "changes": changes_between(latest, base),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conflict"] = getattr(self, "conflict", None)
        return context


def suggest_next_step(request, message) -> None:
    """Say what to do next after a save: shown after the confirmation that the record was saved.

    A view that called messages.info() while saving (in get_success_url, say) had its suggestion
    shown above the confirmation, which the form views add last.
    """
    if not hasattr(request, "next_steps"):
        request.next_steps = []
    request.next_steps.append(message)


def confirm(request, message=None) -> None:
    """The confirmation of a save (if any), then the suggested next steps."""
    if message:
        messages.success(request, message)
    for step in getattr(request, "next_steps", ()):
        messages.info(request, step)
    request.next_steps = []


# Fields that only administrators fill in on the screens: the registration date defaults to the day
# of entry; administrators (and imports) may set another (issue 15, point 6).
ADMINISTRATOR_FIELDS = ("registered_on",)


def without_administrator_fields(form, user):
    """Leave out of the form what only an administrator sets, for any other user."""
    if not can(user, "administer"):
        for name in ADMINISTRATOR_FIELDS:
            form.fields.pop(name, None)
    return form


class CaseUpdateView(RoleRequiredMixin, ScopedQuerysetMixin, VersionedFormMixin, UpdateView):
    """Edit a record the user may see, refusing a save over someone else's change."""

    template_name = "casework/form.html"
    success_message = _("The changes were saved.")
    title = None

    def form_valid(self, form):
        with transaction.atomic():
            if not self.check_version(form):
                return self.form_invalid(form)
            try:
                response = self.save_form(form)
            except ValidationError as error:
                form.add_error(None, error)
                return self.form_invalid(form)
        confirm(self.request, self.success_message)
        return response

    def get_form(self, form_class=None):
        return without_administrator_fields(super().get_form(form_class), self.request.user)

    def save_form(self, form):
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or gettext("Edit %(record)s") % {"record": self.object}
        style_form(context["form"])
        context["cancel_url"] = self.get_success_url()
        return context


class CaseFormView(RoleRequiredMixin, FormView):
    """A form that runs one service function (a workflow) and reports what it did."""

    template_name = "casework/form.html"
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_url"] = self.get_cancel_url()
        style_form(context["form"])
        return context

    def get_cancel_url(self):
        return None

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = self.perform(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        confirm(self.request)
        return response

    def perform(self, form):
        raise NotImplementedError


class HistoryView(RecordFirstMixin, RoleRequiredMixin, ScopedQuerysetMixin, DetailView):
    """Who changed what and when, for one record (administrators only)."""

    template_name = "casework/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(self.object.history.select_related("history_user").order_by("-history_date", "-history_id"))
        entries = []
        for index, version in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            entries.append(
                {
                    "version": version,
                    "kind": {"+": _("created"), "~": _("changed"), "-": _("deleted")}[version.history_type],
                    "changes": changes_between(version, previous),
                }
            )
        context["entries"] = entries
        context["title"] = gettext("History of %(record)s") % {"record": self.object}
        return context


class CaseCreateView(RoleRequiredMixin, CreateView):
    """Create a record; errors come back next to their fields with what was typed."""

    template_name = "casework/form.html"
    success_message = _("The record was saved.")
    title = ""
    cancel_url = None

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        confirm(self.request, self.success_message)
        return response

    def get_form(self, form_class=None):
        return without_administrator_fields(super().get_form(form_class), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or gettext("New %(kind)s") % {"kind": self.model._meta.verbose_name}
        context["cancel_url"] = self.cancel_url
        style_form(context["form"])
        return context


class RecordsPersonAccess:
    """A page that shows one person: each opening goes into the access log (a 404 records nothing)."""

    access_action: AccessAction

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_access(user=request.user, action=self.access_action, employee=self.object)
        return response
