"""Benchmark: export 100,000 rows of the person list as XLSX and as CSV, with time and peak memory.

Not a test. Read only: run it against the 100,000-person database, for instance:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k .venv/bin/python bench/export_bench.py

It runs the export code of the list pages (common/export.py: the list's table,
its queryset read with `.iterator(chunk_size=2000)`, openpyxl write-only mode
for XLSX, the CSV writer for CSV) on the person list (`employees:list`) as an
administrator sees it (every person), for 10,000 and then 100,000 rows, so that
the peak memory of both sizes can be compared: constant memory means the
peak does not grow with the number of rows. It reports wall time, the peak of
Python allocations (tracemalloc, which also slows the run down) and the
process's peak resident memory (getrusage; it only grows, so the later,
larger export showing the same figure means it needed no more memory), and
the size of the file. Python allocations (tracemalloc) with --tracemalloc.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from import_bench import machine, peak_rss_mb  # noqa: E402
from keys import use_bench_keys  # noqa: E402

use_bench_keys()  # the keys bench/run.py generated the benchmark databases with


def run(export_format: str, rows: int, trace: bool = False) -> dict:
    from django.test import RequestFactory
    from django_tables2 import RequestConfig

    from common import export
    from employees.views import EmployeeListView

    view = EmployeeListView()
    queryset = view.model.objects.all()  # what an administrator sees (visible_to: everything)
    if view.select_related:
        queryset = queryset.select_related(*view.select_related)
    table = view.table_class(data=queryset.order_by("pk")[:rows])
    RequestConfig(RequestFactory().get("/"), paginate=False).configure(table)
    data = table.data.data
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    size = 0
    if export_format == "xlsx":
        output = export.write_xlsx(export.table_rows(table, data), "Personen")
        output.seek(0, os.SEEK_END)
        size = output.tell()
        output.close()
    else:
        for chunk in export.csv_chunks(export.table_rows(table, data)):
            size += len(chunk.encode())
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = None
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "format": export_format,
        "rows": rows,
        "seconds": seconds,
        "cpu": cpu,
        "load": f"{os.getloadavg()[0]:.2f}",
        "peak_mb": peak / 2**20 if peak is not None else None,
        "rss_mb": peak_rss_mb(),
        "size_mb": size / 2**20,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the peak of Python allocations (slows the run down several times)",
    )
    parser.add_argument(
        "--doc",
        action="store_true",
        help="also write the table to docs/benchmarks.md, section 'List export', one subsection per database",
    )
    args = parser.parse_args()
    import datetime
    import subprocess

    import django

    django.setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    described = machine()
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "| format | rows | seconds (wall) | CPU s (Python) | load | peak Python allocations (tracemalloc) | peak RSS of the process so far | file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    print(f"Machine: {described}; load average {load_before}; database {connection.vendor} {database}")
    print("\n".join(lines))
    for export_format in ("xlsx", "csv"):
        for rows in args.rows:
            r = run(export_format, rows, args.tracemalloc)
            traced = f"{r['peak_mb']:.1f} MB" if r["peak_mb"] is not None else "not measured"
            lines.append(
                f"| {r['format']} | {r['rows']:,} | {r['seconds']:.1f} | {r['cpu']:.1f} | {r['load']} | {traced} | "
                f"{r['rss_mb']:.0f} MB | {r['size_mb']:.2f} MB |"
            )
            print(lines[-1], flush=True)
    if args.doc:
        from run import write_subsection

        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        load_after = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        from employees.models import Employee

        persons = Employee.objects.count()
        write_subsection(
            "List export",
            f"Measured by `make bench` on {database}",
            "\n".join(
                [
                    f"### Measured by `make bench` on {database}",
                    "",
                    f"`bench/export_bench.py --doc` on {datetime.date.today().isoformat()} (commit {commit}), database "
                    f"{database} ({persons:,} persons), the person list as an administrator sees it. Machine: "
                    f"{described['nproc']} processors ({described['cpu']}), {described['memory']} memory, "
                    f"{described['os']}; Python {described['python']}. Load average (1/5/15 min) before: {load_before}; "
                    f"after: {load_after}.",
                    "",
                    *lines,
                ]
            ),
        )
        print(f"written to {ROOT / 'docs' / 'benchmarks.md'}")


if __name__ == "__main__":
    main()
