"""Benchmark at scale: synthetic data, the ministerial pack against hand-written SQL, list and detail pages.

Not a test. `make bench` runs it at 100,000 and 1,000,000 persons; one size:

    .venv/bin/python bench/run.py --persons 100000

On PostgreSQL only. Without DATABASE_URL it (re)creates its own database
`bench_100k` / `bench_1m` (trust auth on 127.0.0.1:5432; BENCH_DB_PREFIX=x makes it
`x_100k` / `x_1m`, so that two benchmarks on one server do not collide), migrates it and
fills it with `generate_synthetic`; with --reuse it keeps the data already
there. It writes its figures to docs/benchmarks.md, in a section of its own
per size (other sections of the file are kept).
"""

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.keys import use_bench_keys  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
use_bench_keys()  # the same keys as bench/load_bench.py, which serves these databases in production mode
# The reports are timed computing their figures, not answered from rows kept since the last run
# (reports/statements.py): the report cache never keeps anything here.
os.environ["DOORSTROOM_REPORT_CACHE_BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
DOC = ROOT / "docs" / "benchmarks.md"
RUNS = 3


def label_of(persons: int) -> str:
    return f"{persons // 1_000_000}m" if persons % 1_000_000 == 0 else f"{persons // 1000}k"


def prepare_database(persons: int, reuse: bool) -> str:
    """The DATABASE_URL to use; creates bench_<size> unless one is given."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    import psycopg

    name = f"{os.environ.get('BENCH_DB_PREFIX', 'bench')}_{label_of(persons)}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def machine(connection) -> str:
    text = Path("/proc/cpuinfo").read_text()
    cpu = re.search(r"model name\s*:\s*(.+)", text).group(1).strip()
    kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} processors ({cpu}), {kb / 1024 / 1024:.1f} GiB memory, {platform.platform()}; "
        f"Python {platform.python_version()}; PostgreSQL {pg}"
    )


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(fn, runs=RUNS):
    """Median wall time in ms of `runs` calls after one warm-up call, and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


# --- the ministerial pack and a few admin-built reports against hand-written SQL (bench/pack_sql.py) -----


def bench_reports(connection, today):
    """Per report: app and SQL time, their ratio, whether every cell is equal, and the time at the saved dates.

    The pack's reports as saved; then the admin-built ones of `pack_sql.ADMIN_BUILT`
    (unsaved definitions, as the report builder makes them).
    """
    from pack_sql import ADMIN_BUILT, SQL, app_cells, compare, sql_cells

    from reports.models import SavedReport
    from reports.services import run_report

    def computed(report, **dates):
        """The report run up to its exported cells (the cartesian product of its labels), as the pages do."""
        run = run_report(report, **dates)
        list(run.rows())
        return run.result

    reports = [(r, SQL.get(r.slug)) for r in SavedReport.objects.filter(in_pack=True).order_by("pack_position")]
    reports += [(SavedReport(slug=slug, name=slug, **fields), sql) for slug, (fields, sql) in ADMIN_BUILT.items()]
    rows = []
    for report, sql in reports:
        as_of = report.as_of or today
        params = {
            "d": as_of,
            "d1": as_of + datetime.timedelta(days=1),
            "p": report.period_from or datetime.date(1900, 1, 1),
        }

        def direct():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        # App, SQL and saved dates measured in turns, so that all three see the same load on a shared machine,
        # each run starting with the next of them: the call after the saved dates (which read the history
        # tables) finds the live tables pushed out of PostgreSQL's shared buffers (128 MB here) and the call
        # after it finds them back. In a fixed order the app always came first and the SQL second: q2d at
        # work by age, measured both ways at a million persons, was 1.5 times the SQL with the app first and
        # 1.0 times with the SQL first.
        calls = {"app": lambda: computed(report, as_of=as_of)}
        if sql:
            calls["sql"] = direct
        if report.known_at:
            calls["saved"] = lambda: computed(report)
        results = {name: call() for name, call in calls.items()}  # warm-up
        times = {name: [] for name in calls}
        names = list(calls)
        for run in range(RUNS):
            shift = run % len(names)
            for name in names[shift:] + names[:shift]:
                call = calls[name]
                started = time.perf_counter()
                results[name] = call()
                times[name].append((time.perf_counter() - started) * 1000)
        app_ms = statistics.median(times["app"])
        sql_ms = statistics.median(times["sql"]) if sql else None
        saved_ms = statistics.median(times["saved"]) if report.known_at else None
        ratio = app_ms / sql_ms if sql_ms else None
        same = compare(app_cells(results["app"]), sql_cells(results["sql"])) if sql else ""
        rows.append((report.slug, app_ms, sql_ms, ratio, saved_ms, same))
        print(
            f"  {report.slug}: app {shown_ms(app_ms)} ms, sql {shown_ms(sql_ms)} ms"
            f"{'' if saved_ms is None else f', saved {shown_ms(saved_ms)} ms'}, {same}",
            flush=True,
        )
    return rows


def shown_ms(ms: float | None) -> str:
    """Milliseconds as the tables show them: a tenth under 10 ms (a report of 0.4 ms is not '0'), else whole."""
    if ms is None:
        return ""
    return f"{ms:.1f}" if ms < 10 else f"{ms:.0f}"


def pack_section(command, today, commit, machine_text, load_before, load_after, reports) -> str:
    """The '### Ministerial pack' subsection: the table of `bench_reports` with the commit, machine and load."""
    lines = [
        "### Ministerial pack",
        "",
        f"`{command}` on {today.isoformat()} (commit {commit}). "
        f"Machine: {machine_text}. Load average (1/5/15 min) before the reports: {load_before}; after: {load_after} "
        "(the machine was shared with other work, so times are an upper bound).",
        "",
        f"Median of {RUNS} runs after one warm-up, the app, the SQL and the saved dates in turns, each run "
        "starting with the next of them (the first after the saved dates finds the live tables out of the shared "
        "buffers). 'app' = `run_report` through the reports engine with the report's "
        "reference date and the register as it is now (live tables), up to the computed cells; 'SQL' = the hand-written "
        "query of `bench/pack_sql.py` giving the same cells, run directly on the same database connection (both without "
        "JIT, see config/settings.py); 'same cells' compares every non-empty cell of the two; 'saved dates' = the report "
        "with its own register date (read from the history tables). The last rows are reports as an administrator "
        "builds them (`pack_sql.ADMIN_BUILT`).",
        "",
        "| report | app ms | SQL ms | app / SQL | same cells | saved dates ms |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for slug, app_ms, sql_ms, ratio, saved_ms, same in reports:
        lines.append(
            f"| {slug} | {shown_ms(app_ms)} | {shown_ms(sql_ms)} | "
            f"{'' if ratio is None else f'{ratio:.1f}'} | {same} | {shown_ms(saved_ms)} |"
        )
    return "\n".join(lines)


def bench_pages():
    """Per list page (unfiltered, filtered, searched, a deep page) and a detail page and form: time and queries."""
    from django.db import connection

    client = administrator_client()
    vacuum_lists(connection)
    rows = []
    for url_name, variant, url, params in pages_to_measure(client):
        status, ms, count = time_page(client, connection, url, params)
        rows.append((url_name, variant, status, ms, count))
        print(f"  {url_name} {variant}: {status} {ms:.0f} ms, {count} queries", flush=True)
    return rows


def administrator_client():
    """A test client signed in as the benchmark administrator, second factor confirmed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.roles import Role

    # No setup_test_environment(): its instrumented template rendering would be measured too.
    user, _ = get_user_model().objects.get_or_create(username="bench-admin")
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    client = Client()
    client.force_login(user)
    # Administrators confirm a second factor (TOTP) after their password: do what django_otp.login() does
    # after a correct code, so that the pages are measured and not the redirect to the code page.
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.otp import give_confirmed_device

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = give_confirmed_device(user).persistent_id
    session.save()
    return client


def vacuum_lists(connection):
    # VACUUM the tables of the lists: autovacuum is off on this benchmark server (SHOW autovacuum), and
    # without it the visibility map stays empty, so that an index-only scan (the ids of a deep page)
    # still visits the table for every row; a production server runs autovacuum.
    with connection.cursor() as cursor:
        for model in (
            "employees_employee",
            "evaluations_evaluation",
            "evaluations_referral",
            "trajectories_trajectory",
            "trajectories_internship",
            "partners_organisation",
            "partners_grant",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {model}")


# The model of each list page, for the number of its last page.
LIST_MODELS = {
    "employees:list": "employees.Employee",
    "evaluations:list": "evaluations.Evaluation",
    "evaluations:referral_list": "evaluations.Referral",
    "trajectories:list": "trajectories.Trajectory",
    "trajectories:internship_list": "trajectories.Internship",
    "partners:organisation_list": "partners.Organisation",
    "partners:grant_list": "partners.Grant",
}


def pages_to_measure(client) -> list[tuple]:
    """(url name, variant, url, query parameters) of every page measured."""
    from django.apps import apps
    from django.urls import reverse

    from employees.models import Employee
    from partners.models import Organisation
    from trajectories.models import Trajectory

    partner = Organisation.objects.filter(kind="partner").order_by("id").first()
    name = Employee.objects.order_by("id").values_list("last_name", flat=True).first()
    person = Employee.objects.filter(trajectories__isnull=False).order_by("id").first()
    trajectory = Trajectory.objects.order_by("id").first()
    lists = [
        ("employees:list", {"age_band": "unknown"}, name),
        ("evaluations:list", {"office": "Hasselt", "year": "2016"}, name),
        ("evaluations:referral_list", {"status": "waiting"}, name),
        ("trajectories:list", {"partner": partner.pk, "year": "2019"}, name),
        ("trajectories:internship_list", {"outcome": "hired"}, name),
        ("partners:organisation_list", {"kind": "partner"}, "Limburg"),
        ("partners:grant_list", {"year": "2019"}, None),
    ]
    pages = []
    for url_name, selective, search in lists:
        url = reverse(url_name)
        variants = [("no filter", {}), ("selective filter", selective)]
        if search:
            variants.append((f"search '{search}'", {"q": search}))
        # Page 10,000, or the last page when the list is shorter.
        deep = min(10_000, max(1, (apps.get_model(LIST_MODELS[url_name]).objects.count() + 24) // 25))
        variants.append((f"page {deep:,}", {"page": deep}))
        # The same page as a user reaches it, by the "next" link of the page before (a keyset page that
        # starts after that page's last row; common/tables.py, EstimatedCountPaginator.keyset_ids).
        link = next_link(client.get(url, {"page": deep - 1})) if deep > 1 else None
        if link:
            variants.append((f"page {deep:,} by 'next'", dict(parse_qsl(link.lstrip("?")))))
        for variant, params in variants:
            pages.append((url_name, variant, url, params))
    pages.append(("employees:detail", "person page", reverse("employees:detail", args=[person.pk]), {}))
    pages.append(("trajectories:update", "trajectory form", reverse("trajectories:update", args=[trajectory.pk]), {}))
    return pages


def time_page(client, connection, url, params) -> tuple:
    """(status, median ms, number of SQL queries) of one page."""
    from django.test.utils import CaptureQueriesContext

    def get():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        return response.status_code, len(queries)

    ms, (status, count) = timed(get)
    return status, ms, count


def next_link(response) -> str | None:
    """The query string of a list page's "next" link (casework/table.html)."""
    import html

    found = re.search(r'<a href="([^"]*)" class="page-link" rel="next">', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def write_section(title: str, body: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    section = f"## {title}\n\n{body.strip()}\n\n"
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    DOC.write_text(text.rstrip() + "\n")


def write_subsection(title: str, subtitle: str, body: str) -> None:
    """Replace one '### subtitle' subsection of the '## title' section, keeping the rest of it."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M).search(text)
    if not section:
        write_section(title, body)
        return
    old = section.group(0)
    sub = re.compile(rf"^### {re.escape(subtitle)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    block = body.strip() + "\n\n"
    new = sub.sub(lambda _: block, old) if sub.search(old) else old.rstrip() + "\n\n" + block
    DOC.write_text((text[: section.start()] + new + text[section.end() :]).rstrip() + "\n")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="Keep the data already in the database.")
    parser.add_argument(
        "--part",
        choices=["all", "reports", "pages"],
        default="all",
        help="Measure only the reports (rewrites the 'Ministerial pack' subsection) or only the pages.",
    )
    return parser.parse_args()


def generate_data(args) -> tuple[float | None, str | None]:
    """Migrate, fill the database unless reused, VACUUM it; (seconds of generation, load after) or Nones."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from employees.models import Employee

    generation = None
    load_generation = None
    if not (args.reuse and Employee.objects.exists()):
        started = time.perf_counter()
        call_command("generate_synthetic", persons=args.persons, seed=args.seed)
        generation = time.perf_counter() - started
        load_generation = load()
    # VACUUM (ANALYZE) the whole database, as autovacuum does after a bulk load on a production server:
    # it is off on this benchmark server (SHOW autovacuum), and without it the visibility map stays empty,
    # so that no index-only scan stays index-only (the reports' covering indexes, the ids of a deep page).
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"VACUUM (ANALYZE) of the database: {time.perf_counter() - started:.1f} s", flush=True)
    return generation, load_generation


def record_counts() -> str:
    from django.apps import apps

    return ", ".join(
        f"{apps.get_model(label).objects.count():,} {plural}"
        for label, plural in (
            ("employees.Employee", "persons"),
            ("employees.Employment", "employment spells"),
            ("evaluations.Evaluation", "evaluations"),
            ("evaluations.Referral", "referrals"),
            ("trajectories.Trajectory", "trajectories"),
            ("trajectories.Internship", "internships"),
            ("partners.Organisation", "organisations"),
        )
    )


def commit_label() -> str:
    """The short commit, marked when the code (not the figures file) has uncommitted changes."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    # Changes to the figures file itself (an earlier size's run) do not make the code uncommitted.
    status = ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/benchmarks.md"]
    if subprocess.run(status, cwd=ROOT, capture_output=True, text=True).stdout.strip():
        commit += " with uncommitted changes"
    return commit


def pages_lines(pages) -> list[str]:
    """The '### Pages' subsection, as lines; none when the pages were not measured."""
    if pages is None:
        return []
    page_lines = [
        "### Pages",
        "",
        f"Server time through the Django test client (administrator, sees everything), median of {RUNS} runs "
        "after one warm-up, and the number of SQL queries.",
        "",
        "| page | variant | status | ms | queries |",
        "|---|---|---:|---:|---:|",
    ]
    for url_name, variant, status, ms, count in pages:
        page_lines.append(f"| {url_name} | {variant} | {status} | {ms:.0f} | {count} |")
    return page_lines


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args.persons, args.reuse)
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        sys.exit("bench/run.py measures on PostgreSQL only.")
    generation, load_generation = generate_data(args)
    today = timezone.localdate()
    load_before = load()
    reports = pages = None
    if args.part in ("all", "reports"):
        print("reports", flush=True)
        reports = bench_reports(connection, today)
    load_reports = load()
    if args.part in ("all", "pages"):
        print("pages", flush=True)
        pages = bench_pages()
    load_after = load()

    counts = record_counts()
    commit = commit_label()
    title = f"Scale: {args.persons:,} persons"
    pack = (
        pack_section(
            " ".join(["bench/run.py", *sys.argv[1:]]),
            today,
            commit,
            machine(connection),
            load_before,
            load_reports,
            reports,
        )
        if reports is not None
        else None
    )
    page_lines = pages_lines(pages)
    if args.part == "reports":
        write_subsection(title, "Ministerial pack", pack)
    elif args.part == "pages":
        write_subsection(title, "Pages", "\n".join(page_lines))
    else:
        lines = [
            f"`bench/run.py --persons {args.persons}` on {today.isoformat()} (commit {commit}): {counts}.",
            "",
            f"Machine: {machine(connection)}.",
            f"Load average (1/5/15 min) before the reports: {load_before}; after the pages: {load_after}"
            " (the machine was shared with other work, so times are an upper bound).",
            "",
        ]
        if generation is not None:
            lines += [
                f"Generation (`generate_synthetic --persons {args.persons} --seed {args.seed}`, COPY + one INSERT ... "
                f"SELECT per history table): **{generation:.0f} s** (load average after: {load_generation}).",
                "",
            ]
        lines += [pack, "", *page_lines]
        write_section(title, "\n".join(lines))
    print(f"written to {DOC}")


if __name__ == "__main__":
    main()
