"""Benchmark: import a 100,000-row employments file on PostgreSQL and write the figures to docs/benchmarks.md.

Not a test. Run it with the database to use, for instance:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dev_imports .venv/bin/python bench/import_bench.py

It works in a throw-away test database (test_<name>) that it creates and
drops, so the database named in DATABASE_URL is not touched. It generates
the organisations and employees the spells need, imports them, then times
the import of the employments file (first import: all rows new) and of the
same file a second time (all rows unchanged), with the peak memory of the
process.
"""

import argparse
import datetime
import io
import os
import platform
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backend_cpu_seconds(connection) -> float | None:
    """CPU time used so far by the PostgreSQL backend serving this connection (same machine only)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        text = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", text).group(1).strip()
    except (OSError, AttributeError):
        pass
    memory = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    return {
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "cpu": cpu,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    buffer.write(",".join(header) + "\n")
    for row in rows:
        buffer.write(",".join(row) + "\n")
    return buffer.getvalue().encode()


def generate(rows: int):
    """Organisations, employees and `rows` employment spells (two per person), all valid and fictitious."""
    from common.identifiers import make_insz, make_kbo

    employers = 500
    kbos = [make_kbo(5_000_000 + n) for n in range(employers)]
    organisations = csv_bytes(
        ["kbo_number", "name", "kind", "postcode"],
        (
            [kbo, f"Werkgever {n}", "se_employer" if n % 2 else "regular_employer", str(1000 + (n * 17) % 9000)]
            for n, kbo in enumerate(kbos)
        ),
    )
    persons = rows // 2
    inszs = []
    for n in range(persons):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 997)
        inszs.append(make_insz(birth, n % 997 + 1))
    employees = csv_bytes(
        ["insz", "first_name", "last_name"],
        ([insz, f"Voornaam{n}", f"Achternaam{n}"] for n, insz in enumerate(inszs)),
    )

    def spells():
        for n, insz in enumerate(inszs):
            se = kbos[(2 * n + 1) % employers]
            regular = kbos[(2 * n) % employers]
            yield [insz, se, "collectief maatwerk", "2016-01-01", "2019-12-31", "no", "2016-01-15"]
            yield [insz, regular, "", "2020-01-01", "", "yes" if n % 3 == 0 else "no", "2020-01-10"]

    employments = csv_bytes(
        ["insz", "employer_kbo", "instrument", "start_date", "end_date", "support_package", "registered_on"],
        spells(),
    )
    return organisations, employees, employments


def generate_realistic(persons: int, employers: int = 1206):
    """Organisations, `persons` persons with birth date, gender and registration date, and one employment
    spell per person over `employers` employers: the shape of a real register extract (issue 17), where
    the persons' and the spells' files hold each person once, so that no look-up repeats within a file."""
    from common.identifiers import make_insz, make_kbo

    kbos = [make_kbo(6_000_000 + n) for n in range(employers)]
    organisations = csv_bytes(
        ["kbo_number", "name", "kind", "postcode"],
        (
            [kbo, f"Werkgever {n}", "se_employer" if n % 3 == 0 else "regular_employer", str(1000 + (n * 17) % 9000)]
            for n, kbo in enumerate(kbos)
        ),
    )
    people = []
    for n in range(persons):
        birth = datetime.date(1958, 1, 1) + datetime.timedelta(days=(n * 7919) % 16_000)
        people.append((make_insz(birth, n % 997 + 1), birth, n))
    employees = csv_bytes(
        ["insz", "first_name", "last_name", "birth_date", "gender", "registered_on"],
        (
            [insz, f"Voornaam{n}", f"Achternaam{n % 7001}", birth.strftime("%d/%m/%Y"), "fm"[n % 2], "2015-03-01"]
            for insz, birth, n in people
        ),
    )

    def spells():
        for insz, _birth, n in people:
            employer = (n * 31) % employers
            start = datetime.date(2012, 1, 1) + datetime.timedelta(days=(n * 13) % 3650)
            instrument = "collectief maatwerk" if employer % 3 == 0 else ""
            end = (start + datetime.timedelta(days=400 + n % 900)).isoformat() if n % 4 else ""
            yield [insz, kbos[employer], instrument, start.isoformat(), end, "yes" if n % 5 == 0 else "no", ""]

    employments = csv_bytes(
        ["insz", "employer_kbo", "instrument", "start_date", "end_date", "support_package", "registered_on"],
        spells(),
    )
    return organisations, employees, employments


def _timed_import(connection, kind, content, prefix, figures):
    """Import a file, keep its wall time and the CPU time of both processes under `prefix`, return the result."""
    from imports.services import import_file

    started, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu_seconds(connection)
    result = import_file(kind=kind, content=content, file_name=f"{kind}.csv")
    figures[f"{prefix}_seconds"] = time.perf_counter() - started
    figures[f"{prefix}_cpu_seconds"] = time.process_time() - cpu
    figures[f"{prefix}_db_cpu_seconds"] = backend_cpu_seconds(connection) - db_cpu if db_cpu is not None else None
    with open("/proc/loadavg") as handle:
        figures[f"{prefix}_load"] = handle.read().split()[0]
    assert result.ok, result.errors[:5]
    return result


def run_realistic(persons: int) -> dict:
    """The realistic shape: employees and employments, each imported into an empty table and then again."""
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        organisations, employees, employments = generate_realistic(persons)
        figures = {"rows": persons}
        _timed_import(connection, "organisations", organisations, "organisations", figures)
        for kind, content in (("employees", employees), ("employments", employments)):
            first = _timed_import(connection, kind, content, f"{kind}_first", figures)
            assert first.created == persons, (kind, first.created)
            again = _timed_import(connection, kind, content, f"{kind}_again", figures)
            assert again.unchanged == persons, (kind, again.created, again.updated)
        figures["peak_rss_mb"] = peak_rss_mb()
        return figures
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def realistic_lines(figures: dict) -> list[str]:
    lines = [
        "| file | rows | seconds (wall) | rows/s (wall) | CPU s Python | CPU s PostgreSQL | rows per CPU s | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = figures["rows"]
    for kind in ("employees", "employments"):
        for step, label in (("first", "first import"), ("again", "same file again")):
            p = f"{kind}_{step}"
            lines.append(
                f"| {kind}, {label} | {rows:,} | {figures[p + '_seconds']:.1f} | {rows / figures[p + '_seconds']:,.0f} "
                f"| {figures[p + '_cpu_seconds']:.1f} | {_num(figures[p + '_db_cpu_seconds'])} "
                f"| {_rate(rows, figures[p + '_cpu_seconds'], figures[p + '_db_cpu_seconds'])} | {figures[p + '_load']} |"
            )
    return lines


def run(rows: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from imports.services import import_file

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
            database = cursor.fetchone()[0]
        organisations, employees, employments = generate(rows)
        figures = {"database": database, "rows": rows}
        for kind, content in (("organisations", organisations), ("employees", employees)):
            started = time.perf_counter()
            result = import_file(kind=kind, content=content, file_name=f"{kind}.csv")
            assert result.ok, result.errors[:5]
            figures[f"{kind}_seconds"] = time.perf_counter() - started
            figures[f"{kind}_rows"] = result.total
        rss_before = peak_rss_mb()
        started, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu_seconds(connection)
        result = import_file(kind="employments", content=employments, file_name="employments.csv")
        figures["first_seconds"] = time.perf_counter() - started
        figures["first_cpu_seconds"] = time.process_time() - cpu
        figures["first_db_cpu_seconds"] = backend_cpu_seconds(connection) - db_cpu if db_cpu is not None else None
        assert result.ok and result.created == rows, (result.created, result.errors[:5])
        started, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu_seconds(connection)
        again = import_file(kind="employments", content=employments, file_name="employments.csv")
        figures["second_seconds"] = time.perf_counter() - started
        figures["second_cpu_seconds"] = time.process_time() - cpu
        figures["second_db_cpu_seconds"] = backend_cpu_seconds(connection) - db_cpu if db_cpu is not None else None
        with open("/proc/loadavg") as handle:
            figures["load"] = handle.read().split()[0]
        assert again.ok and again.unchanged == rows, (again.created, again.updated, again.unchanged)
        figures["peak_rss_mb"] = peak_rss_mb()
        figures["rss_before_mb"] = rss_before
        figures["file_mb"] = len(employments) / 1024 / 1024
        return figures
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _num(value) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _rate(rows, python_cpu, db_cpu) -> str:
    return "n/a" if db_cpu is None else f"{rows / (python_cpu + db_cpu):,.0f}"


def write_report(figures: dict, path: Path) -> str:
    info = machine()
    section = f"""## Import

`bench/import_bench.py` ({datetime.date.today().isoformat()}): an employments file of
{figures["rows"]:,} rows ({figures["file_mb"]:.1f} MB CSV: {figures["rows"] // 2:,} persons with a
social-economy spell and a regular job each, 500 employers), imported with
`imports.services.import_file` into an empty database that already holds the
organisations and persons. All rows are checked with the models' own rules,
then written with bulk inserts that also write a history row per record.

| step | rows | seconds (wall) | rows per second (wall) | CPU s, Python | CPU s, PostgreSQL backend | rows per CPU second (both) |
|---|---:|---:|---:|---:|---:|---:|
| organisations (setup) | {figures["organisations_rows"]:,} | {figures["organisations_seconds"]:.1f} | {figures["organisations_rows"] / figures["organisations_seconds"]:,.0f} | | | |
| employees (setup) | {figures["employees_rows"]:,} | {figures["employees_seconds"]:.1f} | {figures["employees_rows"] / figures["employees_seconds"]:,.0f} | | | |
| **employments, first import (all new)** | {figures["rows"]:,} | **{figures["first_seconds"]:.1f}** | **{figures["rows"] / figures["first_seconds"]:,.0f}** | {figures["first_cpu_seconds"]:.1f} | {_num(figures["first_db_cpu_seconds"])} | {_rate(figures["rows"], figures["first_cpu_seconds"], figures["first_db_cpu_seconds"])} |
| employments, same file again (all unchanged) | {figures["rows"]:,} | {figures["second_seconds"]:.1f} | {figures["rows"] / figures["second_seconds"]:,.0f} | {figures["second_cpu_seconds"]:.1f} | {_num(figures["second_db_cpu_seconds"])} | {_rate(figures["rows"], figures["second_cpu_seconds"], figures["second_db_cpu_seconds"])} |

The work itself is the CPU time of the two processes (the import runs one
statement at a time, so they do not overlap): on this machine without other
load the import takes about that long. The wall-clock time is what it took
while the machine was shared (see below).

Peak memory of the process (maximum resident set size): {figures["peak_rss_mb"]:.0f} MB
({figures["rss_before_mb"]:.0f} MB before the employments import).

Machine: {info["nproc"]} processors ({info["cpu"]}), {info["memory"]} memory, {info["os"]};
Python {info["python"]}; {figures["database"].split(" on ")[0]}.
The machine was shared with other work while measuring (load average {figures["load"]} on
{info["nproc"]} processors at the end of the run), so the wall-clock figures are an upper bound.
"""
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    if "## Import\n" in text:
        before, _sep, rest = text.partition("## Import\n")
        following = rest.find("\n## ")
        text = before + section + (rest[following + 1 :] if following != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)
    return section


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--no-write", action="store_true", help="Print the figures without writing the report.")
    parser.add_argument(
        "--shape",
        choices=["benchmark", "realistic"],
        default="benchmark",
        help="realistic: --rows persons, one row each, 1,206 employers; prints its table (docs: issue 17 section)",
    )
    args = parser.parse_args()
    if args.shape == "realistic":
        print("\n".join(realistic_lines(run_realistic(args.rows))))
        return
    figures = run(args.rows)
    if args.no_write:
        print(figures)
    else:
        print(write_report(figures, Path(args.output)))


if __name__ == "__main__":
    main()
