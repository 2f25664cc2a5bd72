"""The report engine: a measure counted by the database, broken down by its dimensions.

A measure counts units (evaluations, persons, trajectories, grants...) as of a
reference date `as_of` D, from the register as it stood at `known_at` K (see
`reports.sources`). Each dimension is a database expression that yields the
label of a unit (`onbekend` when the value is missing), so grouping, filtering
and counting all happen in one aggregate query per group of statuses: the
number of queries never depends on the number of records.

A measure has one or more *statuses* (the rows of the status tables of the
ministerial answer, such as `advised_ready` / `at_work`): each is an aggregate
over a queryset of units, optionally restricted by a condition. A report either
breaks all statuses down (the `status` dimension) or counts one of them (its
population).
"""

import dataclasses
import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual

from common import age_bands
from common.dates import years_before
from common.provinces import FLEMISH_PROVINCES, Province
from employees.models import Employee
from reports import statements
from reports.functions import Median
from reports.sources import records_at

UNKNOWN = "onbekend"
STATUS = "status"
CENT = Decimal("0.01")

DEFAULT_AGE_BANDS = age_bands.DEFAULT.key


@dataclass
class Context:
    """What a report is computed for: the two dates, the age bands and the period of the counted date."""

    as_of: datetime.date
    known_at: datetime.date | None = None
    age_bands: str = DEFAULT_AGE_BANDS
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None

    def records(self, model, *, registered: bool = True):
        return records_at(model, self.known_at, registered=registered)

    @property
    def bands(self):
        """(lowest age, code) of each band of the report's scheme (common/age_bands.py)."""
        return [(band.lowest, band.code) for band in age_bands.SCHEMES[self.age_bands].bands]

    def in_period(self, date_field: str) -> Q:
        """The counted date on or before D and within the period; an unknown date always passes."""
        known = Q(**{f"{date_field}__lte": self.as_of})
        if self.period_from:
            known &= Q(**{f"{date_field}__gte": self.period_from})
        if self.period_to:
            known &= Q(**{f"{date_field}__lte": self.period_to})
        return Q(**{f"{date_field}__isnull": True}) | known


# --- dimension expressions -------------------------------------------------


def label_or_unknown(path: str):
    """A text field as label, `onbekend` when null or empty."""
    label = Case(
        When(Q(**{f"{path}__isnull": True}) | Q(**{path: ""}), then=Value(UNKNOWN)),
        default=Cast(path, CharField()),
        output_field=CharField(),
    )
    label.field_path = path  # a filter on known labels can test the field itself (see `_filter_on_labels`)
    return label


def _filter_on_labels(qs, name: str, expression, labels):
    """Keep the units whose label of dimension `name` is one of `labels`.

    A label that is the field's own value (`label_or_unknown`) is filtered on the field when
    `onbekend` is not kept: `call__number IN ('432')` instead of `CASE ... END IN ('432')`, which
    the planner cannot estimate (it took a call's trajectories for far fewer than they are and
    chose nested loops, docs/benchmarks.md).
    """
    path = getattr(expression, "field_path", None)
    if path and UNKNOWN not in labels and "" not in labels:
        return qs.filter(**{f"{path}__in": list(labels)})
    return qs.filter(**{f"d_{name}__in": list(labels)})


def number_or_unknown(path: str):
    """A number field as label ("2019"), `onbekend` when null."""
    return Coalesce(Cast(path, CharField()), Value(UNKNOWN), output_field=CharField())


def year_of(path: str):
    """The calendar year of a date as a string ("2019"), or `onbekend`."""
    return Coalesce(Cast(ExtractYear(path), CharField()), Value(UNKNOWN), output_field=CharField())


def province_of(path: str):
    """The province name of a stored province code, `onbekend` when blank."""
    return Case(
        *[When(**{path: code}, then=Value(label)) for code, label in Province.choices],
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def age_band_of(ctx: Context, *, age_path: str | None, birth_path: str, date_path: str | None):
    """The age band from a stored age; where the counted date is unknown, from the birth date on D.

    Without a stored age field (age_path None), the age on the counted date is
    computed from the birth date in the database.
    """
    bands = ctx.bands
    whens = []
    if age_path:
        for lowest, label in reversed(bands):
            whens.append(When(**{f"{age_path}__gte": lowest}, then=Value(label)))
    else:
        before_birthday = Case(
            When(
                Q(**{f"{date_path}__month__lt": ExtractMonth(birth_path)})
                | Q(
                    **{f"{date_path}__month": ExtractMonth(birth_path), f"{date_path}__day__lt": ExtractDay(birth_path)}
                ),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
        age = ExtractYear(date_path) - ExtractYear(birth_path) - before_birthday
        for lowest, label in reversed(bands):
            whens.append(When(GreaterThanOrEqual(age, lowest), then=Value(label)))
    # Counted date unknown: the age on D, by comparing the birth date with D minus the band's lowest age.
    if date_path and age_path:
        # Only the units without a stored age and without a date need the person: their band is read by one
        # correlated subquery each, only when the CASE reaches it. Read through the join, the person of every
        # unit was looked up (56,000 index probes into the widest table for 2,600 undated evaluations: a third
        # of q1_ready_by_instrument_age_year at a million persons, issue 17).
        whens.append(When(**{f"{date_path}__isnull": True}, then=_band_on_d_of_person(ctx, birth_path)))
    elif date_path:
        unknown_date = Q(**{f"{date_path}__isnull": True, f"{birth_path}__isnull": False})
        for lowest, label in reversed(bands):
            whens.append(
                When(
                    unknown_date & Q(**{f"{birth_path}__lte": years_before(ctx.as_of, lowest)}),
                    then=Value(label),
                )
            )
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


def _band_on_d_of_person(ctx: Context, birth_path: str):
    """The age band on D of the person (an Employee) `birth_path` leads to ("employee__birth_date"), by their
    birth date; `onbekend` without a person or a birth date, as in the join it replaces."""
    person, field_name = birth_path.rsplit("__", 1)
    band = Case(
        *[
            When(**{f"{field_name}__lte": years_before(ctx.as_of, lowest)}, then=Value(label))
            for lowest, label in reversed(ctx.bands)
        ],
        default=Value(None),
        output_field=CharField(),
    )
    found = Employee._base_manager.filter(pk=OuterRef(person)).order_by().values(_band=band)
    return Coalesce(Subquery(found, output_field=CharField()), Value(UNKNOWN), output_field=CharField())


# --- measures ---------------------------------------------------------------


@dataclass
class Dimension:
    name: str
    label: str
    expr: Callable  # (ctx) -> expression yielding the label
    default_labels: Callable | None = None  # (ctx) -> labels always listed


@dataclass(frozen=True)
class KeyedLabel:
    """How to label a dimension after grouping: the units are grouped by the ids in `columns` (paths on
    the units), and `labels` names each combination of ids found ({ids: label}; missing: `onbekend`).

    A dimension's expression carries one as its `keyed` attribute when its label is text read from
    related records (`reports.units.spell_employer`): see `_keyed_dimensions`."""

    columns: tuple[str, ...]
    labels: Callable  # (set of id tuples) -> {id tuple: label}


@dataclass(frozen=True)
class Formula:
    """Yes/no facts of a unit (a measure's Flags) combined with `&`, `|` and `~`: the one definition of a
    flagged figure. The engine reads it two ways: as SQL on the units (`q`, which also selects the
    records behind a cell) and on the facts found per unit (`holds`, to add up combinations in Python).
    """

    op: str  # "fact", "and", "or" or "not"
    args: tuple

    def __and__(self, other):
        return Formula("and", (self, other))

    def __or__(self, other):
        return Formula("or", (self, other))

    def __invert__(self):
        return Formula("not", (self,))

    def holds(self, facts: dict) -> bool:
        if self.op == "fact":
            return facts[self.args[0]]
        if self.op == "not":
            return not self.args[0].holds(facts)
        found = [arg.holds(facts) for arg in self.args]
        return all(found) if self.op == "and" else any(found)

    def q(self, flags, ctx) -> Q:
        if self.op == "fact":
            return flags.condition(self.args[0], ctx)
        if self.op == "not":
            return ~self.args[0].q(flags, ctx)
        left, right = (arg.q(flags, ctx) for arg in self.args)
        return left & right if self.op == "and" else left | right


def fact(name: str) -> Formula:
    """One fact of the measure's Flags, by name."""
    return Formula("fact", (name,))


@dataclass
class Status:
    """One figure of a measure: an aggregate over units, possibly restricted by a condition.

    A figure is restricted either by a `condition` (a Q on the units) or, on a measure with Flags, by a
    `formula` of the flags' facts, from which the measure derives its condition.
    """

    code: str
    label: str
    units: Callable | None = None  # (ctx) -> queryset; None: the measure's units
    condition: Callable | None = None  # (ctx) -> Q on the units
    aggregate: str = "count"  # "count", "count_persons", "sum:<expression name>" or "median:<expression name>"
    money: bool = False
    ratio: tuple[str, str] | None = None  # (numerator, denominator) statuses
    dimensions: dict | None = None  # name -> (ctx) -> expression, for units of another model
    formula: Formula | None = None  # the facts of the measure's Flags that the figure counts
    per_hundred: bool = False  # a ratio given per 100 units of its denominator ("per 100 workers")

    @property
    def kind(self) -> str:
        """How the figure is shown: "count"; "money"; "ratio" (two decimals, never summed nor suppressed),
        which a median and a figure per 100 are too."""
        if self.ratio or self.aggregate.startswith("median:"):
            return "ratio"
        return "money" if self.money else "count"


@dataclass
class Flags:
    """Yes/no facts of a unit that its measure's conditions are made of, each computed once per unit.

    `unit` facts are conditions on the unit's own columns; `related` facts are
    conditions on the records of `related(ctx)` (a queryset correlated with the
    unit through OuterRef, such as the person's employment spells), all packed
    into one correlated subquery that sums one bit per fact. The engine then
    counts units per combination of facts and adds up, in Python, the
    combinations each status's `formula` accepts: one probe per unit where the
    conditions written as EXISTS take one per fact and per status that uses it.
    The same formula, read as SQL (`Formula.q`), selects the units of a single
    figure and the records behind a cell.
    """

    unit: dict = field(default_factory=dict)  # name -> (ctx) -> Q on the unit
    related: Callable | None = None  # (ctx) -> queryset correlated with the unit
    related_facts: dict = field(default_factory=dict)  # name -> (ctx) -> Q on `related`

    def condition(self, name: str, ctx) -> Q:
        """One fact as a condition on the units: a unit fact itself, a related fact as EXISTS."""
        if name in self.unit:
            return self.unit[name](ctx)
        return Q(Exists(self.related(ctx).filter(self.related_facts[name](ctx))))

    def annotations(self, ctx) -> dict:
        # The unit facts as the bits of one number: the units are grouped by two columns, not by one per
        # fact (the pathway's 13 facts made PostgreSQL sort 120,000 persons on 14 keys, issue 17).
        found = {}
        if self.unit:
            bits = [Case(When(q(ctx), then=Value(1 << i)), default=Value(0)) for i, q in enumerate(self.unit.values())]
            mask = bits[0]
            for bit in bits[1:]:
                mask = mask + bit
            found["f_unit"] = ExpressionWrapper(mask, output_field=IntegerField())
        if self.related_facts:
            bits = [
                Max(Case(When(q(ctx), then=Value(1 << index)), default=Value(0)))
                for index, q in enumerate(self.related_facts.values())
            ]
            mask = bits[0]
            for bit in bits[1:]:
                mask = mask + bit
            related = self.related(ctx).order_by().values(_group=Value(1)).annotate(mask=mask).values("mask")
            found["f_related"] = Coalesce(Subquery(related), Value(0))
        return found

    def decode(self, row) -> dict:
        facts = {name: bool(row["f_unit"] & (1 << index)) for index, name in enumerate(self.unit)} if self.unit else {}
        if self.related_facts:
            mask = row["f_related"]
            facts.update({name: bool(mask & (1 << index)) for index, name in enumerate(self.related_facts)})
        return facts


@dataclass
class Measure:
    code: str
    label: str
    description: str
    units: Callable  # (ctx) -> queryset of units
    dimensions: list[Dimension]
    statuses: list[Status]
    model: type | None = None  # the live model behind the units (for drill-down)
    sums: dict = field(default_factory=dict)  # name -> (ctx) -> expression to sum
    status_dimension: str = STATUS  # the name of the dimension whose labels are the statuses
    flags: Flags | None = None  # the facts its statuses' formulas read

    def __post_init__(self):
        """Each figure written as a formula gets its condition from it (its SQL reading)."""
        if self.flags is None:
            return  # a copy without flags (tests) keeps the conditions its original derived
        self.statuses = [
            dataclasses.replace(status, condition=partial(status.formula.q, self.flags)) if status.formula else status
            for status in self.statuses
        ]

    def dimension(self, name: str) -> Dimension:
        for dim in self.dimensions:
            if dim.name == name:
                return dim
        raise KeyError(name)

    def status(self, code: str | None) -> Status:
        if not code:
            return self.statuses[0]
        for status in self.statuses:
            if status.code == code:
                return status
        raise KeyError(code)

    @property
    def dimension_names(self):
        return [self.status_dimension] + [d.name for d in self.dimensions]


@dataclass
class Result:
    """A computed report: the labels of each dimension, in order, and the value of every cell."""

    dimensions: list[str]
    labels: dict[str, list[str]]
    cells: dict[tuple, object]
    kinds: dict[str, str]  # status code -> "count", "money" or "ratio"
    population: str = ""
    status_dimension: str = STATUS

    def rows(self):
        """(labels by dimension, value) per cell, in label order: the cartesian product of the labels."""
        for key in itertools.product(*(self.labels[d] for d in self.dimensions)):
            yield dict(zip(self.dimensions, key)), self.value(key)

    def kind_of(self, key: tuple) -> str:
        if self.status_dimension in self.dimensions:
            return self.kinds[key[self.dimensions.index(self.status_dimension)]]
        return self.kinds[self.population]

    def value(self, key: tuple):
        if key in self.cells:
            return self.cells[key]
        kind = self.kind_of(key)
        if kind == "ratio":
            return None
        return Decimal("0.00") if kind == "money" else 0


def _natural_order(labels: set) -> list[str]:
    """Labels sorted, `onbekend` last."""
    known = sorted(label for label in labels if label != UNKNOWN)
    return known + ([UNKNOWN] if UNKNOWN in labels else [])


@dataclass
class _Request:
    """What `compute` was asked: the figures shown, those needed to compute them, the other dimensions."""

    measure: Measure
    ctx: Context
    dimensions: list[str]
    others: list[str]  # the dimensions other than the statuses
    filters: dict
    fixed_labels: dict
    statuses: list[Status]  # the figures shown
    needed: list[Status]  # and the numerators and denominators of their ratios

    @property
    def by_status(self) -> bool:
        return self.measure.status_dimension in self.dimensions


def compute(
    measure: Measure,
    ctx: Context,
    *,
    dimensions: list[str],
    population: str | None = None,
    filters: dict | None = None,
    fixed_labels: dict | None = None,
) -> Result:
    """Count `measure` for `ctx`, broken down by `dimensions`, in a fixed number of queries.

    Three steps: the figures are grouped by the units they count (one query per group, built by
    `_group_query`), each query is run and its rows added to the values (`_count_group`), and the
    table is assembled with its labels in order (`_assemble`).
    """
    request = _request(measure, ctx, dimensions, population, filters, fixed_labels)
    values: dict[str, dict[tuple, object]] = {}
    seen = {d: set() for d in request.others}
    groups: dict[tuple, list[Status]] = {}
    for status in request.needed:
        if not status.ratio:
            groups.setdefault((status.units, id(status.dimensions)), []).append(status)
    for (units, _dims), members in groups.items():
        _count_group(request, units, members, values, seen)
    _add_ratios(request.needed, values)
    return _assemble(request, values, seen)


def _request(measure, ctx, dimensions, population, filters, fixed_labels) -> _Request:
    filters = {k: v for k, v in (filters or {}).items() if v}
    fixed_labels = fixed_labels or {}
    sd = measure.status_dimension
    if sd in dimensions:
        wanted = fixed_labels.get(sd) or [s.code for s in measure.statuses]
        statuses = [measure.status(code) for code in wanted]
    else:
        statuses = [measure.status(population)]
    needed = list(statuses)
    for status in statuses:
        for code in status.ratio or ():
            if measure.status(code) not in needed:
                needed.append(measure.status(code))
    others = [d for d in dimensions if d != sd]
    return _Request(measure, ctx, list(dimensions), others, filters, fixed_labels, statuses, needed)


def _count_group(request: _Request, units, members: list[Status], values: dict, seen: dict) -> None:
    """Run the query of one group of figures over the same units and add its rows to `values`."""
    measure = request.measure
    single = not request.by_status and len(members) == 1
    for status in members:
        values.setdefault(status.code, {})
    # One figure alone (not broken down by status) filters by its condition: one probe per unit already.
    by_flags = (
        bool(measure.flags)
        and not single
        and any(s.formula for s in members)
        and all((s.formula or not s.condition) and s.aggregate == "count" for s in members)
    )
    key = statements.key_of(
        measure.code,
        tuple(status.code for status in members),
        tuple(request.others),
        tuple(sorted((name, tuple(labels)) for name, labels in request.filters.items())),
        single,
        by_flags,
        dataclasses.astuple(request.ctx),
    )
    keyed = _keyed_dimensions(request, units, members, by_flags)
    rows = statements.rows(key, partial(_group_query, request, units, members, single, by_flags, keyed))
    rows = _label_keyed_rows(rows, keyed, additive=_additive(members, by_flags))
    if rows is None:
        # Two groups of ids with the same label, for a figure that does not add up (persons): group by the
        # label itself (one more query, only then).
        rows = statements.rows((*key, "by label"), partial(_group_query, request, units, members, single, by_flags, {}))
    if by_flags:
        _add_up_flags(measure.flags, rows, request.others, members, single, values, seen)
        return
    for row in rows:
        cell = tuple(row[f"d_{d}"] for d in request.others)
        for d, label in zip(request.others, cell, strict=True):
            seen[d].add(label)
        for status in members:
            value = row[f"s_{status.code}"]
            if (status.money or status.kind == "ratio") and value is not None:
                value = Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
            values[status.code][cell] = value


# Per measure, group of figures and dimensions: the dimensions grouped by a related record's id (see below).
_KEYED: dict = {}


def _keyed_dimensions(request: _Request, units, members: list[Status], by_flags: bool) -> dict:
    """The dimensions labelled by a related record's text (`partner__name`) to group by that record's id,
    {name: (path of the id, related model, field)}; the names are looked up after grouping.

    Grouping by the label joins every organisation to every unit before grouping them; grouping by
    the partner's id needs no join, and the few hundred names are read afterwards (issue 17: q2a was
    1.5 times the hand-written SQL). Two records with the same name still give one label, their
    figures added: so only for figures that add up (counts and sums), and never for a dimension
    that is also filtered on. A dimension whose expression carries a `KeyedLabel` (`keyed`) is grouped by
    its ids for any figure: persons counted per group of ids are added up only when each label has one
    group (else `_count_group` groups by the label).
    """
    additive = _additive(members, by_flags)
    measure, ctx = request.measure, request.ctx
    cache_key = (
        measure.code,
        tuple(s.code for s in members),
        tuple(request.others),
        tuple(sorted(request.filters)),
        ctx.known_at is None,
        units is None,
    )
    if cache_key not in _KEYED:
        exprs = members[0].dimensions or {d.name: d.expr for d in measure.dimensions}
        model = (units or measure.units)(ctx).model
        keyed = {}
        for name in request.others:
            if name in request.filters or name not in exprs:
                continue
            expression = exprs[name](ctx)
            found = getattr(expression, "keyed", None)
            if found is None and additive:
                found = _related_label(model, getattr(expression, "field_path", None))
            if found:
                keyed[name] = found
        if len(_KEYED) > 1024:  # a bound, as for the kept statements (reports/statements.py)
            _KEYED.clear()
        _KEYED[cache_key] = keyed
    return _KEYED[cache_key]


def _related_label(model, path: str | None):
    """(path of the related record, its model, its text field) when `path` ends in a to-one relation's field."""
    if not path or "__" not in path:
        return None
    relation, field_name = path.rsplit("__", 1)
    related = model
    for bit in relation.split("__"):
        try:
            step = related._meta.get_field(bit)
        except FieldDoesNotExist:
            return None
        if not (step.many_to_one or step.one_to_one) or step.related_model is None:
            return None
        related = step.related_model
    if related is Employee:
        # A person's field (gender): grouping by the person's id makes a group per person, whose labels
        # are then read by as many ids; the join is far cheaper (6 times at a million persons, issue 17).
        return None
    try:
        if related._meta.get_field(field_name).is_relation:
            return None
    except FieldDoesNotExist:
        return None
    return KeyedLabel(columns=(relation,), labels=partial(_texts_of, related, field_name))


def _texts_of(model, field_name: str, keys: set) -> dict:
    """{(pk,): text} of the records of `model` with these keys, leaving out empty texts.

    One query even without keys (-1 is no record's), so that the number of queries never depends
    on the records (tests/reports/test_views.py)."""
    ids = {pk for (pk,) in keys} - {None}
    found = model._base_manager.filter(pk__in=ids or [-1]).values_list("pk", field_name)
    return {(pk,): str(text) for pk, text in found if text not in (None, "")}


def _additive(members: list[Status], by_flags: bool) -> bool:
    """The figures add up over groups (counts and sums), where persons counted per group do not."""
    return by_flags or all(s.aggregate == "count" or s.aggregate.startswith("sum:") for s in members)


def _key_column(name: str, index: int) -> str:
    return f"k_{name}_{index}"


def _label_keyed_rows(rows, keyed: dict, *, additive: bool = True) -> list | None:
    """The grouped rows with each keyed dimension's ids replaced by its label (`onbekend` for none),
    rows that then have the same labels and facts added up; None when figures that do not add up
    would have to be (two groups of ids with one label)."""
    if not keyed:
        return rows
    keys = {
        name: [tuple(row[_key_column(name, i)] for i in range(len(k.columns))) for row in rows]
        for name, k in keyed.items()
    }
    labels = {name: k.labels(set(keys[name])) for name, k in keyed.items()}
    merged: dict = {}
    for index, row in enumerate(rows):
        row = {k: v for k, v in row.items() if not k.startswith("k_")}
        for name in keyed:
            row[f"d_{name}"] = labels[name].get(keys[name][index], UNKNOWN)
        cell = tuple((k, v) for k, v in row.items() if k.startswith(("d_", "f_")))
        if cell not in merged:
            merged[cell] = row
            continue
        if not additive:
            return None
        kept = merged[cell]
        for column, value in row.items():
            if column.startswith("s_") or column == "_n":
                kept[column] = (
                    value if kept[column] is None else kept[column] if value is None else kept[column] + value
                )
    return list(merged.values())


def _group_query(request: _Request, units, members: list[Status], single: bool, by_flags: bool, keyed: dict):
    """The query of a group of figures: its units, labelled, filtered, grouped and counted."""
    measure, ctx, others = request.measure, request.ctx, request.others
    exprs = members[0].dimensions or {d.name: d.expr for d in measure.dimensions}
    qs = (units or measure.units)(ctx)
    # In a fixed order (not a set's, which differs between processes): the same report gives the same SQL
    # in every worker, and so one entry in a cache they share (common/kept.py).
    used = list(dict.fromkeys([*others, *request.filters]))
    annotations = {f"d_{name}": exprs[name](ctx) for name in used if name in exprs and name not in keyed}
    for name, found in keyed.items():
        annotations.update({_key_column(name, i): F(column) for i, column in enumerate(found.columns)})
    qs = qs.annotate(**annotations)
    for name, labels in request.filters.items():
        if name in exprs:
            qs = _filter_on_labels(qs, name, annotations[f"d_{name}"], labels)
    groups = [
        column
        for d in others
        for column in ([_key_column(d, i) for i in range(len(keyed[d].columns))] if d in keyed else [f"d_{d}"])
    ]
    if by_flags:
        qs = qs.annotate(**measure.flags.annotations(ctx))
        facts = [name for name in qs.query.annotations if name.startswith("f_")]
        return qs.order_by().values(*groups, *facts).annotate(_n=Count("id"))
    if single and members[0].condition:
        # One figure: its condition selects the units, so only labels it counts are seen.
        qs = qs.filter(members[0].condition(ctx))
    aggregates = {f"s_{status.code}": _aggregate(measure, ctx, status, single) for status in members}
    if others:
        return qs.order_by().values(*groups).annotate(**aggregates)
    # No dimension: a constant, which Django leaves out of GROUP BY, so that there is one row even
    # over no units, as aggregate() gives (values() without fields would group by every column).
    return qs.order_by().annotate(_all=Value(1, output_field=IntegerField())).values("_all").annotate(**aggregates)


def _aggregate(measure: Measure, ctx: Context, status: Status, single: bool):
    condition = status.condition(ctx) if status.condition and not single else None
    if status.aggregate == "count":
        return Count("id", filter=condition)
    if status.aggregate == "count_persons":
        return Count("employee_id", filter=condition, distinct=True)
    kind, name = status.aggregate.split(":", 1)
    expression = measure.sums[name](ctx)
    if kind == "median":
        return Median(expression, filter=condition)
    return Sum(expression, filter=condition)


def _add_ratios(needed: list[Status], values: dict) -> None:
    for status in needed:
        if status.ratio:
            numerator, denominator = (values[c] for c in status.ratio)
            scale = 100 if status.per_hundred else 1
            values[status.code] = {
                key: (scale * Decimal(numerator[key]) / Decimal(den)).quantize(CENT, ROUND_HALF_UP)
                for key, den in denominator.items()
                if den and numerator.get(key) is not None
            }


def _assemble(request: _Request, values: dict, seen: dict) -> Result:
    """The table: each dimension's labels in order (listed ones first), and every cell's value."""
    sd = request.measure.status_dimension
    labels = {}
    for d in request.others:
        dim = request.measure.dimension(d)
        listed = list(request.fixed_labels.get(d) or [])
        if not listed and dim.default_labels:
            listed = list(dim.default_labels(request.ctx))
        extra = seen[d] - set(listed)
        if extra and all(label.isdigit() or label == UNKNOWN for label in [*listed, *extra]):
            # Years found beyond the listed ones take their place in time, not after `onbekend`.
            labels[d] = _natural_order(set(listed) | extra)
        else:
            labels[d] = listed + _natural_order(extra)
    if request.by_status:
        labels[sd] = [s.code for s in request.statuses]

    cells = {}
    for status in request.statuses:
        for key, value in values[status.code].items():
            if request.by_status:
                full = list(key)
                full.insert(request.dimensions.index(sd), status.code)
                # `others` keeps the order of `dimensions` without status.
                cells[tuple(full)] = value
            else:
                cells[key] = value
    return Result(
        dimensions=list(request.dimensions),
        labels=labels,
        cells=cells,
        kinds={s.code: s.kind for s in request.statuses},
        population=request.statuses[0].code,
        status_dimension=sd,
    )


def _add_up_flags(flags: Flags, rows, others, members, single, values, seen):
    """Add up the units counted per labels and combination of facts into what each status accepts."""
    if not others and not single:
        for status in members:  # as the aggregate of the other path: every figure, even without units
            values[status.code][()] = 0
    for row in rows:
        key = tuple(row[f"d_{d}"] for d in others)
        found = flags.decode(row)
        counted = False
        for status in members:
            if status.formula is None or status.formula.holds(found):
                values[status.code][key] = values[status.code].get(key, 0) + row["_n"]
                counted = True
            elif not single:
                values[status.code].setdefault(key, 0)
        if counted or not single:
            for d, label in zip(others, key):
                seen[d].add(label)


def flemish_provinces(ctx):
    return [p.label for p in FLEMISH_PROVINCES]


def band_labels(ctx):
    return [label for _lowest, label in ctx.bands]
