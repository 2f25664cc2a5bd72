"""Results kept until the data they were computed from change: a report's rows, a home page's counts.

A result of a query is kept in the cache "reports" (settings.CACHES) labelled by the query's SQL, its
parameters and the generation of the tables it reads (common/changes.py), which moves with every
committed change to any of them. The same query asked again before anything it reads has changed is
answered from the kept result, which is what the records give at that moment. Nothing is kept on
SQLite, for SQL that reads a table whose changes are not noted (a user's memberships, the imports),
for SQL that asks the database for the time, or inside a transaction that has written (it sees rows
no one else does): the query then simply runs.

The generation is read before the query runs (common/changes.py says why); a result is never older
than its label.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re

from django.core.cache import caches

from common import changes

CACHE_ALIAS = "reports"
# The pages of the lists (common/tables.py): many small results (a page's ids and a count), kept apart so
# that they never push a report's rows out.
PAGE_CACHE_ALIAS = "kept-pages"
# A result is kept when it pickles to at most this many bytes (a report's grouped rows: tens of bytes to
# 100 KB; the per-employer transitions about 1 MB): with settings.CACHES["reports"] MAX_ENTRIES, a bound
# on the memory a process gives to kept results.
MAX_BYTES_KEPT = 1_000_000
# SQL texts whose tables are remembered per process (each a few kilobytes).
SQL_TEXTS_KEPT = 512

# SQL that reads the clock gives another result at another moment: never kept.
_CLOCK = re.compile(
    r"\b(now|current_date|current_time|current_timestamp|localtime|localtimestamp|clock_timestamp|"
    r"statement_timestamp|transaction_timestamp|random)\b",
    re.IGNORECASE,
)
# Words after FROM that start an expression, not a name: EXTRACT(YEAR FROM CASE WHEN ... END).
_KEYWORDS = frozenset({"CASE", "CAST", "COALESCE", "NULLIF", "GREATEST", "LEAST"})
_NAMED = re.compile(
    r'(?:\bWITH(?:\s+RECURSIVE)?|,)\s*(?:"([^"]+)"|([A-Za-z_][\w$]*))\s+AS\s+(?:(?:NOT\s+)?MATERIALIZED\s+)?\(',
    re.IGNORECASE,
)
# What follows FROM or JOIN: a table (quoted by Django, perhaps not in hand-written SQL), a subquery
# or a function; not a column (`EXTRACT(YEAR FROM U0."date")`).
_READ = re.compile(r'\b(?:FROM|JOIN)\s+(?:"([^"]+)"|([A-Za-z_][\w$]*))(?![\w$"])(?!\s*\.)', re.IGNORECASE)

_MISSING = object()


@functools.lru_cache(maxsize=SQL_TEXTS_KEPT)
def tables_read(sql: str) -> frozenset | None:
    """What `sql` reads after FROM and JOIN (tables, or names of functions, which have no notes of their
    changes, so that its result is not kept), or None for SQL that reads the clock. Parsed once per SQL
    text: a kept query runs again with the same SQL."""
    if _CLOCK.search(sql):
        return None
    named = {quoted or bare for quoted, bare in _NAMED.findall(sql)}  # WITH name AS (...): no table
    read = {quoted or bare for quoted, bare in _READ.findall(sql) if quoted or bare.upper() not in _KEYWORDS}
    return frozenset(read - named)


def result(using: str, sql: str, params, compute, *, kind: str, alias: str = CACHE_ALIAS):
    """What `compute()` gives for the query `sql` with `params` on the database `using`: kept while the
    tables `sql` reads do not change, else computed (and kept when small enough) in the cache `alias`.
    `kind` names what is kept ("rows", "count", "page"), so that two results of the same SQL do not mix."""
    tables = tables_read(sql)
    generation = changes.generation(using, tables) if tables else None
    if generation is None:
        return compute()
    label = repr((kind, using, sql, tuple(params), generation)).encode()
    key = f"{kind}:" + hashlib.sha256(label).hexdigest()
    cache = caches[alias]
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        if len(pickle.dumps(found, pickle.HIGHEST_PROTOCOL)) <= MAX_BYTES_KEPT:
            cache.set(key, found)
    return found


def count(queryset) -> int:
    """`queryset.count()`, kept until a table the queryset reads changes."""
    sql, params = queryset.query.sql_with_params()
    return result(queryset.db, sql, params, queryset.count, kind="count")
