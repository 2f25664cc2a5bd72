"""Helpers shared by the list tables."""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property, lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Column headings start with a capital, like the ones django-tables2 takes from model fields.
heading = lazy(capfirst, str)


class EstimatedCountPaginator(Paginator):
    """A paginator that does not COUNT a whole big table: it reads PostgreSQL's estimate instead.

    A list without any filter (the queryset has no WHERE clause) over a table
    that PostgreSQL estimates at ESTIMATE_FROM rows or more takes its count
    from pg_class.reltuples (kept by ANALYZE and autovacuum), which costs
    nothing, where COUNT(*) reads the whole table (hundreds of ms at a million
    rows). `is_estimate` tells the template to show it as approximate. Any
    filter, a small table or another database: the exact count, once.
    """

    ESTIMATE_FROM = 100_000

    @property
    def is_estimate(self) -> bool:
        return self.estimate is not None

    @cached_property
    def count(self) -> int:
        return self.estimate if self.estimate is not None else super().count

    @cached_property
    def estimate(self) -> int | None:
        queryset = self.object_list
        # django-tables2 hands over its rows (BoundRows -> TableQuerysetData -> the queryset).
        while not isinstance(queryset, QuerySet) and hasattr(queryset, "data"):
            queryset = queryset.data
        if not isinstance(queryset, QuerySet) or connections[queryset.db].vendor != "postgresql":
            return None
        query = queryset.query
        if query.where or query.distinct or query.combinator or query.low_mark or query.high_mark is not None:
            return None
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [queryset.model._meta.db_table]
            )
            row = cursor.fetchone()
        estimate = row[0] if row else None
        if estimate is None or estimate < self.ESTIMATE_FROM:
            return None
        return int(estimate)


class INSZColumn(tables.Column):
    """A person's INSZ, whole or masked as `accounts.access.insz_for_list` decides for the user looking.

    The number is stored encrypted, so the column cannot be sorted (an order of
    ciphertexts or digests means nothing). Exports read the same value.
    """

    def __init__(self, accessor="insz", **kwargs):
        kwargs.setdefault("verbose_name", heading(_("INSZ number")))
        kwargs.setdefault("orderable", False)
        super().__init__(accessor=accessor, **kwargs)

    def render(self, value, table):
        from accounts.access import insz_for_list, mask_insz

        user = getattr(getattr(table, "request", None), "user", None)
        return insz_for_list(user, value) if user is not None else mask_insz(value)

    def value(self, value, table):
        return self.render(value, table)
