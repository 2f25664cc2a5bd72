"""The records a report reads: the live tables, or the register as it stood at the end of a day.

`known_at` K is read as docs/measures.md defines it ("Two dates"): a record
exists at K when its `registered_on` <= K; its values are those of its latest
history version dated on or before the end of day K (Europe/Brussels), or of
its earliest version when it has none that old; records deleted by K do not
count. With K = None (now) the live tables are read directly.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import connections
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django_cte import CTE, with_cte

from common import kept_tables


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of a calendar day in the project's time zone."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=tz)


def records_at(model, known_at: datetime.date | None, *, registered: bool = True):
    """A queryset of `model` (live) or of its history versions at `known_at`, one row per record.

    Both expose the record's own fields under the same names (`id`, FK `_id`
    columns, forward relations), so measures are written once for both.
    """
    if known_at is None or known_at >= timezone.localdate():
        qs = model._default_manager.all()
        if registered and known_at is not None:
            qs = qs.filter(registered_on__lte=known_at)
        return qs
    history = model.history.model
    cutoff = end_of_day(known_at)
    # A version is the one read at K when no other version of the same record comes before it in
    # this order: first the versions dated by the cutoff, latest first (the highest history_id
    # among equal dates); failing those, the first version recorded (lowest history_id, not lowest
    # history_date: a change dated after K with `_history_date` may carry an older date than the
    # first save). Written as one NOT EXISTS over the record's other versions, PostgreSQL runs it
    # as an anti-join (a hash anti-join when a report reads the whole table, an index probe on
    # `id` inside a correlated subquery) instead of a sorted subquery per version, which the planner
    # estimated at a few rows and so joined by nested loops (docs/benchmarks.md, "saved dates").
    on_time = Q(history_date__lte=cutoff)
    outer_late = Q(GreaterThan(OuterRef("history_date"), Value(cutoff)))
    before = history.objects.filter(id=OuterRef("id")).filter(
        (
            on_time
            & (
                outer_late
                | Q(history_date__gt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
            )
        )
        | (Q(history_date__gt=cutoff) & outer_late & Q(history_id__lt=OuterRef("history_id")))
    )
    qs = history.objects.filter(~Exists(before)).exclude(history_type="-")
    if registered:
        qs = qs.filter(registered_on__lte=known_at)
    return qs


def covering(on: datetime.date, prefix: str = "") -> Q:
    """Employment spells (or any dated record) that started on or before `on` and had not ended before it."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def one_per_person(units, order: list, *, name: str, otherwise, kept_as_table: bool = False):
    """Each person's first unit in `order`, as a queryset the report groups and counts like a table.

    On PostgreSQL: `DISTINCT ON (employee_id)` in the order (employee_id, *order), as a common
    table expression named `name` (django-cte), which PostgreSQL inlines into the report's query
    and reads without the columns the report does not use. It reads the units once and keeps the
    first of each person, by an index in that order when there is one, else by one sort; the
    anti-join "no unit of the same person comes before it" read them twice and hashed one side
    (docs/benchmarks.md, issue 6). Elsewhere (SQLite has no DISTINCT ON): `otherwise()`, that
    anti-join, which gives the same units (the report tests run on both databases).

    The register of a past day (history versions, `records_at`) keeps the anti-join as well: the
    versions are chosen by an anti-join of their own and no index holds them in a person's order,
    so DISTINCT ON had to sort them, which made it slower than the anti-join there.

    `kept_as_table`: the expression is kept as a temporary table until a table it reads changes
    (common/kept_tables.py), for units that cost much and read records seldom changed.
    """
    live = not hasattr(units.model, "instance_type")  # history versions: see below
    if live and connections[units.db].features.can_distinct_on_fields:
        first = units.order_by("employee_id", *order).distinct("employee_id")
        table = CTE(first, name=kept_tables.name(name) if kept_as_table else name)
        return with_cte(table, select=table.queryset())
    return otherwise()
