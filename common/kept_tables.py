"""A part of a query kept as a temporary table until the tables it reads change (issue 17).

The pathway (reports/pathway.py) reads each person advised ready with their first regular job and
three facts of their spells: about half of its statement at a million persons (0.35 of 0.7 s), from the
evaluations and the employment spells only. The rest reads the referrals and trajectories, which
caseworkers save all day, so the kept rows of the whole statement (common/kept.py) seldom outlive a
minute while that half stays the same for hours.

Such a part is written as a common table expression named with PREFIX (`name`). Before the statement
runs (`prepare`), its body is made a temporary table of the connection, named by the body's SQL, its
parameters and the generation of the tables it reads (common/changes.py); the statement is then run
without that expression, reading the table. A later run finds the table while nothing it was made from
has changed (the generation is in its name), and makes a new one when something has. The figures are
those of the records as they are when the statement runs: each part as of its own generation, read just
before.

Not on another database than PostgreSQL, not on a replica (no tables can be made there), not for a body
that reads the clock or a table whose changes are not noted, nor inside a transaction that has written
(it sees rows no one else does): the statement then runs as it is, expression and all. A temporary table
lives as long as the connection (a worker keeps it, CONN_MAX_AGE), is seen by that connection alone,
and goes with a transaction that rolls back; at most KEPT_PER_PART are kept per part and connection.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from common import changes, kept

logger = logging.getLogger(__name__)

PREFIX = "doorstroom_kept_"
KEPT_PER_PART = 3
_DEFINITION = re.compile(r'"(' + PREFIX + r'[a-z_]+)" AS \(')


def name(part: str) -> str:
    """The name of a common table expression kept as a table: PREFIX and the part's name (a-z and _)."""
    if not re.fullmatch(r"[a-z_]+", part):
        raise ValueError(f"a kept part is named with a-z and _ only, not {part!r}")
    return PREFIX + part


def prepare(using: str, sql: str, params) -> tuple[str, tuple]:
    """`sql` and `params` with each kept expression read from its table (made when missing); unchanged
    where a part cannot be kept."""
    params = tuple(params)
    if PREFIX not in sql or using != DEFAULT_DB_ALIAS or connections[using].vendor != "postgresql":
        return sql, params
    while match := _DEFINITION.search(sql):
        part = match.group(1)
        opening = match.end() - 1
        closing = _closing(sql, opening)
        body = sql[opening + 1 : closing]
        before, inside = _placeholders(sql[:opening]), _placeholders(body)
        table = _table(using, part, body, params[before : before + inside])
        if table is None:
            return sql, params  # run as it is: its expressions compute every part
        sql = _without(sql, match.start(), closing).replace(f'"{part}"', f'"{table}"')
        params = params[:before] + params[before + inside :]
    return sql, params


def _table(using: str, part: str, body: str, params: tuple) -> str | None:
    """The temporary table holding what `body` gives now, made when missing; None when it cannot be kept."""
    tables = kept.tables_read(body)
    generation = changes.generation(using, tables) if tables else None
    if generation is None:
        return None
    digest = hashlib.sha256(repr((body, params, generation)).encode()).hexdigest()[:16]
    table = f"{part}_{digest}"
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{quote(table)}"])
        if cursor.fetchone()[0]:
            return table
        # Older tables of the part (other dates, earlier generations), oldest first: made earlier, lower oid.
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r' "
            "AND left(relname, %s) = %s ORDER BY oid",
            [len(part) + 1, f"{part}_"],
        )
        older = [relname for (relname,) in cursor.fetchall()]
        try:
            # In a savepoint of its own: a table that cannot be made (say the disk for temporary files
            # is full) leaves the statement to run as it is, in a transaction that can go on.
            with transaction.atomic(using=using):
                for relname in older[: max(0, len(older) - KEPT_PER_PART + 1)]:
                    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{quote(relname)}")
                cursor.execute(f"CREATE TEMPORARY TABLE {quote(table)} AS {body}", params)
                cursor.execute(f"ANALYZE {quote(table)}")  # the planner's estimates of its rows and values
        except DatabaseError:
            logger.warning("Could not keep %s as a temporary table: computed in the query", part, exc_info=True)
            return None
    return table


def _closing(sql: str, opening: int) -> int:
    """The position of the parenthesis that closes the one at `opening`, past quoted names and strings."""
    depth, position, length = 0, opening, len(sql)
    while position < length:
        char = sql[position]
        if char in "'\"":
            position = sql.index(char, position + 1)
            while sql.startswith(char, position + 1):  # a doubled quote inside: still quoted
                position = sql.index(char, position + 2)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise ValueError("unbalanced parentheses in a kept part's SQL")


def _placeholders(sql: str) -> int:
    """How many parameters `sql` takes: its %s, not counting a %% (a percent sign written out)."""
    return sum(1 for found in re.findall(r"%%|%s", sql) if found == "%s")


def _without(sql: str, start: int, closing: int) -> str:
    """`sql` without the expression from `start` to `closing` in its WITH list, and the comma or WITH that
    only it needed."""
    head, tail = sql[:start], sql[closing + 1 :]
    if comma := re.match(r"\s*,\s*", tail):
        return head + tail[comma.end() :]
    if comma := re.search(r",\s*$", head):
        return head[: comma.start()] + tail
    with_ = re.search(r"\bWITH(\s+RECURSIVE)?\s+$", head, re.IGNORECASE)
    if with_ is None:
        raise ValueError("a kept part that is not in a WITH list")
    return head[: with_.start()] + tail.lstrip()
