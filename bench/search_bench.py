"""The free-text search of every list at scale (issue 17, point 3): server time and queries per search.

Not a test. `make bench` runs it after `bench/run.py` on the database of each size; alone:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k .venv/bin/python bench/search_bench.py

Per searched list (persons, evaluations, referrals, trajectories, internships): the most common last
name of the register, a whole name typed surname first ("Peeters Jan", the parts in the other order),
a part of a name of four letters, and an INSZ (posted, as the search form does; the list then reads it
from the session). Through the Django test client as the benchmark administrator, the median of
RUNS runs after one warm-up, and the number of SQL queries. Prints a Markdown table; with --doc it
also writes it to docs/benchmarks.md ("Issue 17" section, "Search at N persons" subsection).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.keys import use_bench_keys  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
use_bench_keys()
# Each search is timed finding its page, not answered from the page kept since the run before (the
# cache kept-pages, common/tables.py): nothing is kept here.
os.environ["DOORSTROOM_REPORT_CACHE_BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
DOC = ROOT / "docs" / "benchmarks.md"
RUNS = 5
LISTS = [
    "employees:list",
    "evaluations:list",
    "evaluations:referral_list",
    "trajectories:list",
    "trajectories:internship_list",
]


def searches():
    """(variant, text) of the searches: a common surname, a whole name reversed, a name part, an INSZ."""
    from django.db.models import Count

    from employees.models import Employee
    from trajectories.models import Trajectory

    common = (
        Employee.objects.values("last_name").annotate(n=Count("id")).order_by("-n", "last_name").first()["last_name"]
    )
    # A person with a trajectory, so that every list has something to find; the middle one by id.
    ids = Trajectory.objects.order_by("employee_id").values_list("employee_id", flat=True)
    person = Employee.objects.get(pk=ids[ids.count() // 2])
    part = person.last_name.replace(" ", "")[1:5]
    return [
        (f"common surname '{common}'", common),
        (f"whole name '{person.last_name} {person.first_name}'", f"{person.last_name} {person.first_name}"),
        (f"name part '{part}'", part),
        ("INSZ", person.insz),
    ]


def measure(client, connection, url, text):
    """(median ms, rows found, queries) of the list searched for `text` (an INSZ through the posted form)."""
    from django.test.utils import CaptureQueriesContext

    from common.validators import contains_insz_like

    if contains_insz_like(text):
        location = client.post(url, {"q": text})["Location"]
        path, _sep, query = location.partition("?")
        params = dict(p.split("=", 1) for p in query.split("&") if p)
    else:
        path, params = url, {"q": text}
    times, sql_times, count = [], [], None
    for run in range(RUNS + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, params)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        count = len(queries)
        if run:
            times.append(elapsed)
            sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    statements = statistics.median(statement_ms(connection, queries.captured_queries) for _ in range(3))
    return statistics.median(times), statistics.median(sql_times), statements, rows_found(url, text), count


def statement_ms(connection, captured) -> float:
    """The database's own time for the page's statements: planning + execution of EXPLAIN (ANALYZE, TIMING OFF),
    without the round trips and the waiting for a processor that the machine's other work adds."""
    import re

    total = 0.0
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if sql.startswith("EXPLAIN") or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            total += sum(float(ms) for ms in re.findall(r"(?:Planning|Execution) Time: ([\d.]+) ms", plan))
    return total


def rows_found(url, text):
    """The rows the list's filter finds for `text` (counted apart, not timed)."""
    from django.urls import resolve

    view = resolve(url).func.view_class
    return view.filterset_class({"q": text}, queryset=view.model._base_manager.all()).qs.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", action="store_true", help="write the table to docs/benchmarks.md")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse

    from bench.run import administrator_client, commit_label, load
    from employees.models import Employee

    client = administrator_client()
    size = Employee.objects.count()
    load_before = load()
    rows = []
    for variant, text in searches():
        for name in LISTS:
            ms, sql_ms, statements, found, count = measure(client, connection, reverse(name), text)
            rows.append(f"| {name} | {variant} | {found:,} | {ms:.0f} | {sql_ms:.0f} | {statements:.1f} | {count} |")
            print(rows[-1], flush=True)
    all_ms = [float(r.split("|")[4]) for r in rows]
    all_sql = [float(r.split("|")[5]) for r in rows]
    all_db = [float(r.split("|")[6]) for r in rows]
    text = "\n".join(
        [
            f"### Search at {size:,} persons",
            "",
            f"`bench/search_bench.py` on database {connection.settings_dict['NAME']} (commit {commit_label()}); "
            f"median of {RUNS} runs after one warm-up, server time through the test client, administrator; "
            "'SQL' is the time of the page's queries as the client measured them (the rest is Python: "
            "the page, the session, the INSZ decrypted for display); 'statements' is the database's own time for "
            "them (planning and execution in EXPLAIN (ANALYZE, TIMING OFF), median of 3), which the "
            "machine's other work changes least. "
            f"Load average (1/5/15 min) before: {load_before}; after: {load()}.",
            "",
            "| list | search | rows found | page ms | of which SQL ms | statements ms | queries |",
            "|---|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Median of all searches: page {statistics.median(all_ms):.0f} ms (slowest {max(all_ms):.0f} ms); "
            f"SQL {statistics.median(all_sql):.0f} ms (slowest {max(all_sql):.0f} ms); statements "
            f"{statistics.median(all_db):.1f} ms (slowest {max(all_db):.1f} ms).",
        ]
    )
    print(text)
    if args.doc:
        write(text, size)


def write(text: str, size: int):
    import re

    doc = DOC.read_text()
    section = re.compile(r"^## Issue 17\n.*?(?=^## |\Z)", re.S | re.M).search(doc)
    if not section:
        doc = doc.rstrip() + "\n\n## Issue 17\n\n"
        section = re.compile(r"^## Issue 17\n.*?(?=^## |\Z)", re.S | re.M).search(doc)
    old = section.group(0)
    title = f"### Search at {size:,} persons"
    sub = re.compile(rf"^{re.escape(title)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    block = text.strip() + "\n\n"
    new = sub.sub(lambda _: block, old) if sub.search(old) else old.rstrip() + "\n\n" + block
    DOC.write_text((doc[: section.start()] + new + doc[section.end() :]).rstrip() + "\n")


if __name__ == "__main__":
    main()
