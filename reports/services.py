"""Running saved reports: dates, the cross-table with totals, small-cell suppression and records behind a cell."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone

from accounts.access import sees_identities
from reports import formatting
from reports.constants import SMALL_CELL_LIMIT, SUPPRESSED, SUPPRESSED_TOTAL
from reports.engine import Context, Result, compute
from reports.measures import MEASURES
from reports.sources import end_of_day


def resolve_dates(
    report, *, as_of: datetime.date | None = None, known_at: datetime.date | None = None
) -> tuple[datetime.date, datetime.date | None]:
    """The dates to run a report for.

    Without dates given, the report's defaults (reference date: today; register:
    now). A reference date given without a register date reads today's register.
    """
    if as_of is None and known_at is None:
        return report.as_of or timezone.localdate(), report.known_at
    return as_of or report.as_of or timezone.localdate(), known_at


def context_for(report, *, as_of: datetime.date, known_at: datetime.date | None) -> Context:
    return Context(
        as_of=as_of,
        known_at=known_at,
        age_bands=report.age_bands,
        period_from=report.period_from,
        period_to=report.period_to,
    )


@dataclass
class Cell:
    value: object
    shown: str
    labels: dict
    suppressed: bool = False
    href: str = ""
    kind: str = "count"  # "count", "money" or "share": how the value is written (ReportRun.display_kind)
    before: object = None  # on a revision: the value as the register stood then
    was: str | None = None  # on a revision: that value as shown, where it changed
    note: object = None  # a published figure that differs from this one (reports.published)


@dataclass
class ReportRun:
    """A report computed for two dates, as a cross-table with totals, ready to show or export."""

    report: object
    as_of: datetime.date
    known_at: datetime.date | None
    result: Result
    suppress: bool
    row_dimensions: list[str] = field(default_factory=list)
    column_dimension: str = ""

    @property
    def dimensions(self):
        return self.result.dimensions

    def shown(self, value, kind) -> tuple[str, bool]:
        """A value as the page shows it (1.234; € 1.234,56; 40 %), and whether it is suppressed.

        `kind` is a display kind (`display_kind`): "count", "money", "share" or "rate" (a median, a figure
        per 100: a number with at most one decimal, never suppressed).
        """
        if value is None:
            return "", False
        if kind == "count" and self.suppress and 0 < value < SMALL_CELL_LIMIT:
            return SUPPRESSED, True
        if kind == "money":
            return formatting.euro(value), False
        if kind == "share":
            return formatting.percent(value), False
        if kind == "rate":
            return formatting.rate(value), False
        return formatting.number(value), False

    def display_kind(self, key) -> str:
        """How a cell is written: "count", "money" (amounts, and ratios of amounts), "rate" (medians and figures
        per 100) or "share" (other ratios)."""
        kind = self.result.kind_of(key)
        if kind != "ratio":
            return kind
        status = self.result.status_dimension
        code = key[self.dimensions.index(status)] if status in self.dimensions else self.result.population
        figure = MEASURES[self.report.measure].status(code)
        if figure.money:
            return "money"
        return "rate" if figure.per_hundred or figure.aggregate.startswith("median:") else "share"

    def export_value(self, value, key):
        """The value of a cell in an export: a number, money as a string with two decimals, or '<5'."""
        kind = self.result.kind_of(key)
        if value is None:
            return None
        if kind == "count" and self.suppress and 0 < value < SMALL_CELL_LIMIT:
            return SUPPRESSED
        if kind in ("money", "ratio"):
            return f"{Decimal(value):.2f}"
        return value

    def rows(self):
        """(labels by dimension, exported value) per cell, no totals."""
        for labels, value in self.result.rows():
            key = tuple(labels[d] for d in self.dimensions)
            yield labels, self.export_value(value, key)

    def column_labels(self):
        return self.result.labels[self.column_dimension] if self.column_dimension else [""]

    def display(self, dimension: str, label: str) -> str:
        """How a label is shown on the page: a figure by its name, other labels as exported."""
        if dimension == self.result.status_dimension:
            measure = MEASURES[self.report.measure]
            try:
                return str(measure.status(label).label)
            except KeyError:
                return label
        return label

    def table(self):
        """The cross-table: header, body rows with row totals, and the totals row.

        No total is given across the status dimension (its figures do not add
        up) nor of ratios; a total that sums a suppressed cell is suppressed too.
        """
        result = self.result
        columns = self.column_labels()
        row_keys = list(itertools.product(*(result.labels[d] for d in self.row_dimensions)))
        status = result.status_dimension
        row_totals_allowed = self.column_dimension != status
        column_totals_allowed = status not in self.row_dimensions
        body = []
        column_sums = [[] for _ in columns]
        for row_key in row_keys:
            cells = []
            row_values = []
            for index, column in enumerate(columns):
                labels = dict(zip(self.row_dimensions, row_key))
                if self.column_dimension:
                    labels[self.column_dimension] = column
                key = tuple(labels[d] for d in self.dimensions)
                value = result.value(key)
                kind = result.kind_of(key)
                shown_kind = self.display_kind(key)
                text, suppressed = self.shown(value, shown_kind)
                cells.append(Cell(value=value, shown=text, labels=labels, suppressed=suppressed, kind=shown_kind))
                row_values.append((value, kind, suppressed))
                column_sums[index].append((value, kind, suppressed))
            total, total_value = (None, None)
            if row_totals_allowed and self.column_dimension:
                total, total_value = self._total(row_values)
            shown_labels = [self.display(d, label) for d, label in zip(self.row_dimensions, row_key)]
            body.append(
                {
                    "labels": shown_labels,
                    "keys": list(row_key),
                    "cells": cells,
                    "total": total,
                    "total_value": total_value,
                }
            )
        totals = None
        if column_totals_allowed:
            sums = [self._total(values) for values in column_sums]
            grand = grand_value = None
            if row_totals_allowed and self.column_dimension:
                grand, grand_value = self._total([v for values in column_sums for v in values])
            totals = {
                "cells": [text for text, _value in sums],
                "values": [value for _text, value in sums],
                "total": grand,
                "total_value": grand_value,
            }
        shown_columns = [self.display(self.column_dimension, c) for c in columns] if self.column_dimension else columns
        keys = columns if self.column_dimension else []
        return {"columns": shown_columns, "column_keys": keys, "rows": body, "totals": totals}

    def _total(self, values) -> tuple[str, object]:
        """A total as shown, and as a number (None when there is none or it is suppressed)."""
        kinds = {kind for _v, kind, _s in values}
        if not values or "ratio" in kinds or len(kinds) != 1:
            return "", None
        if any(suppressed for _v, _k, suppressed in values):
            return SUPPRESSED_TOTAL, None
        total = sum((v or 0) for v, _k, _s in values)
        text, suppressed = self.shown(total, kinds.pop())
        return (SUPPRESSED_TOTAL, None) if suppressed else (text, total)

    def chart(self):
        """Bars for the chart: one per row (its total, or its value in a one-column table), scaled to 100."""
        table = self.table()
        bars = []
        for row in table["rows"]:
            if self.column_dimension:
                values = [c.value for c in row["cells"] if not c.suppressed and isinstance(c.value, (int, Decimal))]
                value = sum(values) if values and row["total"] not in ("", SUPPRESSED_TOTAL) else None
            else:
                cell = row["cells"][0]
                value = None if cell.suppressed or cell.value is None else cell.value
            bars.append({"label": " · ".join(row["labels"]) or "—", "value": value})
        top = max((b["value"] for b in bars if b["value"]), default=0)
        for index, bar in enumerate(bars):
            percent = float(100 * bar["value"] / top) if top and bar["value"] else 0.0
            bar["y"] = index * 24
            bar["text_y"] = index * 24 + 14
            # The bar runs from 40 % to at most 92 % of the chart's width; the value follows it.
            bar["width"] = f"{percent * 0.52:.1f}"
            bar["value_x"] = f"{40 + percent * 0.52 + 1:.1f}"
            bar["shown"] = "" if bar["value"] is None else str(bar["value"])
        return {"bars": bars, "height": len(bars) * 24 + 4}


def run_report(report, *, as_of=None, known_at=None) -> ReportRun:
    """Compute a saved report (or an unsaved one built on the page) for the given or default dates."""
    as_of, known_at = resolve_dates(report, as_of=as_of, known_at=known_at)
    measure = MEASURES[report.measure]
    result = compute(
        measure,
        context_for(report, as_of=as_of, known_at=known_at),
        dimensions=report.dimensions,
        population=report.population or None,
        filters=report.filters,
        fixed_labels=report.fixed_labels,
    )
    return ReportRun(
        report=report,
        as_of=as_of,
        known_at=known_at,
        result=result,
        suppress=report.suppress_small_cells,
        row_dimensions=list(report.row_dimensions),
        column_dimension=report.column_dimension,
    )


def _units(report, status, ctx, labels: dict):
    """The units of one figure of a report, limited to its filters and to the cell `labels` (live records
    when ctx.known_at is None, history versions otherwise)."""
    measure = MEASURES[report.measure]
    sd = measure.status_dimension
    exprs = status.dimensions or {d.name: d.expr for d in measure.dimensions}
    qs = (status.units or measure.units)(ctx)
    names = [d for d in labels if d != sd and d in exprs] + [f for f in report.filters if f in exprs]
    qs = qs.annotate(**{f"d_{name}": exprs[name](ctx) for name in set(names)})
    for name, label in labels.items():
        if name != sd and name in exprs:
            qs = qs.filter(**{f"d_{name}": label})
    for name, kept in report.filters.items():
        if name in exprs and kept:
            qs = qs.filter(**{f"d_{name}__in": list(kept)})
    if status.condition:
        qs = qs.filter(status.condition(ctx))
    return qs


def records_behind(report, run: ReportRun, labels: dict, *, user):
    """The records counted in one cell, limited to what `user` may see (analysts: none)."""

    measure = MEASURES[report.measure]
    if not sees_identities(user) or measure.model is None:
        return measure.model.objects.none() if measure.model else []
    status = measure.status(labels.get(measure.status_dimension) or report.population or None)
    ctx = context_for(report, as_of=run.as_of, known_at=run.known_at)
    qs = _units(report, status, ctx, labels)
    # History versions carry the live record's id; the records are shown as they are now.
    model = getattr(qs.model, "instance_type", qs.model)
    return model.objects.visible_to(user).filter(id__in=qs.values("id"))


@dataclass
class Revision:
    """A report as the register stood on its date (`then`) beside the same reference date as known today."""

    then: ReportRun
    now: ReportRun
    table: dict  # today's cross-table; a cell that changed carries the value of then in `was`
    changed: int  # cells that changed
    late: int  # records counted today that were registered after the register date
    corrected: int  # records counted today, registered by then, changed after it


def late_records(report, *, as_of: datetime.date, known_at: datetime.date, figures=None) -> tuple[int, int]:
    """(registered late, corrected later): the records a report counts today at `as_of` that were registered
    after `known_at`, and those registered by then whose values changed after it (history after that day).

    `figures`: the status codes the report lists (by default all of its measure's, or its one figure).
    """
    measure = MEASURES[report.measure]
    if measure.status_dimension in report.dimensions:
        status_codes = figures or [s.code for s in measure.statuses]
    else:
        status_codes = [report.population or measure.statuses[0].code]
    ctx = context_for(report, as_of=as_of, known_at=None)
    late, corrected = set(), set()
    for code in status_codes:
        status = measure.status(code)
        if status.ratio:
            continue
        units = _units(report, status, ctx, {})
        model = units.model
        if not hasattr(model, "history"):
            continue
        ids = units.values("id")
        registered = any(f.name == "registered_on" for f in model._meta.get_fields())
        changed = model.history.filter(id__in=ids, history_type="~", history_date__gt=end_of_day(known_at))
        if registered:
            found = model.objects.filter(id__in=ids, registered_on__gt=known_at).values_list("id", flat=True)
            late.update((model, pk) for pk in found)
            changed = changed.filter(registered_on__lte=known_at)
        corrected.update((model, pk) for pk in changed.values_list("id", flat=True).distinct())
    return len(late), len(corrected)


def revise(run: ReportRun) -> Revision | None:
    """The run read again with today's knowledge of its reference date, the changed cells marked; None when the
    run already reads today's register."""
    if run.known_at is None or run.known_at >= timezone.localdate():
        return None
    now = run_report(run.report, as_of=run.as_of, known_at=None)
    table = now.table()
    changed = 0
    for row in table["rows"]:
        for cell in row["cells"]:
            key = tuple(cell.labels[d] for d in now.dimensions)
            before = run.result.value(key) if _has_labels(run.result, cell.labels) else None
            cell.before = before
            if (before or 0) != (cell.value or 0):
                cell.was = run.shown(before, cell.kind)[0] or "0"
                changed += 1
    figures = now.result.labels.get(now.result.status_dimension)
    late, corrected = late_records(run.report, as_of=run.as_of, known_at=run.known_at, figures=figures)
    return Revision(then=run, now=now, table=table, changed=changed, late=late, corrected=corrected)


def _has_labels(result: Result, labels: dict) -> bool:
    return all(label in result.labels.get(dimension, ()) for dimension, label in labels.items())


# What to load with each kind of record behind a cell, so that a page of them costs one query.
_RELATED = {
    "Evaluation": ("employee", "advice", "employer"),
    "Trajectory": ("employee", "partner"),
    "Internship": ("trajectory__employee", "trajectory__partner", "host"),
    "Employment": ("employee", "employer"),
    "Grant": ("call", "partner"),
}
# The date each kind of record is counted by, shown beside it.
_DATE_FIELDS = ("evaluation_date", "start_date")


@dataclass
class RecordLine:
    """One record behind a cell as the page lists it: the person and the record, each with its own page."""

    kind: str
    record: object
    person: object = None
    person_url: str = ""
    record_url: str = ""
    day: datetime.date | None = None


def ordered_records(records):
    """The records behind a cell with what their lines show, in the model's order (ties by id)."""
    model = records.model
    ordering = [*(model._meta.ordering or []), "pk"]
    return records.select_related(*_RELATED.get(model.__name__, ())).order_by(*ordering)


def record_line(record) -> RecordLine:
    """Links to the application's own pages: the person's page and the record's (an internship's is its
    trajectory's page); never the Django admin. A record without a page of its own is listed unlinked."""
    person = getattr(record, "employee", None)
    if person is None and hasattr(record, "trajectory"):
        person = record.trajectory.employee
    day = next((getattr(record, name) for name in _DATE_FIELDS if _has(record, name)), None)
    return RecordLine(
        kind=str(record._meta.verbose_name),
        record=record,
        person=person,
        person_url=reverse("employees:detail", args=[person.pk]) if person is not None else "",
        record_url=record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
        day=day,
    )


def _has(record, name: str) -> bool:
    try:
        record._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
