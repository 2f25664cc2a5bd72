"""Helpers shared by the list tables."""

import functools
import json
import re

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import BooleanField, Count, F, OrderBy, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce
from django.db.models.sql.where import WhereNode
from django.template import Template
from django.utils.functional import cached_property, lazy
from django.utils.text import capfirst
from django_tables2 import utils
from django_tables2.columns import templatecolumn
from django_tables2.rows import BoundRows

from common import kept
from common.numbers import amount

# Column headings start with a capital, like the ones django-tables2 takes from model fields.
heading = lazy(capfirst, str)


class EstimatedCountPaginator(Paginator):
    """A paginator for big tables: an estimated count for a whole table, and a deferred join for the page.

    The count. A list without any filter (the queryset has no WHERE clause) over
    a table that PostgreSQL estimates at ESTIMATE_FROM rows or more takes its
    count from pg_class.reltuples (kept by ANALYZE and autovacuum), which costs
    nothing, where COUNT(*) reads the whole table, so its cost grows with the
    table. `is_estimate` tells the template to show it as approximate. Any
    filter, a small table or another database: the exact count, once.

    The page. `queryset[offset:offset + 25]` makes the database join every
    skipped row with the related tables of the page (select_related) and
    compute its annotations before throwing it away: page 10,000 of the
    evaluations joined 250,000 rows with persons, employers and instruments,
    a cost that grows with the page number. Instead the page is read in two steps, a
    deferred join: first the ids of the page, from the filtered queryset in its
    order with only the id selected (no joins but those the filter or the sort
    needs, and with an index on the sort columns plus id an index-only scan),
    then the 25 rows by id with their joins. Two queries for every page, page 1
    or page 10,000, so the number of queries does not depend on the page either.
    The order gets the primary key as last tie-breaker, so that rows with equal
    sort keys cannot move between pages.

    A filter or search: PostgreSQL's planner estimates the matches (EXPLAIN, no
    execution). At most SORT_MATCHES_UP_TO: PostgreSQL finds the matches first
    (a trigram or foreign-key index) and sorts those few, and the count comes
    with the page's ids from the same query (COUNT(*) OVER ()), so that a search
    across tables runs once and not twice (`ids_and_count`). Left to itself it
    walked the whole table in index order testing each row until it had 25,
    since it expects matches spread evenly over the order, but the matches of a
    name lie together (a name part matches whole surnames): a name whose matches
    come late in the order (such as 'Wouters') made the walk read most of the
    table, where sorting the matches reads only them. More matches expected: a
    walk of the order bounded to a few times what evenly spread matches would
    need (`walked_ids`), which finds the page of a search that matches all over
    the order in a few milliseconds, then the exact count apart; a walk that
    does not fill the page within its bound gives way to the one query above,
    which reads the matches once for both the count and the page (an exact
    count and then the matches sorted read them twice).
    """

    ESTIMATE_FROM = 100_000
    SORT_MATCHES_UP_TO = 50_000
    WALK_SLACK = 8
    WALK_SHARE = 1 / 16

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, cursor=None, **kwargs):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)
        # ("after" or "before", primary key) from the "next" or "previous" link (`cursor_from`): the page
        # is then read from that row on by the sort keys (a keyset page), not by skipping rows.
        self.cursor = cursor

    @property
    def is_estimate(self) -> bool:
        return self.estimate is not None

    @cached_property
    def count(self) -> int:
        return self.estimate if self.estimate is not None else super().count

    @cached_property
    def queryset(self) -> QuerySet | None:
        """The queryset under django-tables2's rows (BoundRows -> TableQuerysetData -> the queryset)."""
        queryset = self.object_list
        while not isinstance(queryset, QuerySet) and hasattr(queryset, "data"):
            queryset = queryset.data
        return queryset if isinstance(queryset, QuerySet) else None

    @cached_property
    def estimate(self) -> int | None:
        queryset = self.queryset
        if queryset is None or connections[queryset.db].vendor != "postgresql":
            return None
        query = queryset.query
        if query.where or query.distinct or query.combinator or query.low_mark or query.high_mark is not None:
            return None
        estimate = self.table_rows
        if estimate is None or estimate < self.ESTIMATE_FROM:
            return None
        return int(estimate)

    def page(self, number):

        rows, queryset = self.object_list, self.queryset
        query = getattr(queryset, "query", None)
        if (
            not isinstance(rows, BoundRows)
            or query is None
            or query.is_empty()
            or query.distinct
            or query.combinator
            or query.is_sliced
        ):
            return super().page(number)
        ordered = with_tie_breaker(queryset)
        ids, number = self.kept_page_ids(ordered, number)
        by_id = ordered._chain()
        by_id.query.where = WhereNode()  # the ids already carry the filter and the user's scope
        position = {pk: index for index, pk in enumerate(ids)}
        records = sorted(by_id.filter(pk__in=ids), key=lambda record: position[record.pk])
        page = self._get_page(BoundRows(data=records, table=rows.table, pinned_data=rows.pinned_data), number, self)
        # The rows the "previous" and "next" links start from (casework/table.html).
        page.first_pk, page.last_pk = (ids[0], ids[-1]) if ids else (None, None)
        return page

    def kept_page_ids(self, ordered, number):
        """The ids of the page and its number (`page_ids`), kept with the count until a table the list
        reads changes (common/kept.py, PAGE_CACHE_ALIAS).

        Twenty caseworkers open the same lists, filters and searches: at a million persons finding a
        page of a filter or a common surname reads all its matches (10-15 ms of the database, and the
        plan's estimate before it), where the kept page costs one look-up of the tables' generation.
        The label is the SQL of the list's ids in its order, with the user's scope and the filter in it,
        and the page asked for: another user, scope, filter, order or page is another label."""
        sql, params = ordered.values("pk").query.sql_with_params()
        label = (*params, "page", str(number), self.per_page, self.orphans, self.allow_empty_first_page, self.cursor)

        def compute():
            ids, found = self.page_ids(ordered, number)
            return ids, found, self.count, self.estimate

        ids, number, count, estimate = kept.result(
            ordered.db, sql, label, compute, kind="page", alias=kept.PAGE_CACHE_ALIAS
        )
        self.__dict__["count"], self.__dict__["estimate"] = count, estimate  # the cached_properties
        return ids, number

    def page_ids(self, ordered, number):
        """The ids of the page and its number: a filtered page with its count, a keyset page, else by offset."""
        found = self.filtered_ids(ordered, number) if ordered.query.where else None
        if found is None and self.cursor is not None:
            found = self.keyset_ids(ordered, number)
        if found is not None:
            return found
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if ordered.query.where and not self.is_estimate and self.count <= self.SORT_MATCHES_UP_TO:
            ordered = sorted_without_index(ordered)
        return list(ordered.values_list("pk", flat=True)[bottom:top]), number

    def keyset_ids(self, ordered, number):
        """The ids of the page after (or before) the cursor's row, by the sort keys: a keyset page.

        `OFFSET 249975` reads and throws away a quarter of a million index entries before page
        10,000 of the persons, so a deep page costs more the deeper it is. The "next" link carries
        the last row of its page instead, and this page starts after that row:
        `WHERE (last_name, first_name, id) > (its values)`, which the index on those columns
        (employees 0009) seeks directly, so that page 10,000 costs what page 1 costs.
        The "previous" link reads the other way and reverses. One more query, by primary key, reads
        the cursor row's sort keys through the same queryset, so a cursor outside the user's scope
        or the filter finds nothing, and the page is then read by offset as before.

        Only for an order whose keys are all columns that cannot be NULL (a row comparison with a
        NULL is unknown, so those rows would be skipped) and run in one direction (a row comparison
        has one); any other order, a cursor that no longer matches, or a page number that does not
        fit: None, and the page is read by offset.
        """

        direction, pk = self.cursor
        keys = sort_keys(ordered)
        names = keyset_columns(ordered.model, keys)
        if names is None or len({descending for _key, descending in keys}) != 1:
            return None
        try:
            number = self.validate_number(number)
        except InvalidPage:
            return None
        boundary = list(ordered.filter(pk=pk).values_list(*names)[:1])
        if not boundary:
            return None
        greater = (direction == "after") != keys[0][1]
        lookup = TupleGreaterThan if greater else TupleLessThan
        rows = ordered.filter(lookup(Tuple(*(F(name) for name in names)), list(boundary[0])))
        if direction == "before":
            rows = rows.reverse()
        ids = list(rows.values_list("pk", flat=True)[: self.per_page])
        if direction == "before":
            ids.reverse()
            if len(ids) < self.per_page and number > 1:  # fewer rows before it than pages: read by offset
                return None
        return (ids, number) if ids else None

    def filtered_ids(self, queryset, number):
        """The ids of a filtered page and the count, chosen by how many rows PostgreSQL expects to match.

        Few (at most SORT_MATCHES_UP_TO): all matches counted and sorted in one query
        (`ids_and_count`). More: first a walk of the sort order, bounded (`walked_ids`), which finds
        a page quickly when the matches are spread over the order, then the exact count apart;
        when the walk does not fill the page within its bound, the one query as for few matches.
        None for the usual path (another database, orphans, a keyset page of many matches).
        """
        matches = self.planned_matches(queryset)
        if matches is None:
            return None
        if matches > self.SORT_MATCHES_UP_TO:
            if self.cursor is not None:
                return None
            walked = self.walked_ids(queryset, number, matches)
            if walked is not None:
                return walked
        return self.ids_and_count(queryset, number)

    def planned_matches(self, queryset) -> int | None:
        """The rows PostgreSQL's planner expects the filter to leave; None on another database or with orphans.

        EXPLAIN only plans the query (about a millisecond). The estimate of a search is rough (on a
        million persons about 70,000 for any three letters, whether 36,000 or 144,000 match), so it
        only chooses which way to try first.
        """
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or self.orphans:
            return None
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return plan[0]["Plan"]["Plan Rows"]

    def walk_bound(self, bottom, matches) -> int:
        """How many rows in the sort order the walk may read: WALK_SLACK times what it would read if the
        matches were spread evenly ((bottom + per_page) × table rows / matches), at most WALK_SHARE of the
        matches expected, so that a walk that fails costs a fraction of sorting the matches.

        The matches of a search are seldom spread evenly: a name part matches whole surnames, which
        lie together in the order ('aes' in 1,000,000 persons: 36,049 matches, the 25th at row
        41,988, where even spread would put it at row 700); such a walk stops at its bound.
        """
        table = self.table_rows
        if not table or table < 0 or matches <= 0:
            return 0
        spread = (bottom + self.per_page) * table / matches
        return int(min(self.WALK_SLACK * spread, self.WALK_SHARE * matches))

    @cached_property
    def table_rows(self) -> int | None:
        """PostgreSQL's estimate of the rows of the list's table (pg_class.reltuples; -1 before any ANALYZE)."""
        queryset = self.queryset
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [queryset.model._meta.db_table]
            )
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def walked_ids(self, queryset, number, matches):
        """The ids of the page found by reading the sort order (an index on the sort columns) from its
        start, at most `walk_bound` rows, testing each against the filter; then the exact count apart.

        The filter is moved into the select list (`hit`) of a subquery that reads the first rows in
        order with a LIMIT, so that PostgreSQL stops after the bound even when no row matches; the
        outer query keeps the rows that match, in the same order. A page found within the bound is
        the same as the page of all matches (the order is total, ending with the primary key).
        None when the walk does not fill the page, for a filter with a subquery (testing a row
        against it means finding all its matches first), an aggregate or a window, or an order it
        cannot rewrite.
        """
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None
        keys = sort_keys(queryset)
        if number < 1 or keys is None:
            return None
        bottom = (number - 1) * self.per_page
        connection, where = connections[queryset.db], queryset.query.where
        if where.contains_aggregate or where.contains_over_clause:  # not a test of one row
            return None
        where_sql, where_params = queryset.query.get_compiler(connection=connection).compile(where)
        if re.search(r"\bSELECT\b", where_sql, re.IGNORECASE):
            return None
        bound = self.walk_bound(bottom, matches)
        if bound < bottom + self.per_page:
            return None
        walk = queryset._chain()
        walk.query.where = WhereNode()  # tested row by row in `hit` instead; its joins stay
        names = [f"sort_{index}" for index in range(len(keys))]
        inner = walk.annotate(
            walk_hit=RawSQL(where_sql, where_params, output_field=BooleanField()),
            **{name: key for name, (key, _desc) in zip(names, keys, strict=True)},
        ).values("pk", "walk_hit", *names)[:bound]
        sql, params = inner.query.sql_with_params()
        order = ", ".join(f"{name} {'DESC' if desc else 'ASC'}" for name, (_key, desc) in zip(names, keys, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pk FROM ({sql}) AS walk WHERE walk_hit ORDER BY {order} LIMIT %s OFFSET %s",
                (*params, self.per_page, bottom),
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        if len(ids) < self.per_page:
            return None
        return ids, self.validate_number(number)

    def ids_and_count(self, queryset, number):
        """The ids of the page and the count of all matches in one query; None when the page is past
        the end (then the usual path counts and answers with the paginator's own error).

        The matches are read in a derived table with COUNT(*) OVER (), which PostgreSQL cannot merge
        into the outer query: it finds all matches first (by the trigram and foreign-key indexes),
        counts them, and only then sorts them for the page. Given the ORDER BY and LIMIT directly,
        it sorted all the referrals first and looked up each one's person until it had 25, work
        that grows with the table where this way grows with the matches.
        """
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None
        if number < 1:
            return None
        bottom = (number - 1) * self.per_page
        keys = sort_keys(queryset)
        if keys is None:
            return None

        inner = (
            queryset.order_by()
            .annotate(
                matches_in_all=Window(Count("pk")), **{f"sort_{index}": key for index, (key, _desc) in enumerate(keys)}
            )
            .values("pk", "matches_in_all", *(f"sort_{index}" for index in range(len(keys))))
        )
        sql, params = inner.query.sql_with_params()
        order = ", ".join(f"sort_{index} {'DESC' if desc else 'ASC'}" for index, (_key, desc) in enumerate(keys))
        connection = connections[queryset.db]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pk, matches_in_all FROM ({sql}) AS matches ORDER BY {order} LIMIT %s OFFSET %s",
                (*params, self.per_page, bottom),
            )
            rows = cursor.fetchall()
        if not rows and number > 1:
            return None
        self.__dict__["count"] = rows[0][1] if rows else 0  # the cached_property, from the same query
        return [pk for pk, _total in rows], self.validate_number(number)


CURSOR_PARAMS = ("after", "before")


def cursor_from(query) -> tuple[str, int] | None:
    """The keyset cursor of a list's address: ("after", pk) from a "next" link, ("before", pk) from a "previous" one."""
    for direction in CURSOR_PARAMS:
        value = query.get(direction, "")
        if value.isdigit() and len(value) < 19:
            return direction, int(value)
    return None


def keyset_columns(model, keys) -> list[str] | None:
    """The field paths of sort keys that a row comparison can page by: columns that cannot be NULL
    (nor can any relation on the way to them), or None."""

    if not keys:
        return None
    names = []
    for key, _descending in keys:
        if not isinstance(key, F):
            return None
        current = model
        try:
            for part in key.name.split("__"):
                field = current._meta.pk if part == "pk" else current._meta.get_field(part)
                if getattr(field, "null", True) or field.many_to_many or field.one_to_many:
                    return None
                current = field.related_model
        except FieldDoesNotExist:
            return None
        if current is not None:  # ends on a relation: its key
            return None
        names.append(key.name)
    return names


def sort_keys(queryset: QuerySet):
    """The queryset's order as (expression, descending) pairs, or None for an order it cannot rewrite.

    An order by a relation (as django-tables2 asks for a foreign-key column without order_by) is
    the related model's own order, as Django reads it; a relation without one, its key.
    """

    keys = []
    pending = [(item, False) for item in queryset.query.order_by]
    while pending:
        item, flip = pending.pop(0)
        if isinstance(item, OrderBy):
            keys.append((item.expression, item.descending != flip))
            continue
        if hasattr(item, "resolve_expression"):  # an expression given to order_by() as it is: ascending
            keys.append((item, flip))
            continue
        if not isinstance(item, str) or item == "?":
            return None
        descending = item.startswith("-") != flip
        name = item.lstrip("-")
        if name in queryset.query.annotations:
            keys.append((F(name), descending))
            continue
        model, field = queryset.model, None
        try:
            for part in name.split("__"):
                field = model._meta.pk if part == "pk" else model._meta.get_field(part)
                model = field.related_model
        except FieldDoesNotExist:
            return None
        if field is not None and field.is_relation:
            related = field.related_model._meta.ordering
            if related:
                pending[:0] = [
                    (f"{'-' if o.startswith('-') else ''}{name}__{o.lstrip('-')}", descending) for o in related
                ]
                continue
            keys.append((F(f"{name}__pk"), descending))
            continue
        keys.append((F(name), descending))
    return keys


def with_tie_breaker(queryset: QuerySet) -> QuerySet:
    """The queryset in its order (or the model's), ended by the primary key if the order does not end with it."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    pk_names = {"pk", "-pk", "id", "-id", queryset.model._meta.pk.name, f"-{queryset.model._meta.pk.name}"}
    if ordering and isinstance(ordering[-1], str) and ordering[-1] in pk_names:
        return queryset if queryset.query.order_by else queryset.order_by(*ordering)
    last = ordering[-1] if ordering else None
    descending = isinstance(last, str) and last.startswith("-") or getattr(last, "descending", False)
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


def sorted_without_index(queryset: QuerySet) -> QuerySet:
    """The same order, written as COALESCE(column, column), which gives the same values but matches no index.

    Only columns of the table or of tables joined by a foreign key, and annotations: an order by a
    relation itself (which Django expands into the related model's ordering) or by an expression is kept.
    """

    ordering = []
    for item in queryset.query.order_by:
        if not isinstance(item, str) or item == "?":
            ordering.append(item)
            continue
        name = item.lstrip("-")
        concrete = name in queryset.query.annotations
        if not concrete:
            model, field = queryset.model, None
            try:
                for part in name.split("__"):
                    field = model._meta.pk if part == "pk" else model._meta.get_field(part)
                    model = field.related_model
                concrete = field is not None and not field.is_relation
            except FieldDoesNotExist:
                concrete = False
        if not concrete:
            ordering.append(item)
            continue
        expression = Coalesce(F(name), F(name))
        ordering.append(expression.desc() if item.startswith("-") else expression.asc())
    return queryset.order_by(*ordering)


def speed_up_django_tables2() -> None:
    """Two caches in django-tables2 (pinned at 3.0.1) for what it recomputed for every cell of every page.

    Both are recomputed for every cell of every page although their results never change, and
    together they were a large part of a list page's Python time:

    - `utils.signature(fn)`: `call_with_appropriate` asks `inspect.signature` for the arguments of
      a column's render method once per cell (150 times a page). The arguments of a function do not
      change: they are kept per function (a bound method's per its function, without `self`).
    - `TemplateColumn.render` compiles `Template(self.template_code)` once per cell; DateColumn and
      DateTimeColumn are TemplateColumns, so every date cell parsed a template. A compiled template
      holds no state of a render (Django renders one template from many threads), so one compiled
      template per template text is kept.

    Both caches are bounded (LRU), hold no data of a request or a user, and change no output.
    """

    if getattr(utils.signature, "cached", False):
        return
    original = utils.signature

    @functools.lru_cache(maxsize=1024)
    def of_function(function):
        return original(function)

    def signature(fn):
        function = getattr(fn, "__func__", None)
        if function is not None and getattr(fn, "__self__", None) is not None:
            args, keywords = of_function(function)
            return args[1:], keywords  # the bound `self` (or `cls`)
        try:
            return of_function(fn)
        except TypeError:  # not hashable
            return original(fn)

    signature.cached = True
    utils.signature = signature
    templatecolumn.Template = functools.lru_cache(maxsize=256)(Template)


class AmountColumn(tables.Column):
    """An amount in euro: € 2.016.000,00 on a Dutch page, the number itself in an export."""

    def render(self, value):
        return amount(value)

    def value(self, value):
        return value
