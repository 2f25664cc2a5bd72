"""Running saved reports: dates, the cross-table with totals, small-cell suppression and records behind a cell."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone

from accounts.access import sees_identities
from reports.constants import SMALL_CELL_LIMIT, SUPPRESSED, SUPPRESSED_TOTAL
from reports.engine import Context, Result, compute
from reports.measures import MEASURES


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
        """A value as shown and exported, and whether it is suppressed."""
        if value is None:
            return "", False
        if kind == "count" and self.suppress and 0 < value < SMALL_CELL_LIMIT:
            return SUPPRESSED, True
        if kind in ("money", "ratio"):
            return f"{Decimal(value):.2f}", False
        return str(value), False

    def export_value(self, value, key):
        """The value of a cell in an export: a number, money as a string with two decimals, or '<5'."""
        kind = self.result.kind_of(key)
        text, suppressed = self.shown(value, kind)
        if suppressed:
            return SUPPRESSED
        if value is None:
            return None
        if kind in ("money", "ratio"):
            return text
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
                text, suppressed = self.shown(value, kind)
                cells.append(Cell(value=value, shown=text, labels=labels, suppressed=suppressed))
                row_values.append((value, kind, suppressed))
                column_sums[index].append((value, kind, suppressed))
            total = self._total(row_values) if row_totals_allowed and self.column_dimension else None
            shown_labels = [self.display(d, label) for d, label in zip(self.row_dimensions, row_key)]
            body.append({"labels": shown_labels, "cells": cells, "total": total})
        totals = None
        if column_totals_allowed:
            totals = [self._total(values) for values in column_sums]
            grand = None
            if row_totals_allowed and self.column_dimension:
                grand = self._total([v for values in column_sums for v in values])
            totals = {"cells": totals, "total": grand}
        shown_columns = [self.display(self.column_dimension, c) for c in columns] if self.column_dimension else columns
        return {"columns": shown_columns, "rows": body, "totals": totals}

    def _total(self, values):
        kinds = {kind for _v, kind, _s in values}
        if not values or "ratio" in kinds or len(kinds) != 1:
            return ""
        if any(suppressed for _v, _k, suppressed in values):
            return SUPPRESSED_TOTAL
        total = sum((v or 0) for v, _k, _s in values)
        text, suppressed = self.shown(total, kinds.pop())
        return SUPPRESSED_TOTAL if suppressed else text

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


def records_behind(report, run: ReportRun, labels: dict, *, user):
    """The records counted in one cell, limited to what `user` may see (analysts: none)."""

    measure = MEASURES[report.measure]
    if not sees_identities(user) or measure.model is None:
        return measure.model.objects.none() if measure.model else []
    sd = measure.status_dimension
    status = measure.status(labels.get(sd) or report.population or None)
    ctx = context_for(report, as_of=run.as_of, known_at=run.known_at)
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
    # History versions carry the live record's id; the records are shown as they are now.
    model = getattr(qs.model, "instance_type", qs.model)
    return model.objects.visible_to(user).filter(id__in=qs.values("id"))


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
