"""Benchmark at scale: synthetic data, the ministerial pack against hand-written SQL, list and detail pages.

Not a test. `make bench` runs it at 100,000 and 1,000,000 persons; one size:

    .venv/bin/python bench/run.py --persons 100000

On PostgreSQL only. Without DATABASE_URL it (re)creates its own database
`bench_100k` / `bench_1m` (trust auth on 127.0.0.1:5432), migrates it and
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
DOC = ROOT / "docs" / "benchmarks.md"
RUNS = 3


def label_of(persons: int) -> str:
    return f"{persons // 1_000_000}m" if persons % 1_000_000 == 0 else f"{persons // 1000}k"


def prepare_database(persons: int, reuse: bool) -> str:
    """The DATABASE_URL to use; creates bench_<size> unless one is given."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    import psycopg

    name = f"bench_{label_of(persons)}"
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


# --- hand-written SQL for the pack's reports (live tables, same as the app with K = now) -----------

AGE_ESF2014 = "CASE WHEN {age} >= 55 THEN '55+' WHEN {age} >= 25 THEN '25-54' WHEN {age} >= 0 THEN '<25' ELSE 'onbekend' END"
YEAR = "COALESCE(EXTRACT(YEAR FROM {d})::int::text, 'onbekend')"

EVAL_PERIOD = "(e.evaluation_date IS NULL OR (e.evaluation_date <= %(d)s AND e.evaluation_date >= %(p)s))"
TRAJ_432 = (
    "FROM trajectories_trajectory t JOIN partners_call c ON c.id = t.call_id "
    "WHERE t.start_date <= %(d)s AND c.number = '432'"
)

SQL = {
    "q3_evaluations_by_province_year": (
        f"SELECT {YEAR.format(d='e.evaluation_date')}, o.province, count(*) FROM evaluations_evaluation e "
        f"LEFT JOIN partners_organisation o ON o.id = e.employer_id WHERE {EVAL_PERIOD} GROUP BY 1, 2"
    ),
    "q3_evaluations_by_age_year": (
        f"SELECT {YEAR.format(d='e.evaluation_date')}, "
        "CASE WHEN e.age_years IS NOT NULL THEN "
        + AGE_ESF2014.format(age="e.age_years")
        + " WHEN e.evaluation_date IS NULL AND p.birth_date IS NOT NULL THEN "
        + AGE_ESF2014.format(age="EXTRACT(YEAR FROM age(%(d)s::date, p.birth_date))")
        + " ELSE 'onbekend' END, count(*) FROM evaluations_evaluation e "
        f"JOIN employees_employee p ON p.id = e.employee_id WHERE {EVAL_PERIOD} GROUP BY 1, 2"
    ),
    "q1_ready_by_instrument_province_year": (
        "SELECT " + YEAR.format(d="r.evaluation_date") + ", COALESCE(i.name, 'onbekend'), o.province, count(*) FROM ("
        "SELECT DISTINCT ON (e.employee_id) e.* FROM evaluations_evaluation e JOIN evaluations_advice a ON a.id = e.advice_id "
        f"WHERE a.code = 'ready' AND {EVAL_PERIOD} ORDER BY e.employee_id, e.evaluation_date ASC NULLS LAST, e.id) r "
        "LEFT JOIN employees_instrument i ON i.id = r.instrument_id "
        "LEFT JOIN partners_organisation o ON o.id = r.employer_id GROUP BY 1, 2, 3"
    ),
    "q2a_trajectories_by_partner_year": (
        f"SELECT {YEAR.format(d='t.start_date')}, p.name, count(*) {TRAJ_432.replace('WHERE', 'JOIN partners_organisation p ON p.id = t.partner_id WHERE')} GROUP BY 1, 2"
    ),
    "q2b_trajectories_by_province_year": (
        f"SELECT {YEAR.format(d='t.start_date')}, o.province, count(*) {TRAJ_432.replace('WHERE', 'LEFT JOIN partners_organisation o ON o.id = t.se_employer_id WHERE')} GROUP BY 1, 2"
    ),
    "q2b_trajectories_by_age_year": (
        f"SELECT {YEAR.format(d='t.start_date')}, {AGE_ESF2014.format(age='t.age_years')}, count(*) {TRAJ_432} GROUP BY 1, 2"
    ),
    "esf_participants_by_gender_year": (
        f"SELECT {YEAR.format(d='t.start_date')}, p.gender, count(*) {TRAJ_432.replace('WHERE', 'JOIN employees_employee p ON p.id = t.employee_id WHERE')} GROUP BY 1, 2"
    ),
    "q2c_stopped_without_internship_by_partner": (
        f"SELECT p.name, count(*) {TRAJ_432.replace('WHERE', 'JOIN partners_organisation p ON p.id = t.partner_id WHERE')} "
        "AND t.end_date IS NOT NULL AND t.end_date <= %(d)s AND NOT EXISTS (SELECT 1 FROM trajectories_internship s "
        "WHERE s.trajectory_id = t.id AND s.start_date <= t.end_date) GROUP BY 1"
    ),
    "q2e_money_by_partner_year": (
        "SELECT g.year, p.name, sum(g.esf_amount), sum(g.flemish_amount), sum(g.spent_amount) FROM partners_grant g "
        "JOIN partners_call c ON c.id = g.call_id JOIN partners_organisation p ON p.id = g.partner_id "
        "WHERE c.number = '432' GROUP BY 1, 2"
    ),
}


def bench_reports(connection, today):
    from reports.models import SavedReport
    from reports.services import run_report

    rows = []
    for report in SavedReport.objects.filter(in_pack=True).order_by("pack_position"):
        as_of = report.as_of or today
        app_ms, run = timed(lambda: list(run_report(report, as_of=as_of).rows()))
        saved_ms, _ = timed(lambda: list(run_report(report).rows()), runs=1) if report.known_at else (None, None)
        sql_ms = ratio = None
        same = ""
        if report.slug in SQL:
            params = {"d": as_of, "p": report.period_from or datetime.date(1900, 1, 1)}

            def direct():
                with connection.cursor() as cursor:
                    cursor.execute(SQL[report.slug], params)
                    return cursor.fetchall()

            sql_ms, sql_rows = timed(direct)
            ratio = app_ms / sql_ms if sql_ms else None
            # The same figure? Compare the grand totals of the counts (the money report sums amounts instead).
            if report.measure != "money":
                app_total = sum(v for _, v in run if isinstance(v, int))
                same = "yes" if app_total == sum(r[-1] for r in sql_rows) else f"no ({app_total} vs {sum(r[-1] for r in sql_rows)})"
        rows.append((report.slug, app_ms, sql_ms, ratio, saved_ms, same))
        print(f"  {report.slug}: app {app_ms:.0f} ms, sql {sql_ms or 0:.0f} ms", flush=True)
    return rows


def bench_pages():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.roles import Role
    from employees.models import Employee
    from partners.models import Organisation
    from trajectories.models import Trajectory

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
    # VACUUM the tables of the lists: autovacuum is off on this benchmark server (SHOW autovacuum), and
    # without it the visibility map stays empty, so that an index-only scan (the ids of a deep page)
    # still visits the table for every row; a production server runs autovacuum.
    with connection.cursor() as cursor:
        for model in ("employees_employee", "evaluations_evaluation", "evaluations_referral", "trajectories_trajectory",
                      "trajectories_internship", "partners_organisation", "partners_grant"):
            cursor.execute(f"VACUUM (ANALYZE) {model}")
    partner = Organisation.objects.filter(kind="partner").order_by("id").first()
    name = Employee.objects.order_by("id").values_list("last_name", flat=True).first()
    person = Employee.objects.filter(trajectories__isnull=False).order_by("id").first()
    trajectory = Trajectory.objects.order_by("id").first()

    from django.apps import apps

    model_of = {
        "employees:list": apps.get_model("employees.Employee"),
        "evaluations:list": apps.get_model("evaluations.Evaluation"),
        "evaluations:referral_list": apps.get_model("evaluations.Referral"),
        "trajectories:list": Trajectory,
        "trajectories:internship_list": apps.get_model("trajectories.Internship"),
        "partners:organisation_list": Organisation,
        "partners:grant_list": apps.get_model("partners.Grant"),
    }
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
        deep = min(10_000, max(1, (model_of[url_name].objects.count() + 24) // 25))
        variants.append((f"page {deep:,}", {"page": deep}))
        for variant, params in variants:
            pages.append((url_name, variant, url, params))
    pages.append(("employees:detail", "person page", reverse("employees:detail", args=[person.pk]), {}))
    pages.append(("trajectories:update", "trajectory form", reverse("trajectories:update", args=[trajectory.pk]), {}))

    rows = []
    for url_name, variant, url, params in pages:
        def get():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            return response.status_code, len(queries)

        ms, (status, count) = timed(get)
        rows.append((url_name, variant, status, ms, count))
        print(f"  {url_name} {variant}: {status} {ms:.0f} ms, {count} queries", flush=True)
    return rows


def write_section(title: str, body: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    section = f"## {title}\n\n{body.strip()}\n\n"
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    DOC.write_text(text.rstrip() + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="Keep the data already in the database.")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.persons, args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        sys.exit("bench/run.py measures on PostgreSQL only.")
    call_command("migrate", verbosity=0)
    from employees.models import Employee

    generation = None
    load_generation = None
    if not (args.reuse and Employee.objects.exists()):
        started = time.perf_counter()
        call_command("generate_synthetic", persons=args.persons, seed=args.seed)
        generation = time.perf_counter() - started
        load_generation = load()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    today = timezone.localdate()
    print("reports", flush=True)
    load_before = load()
    reports = bench_reports(connection, today)
    print("pages", flush=True)
    pages = bench_pages()
    load_after = load()

    from django.apps import apps

    counts = ", ".join(
        f"{apps.get_model(label).objects.count():,} {plural}"
        for label, plural in (
            ("employees.Employee", "persons"), ("employees.Employment", "employment spells"),
            ("evaluations.Evaluation", "evaluations"), ("evaluations.Referral", "referrals"),
            ("trajectories.Trajectory", "trajectories"), ("trajectories.Internship", "internships"),
            ("partners.Organisation", "organisations"),
        )
    )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip():
        commit += " with uncommitted changes"
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
            f"Generation (`generate_synthetic --persons {args.persons} --seed {args.seed}`, COPY + one INSERT ... SELECT "
            f"per history table): **{generation:.0f} s** (load average after: {load_generation}).",
            "",
        ]
    lines += [
        "### Ministerial pack",
        "",
        f"Median of {RUNS} runs after one warm-up. 'app' = `run_report` through the reports engine with the report's "
        "reference date and the register as it is now (live tables); 'SQL' = one hand-written query giving the "
        "same figure, run directly on the same database; 'saved dates' = the report with its own register date "
        "(read from the history tables), one run. No SQL written yet where the column is empty.",
        "",
        "| report | app ms | SQL ms | app / SQL | same total | saved dates ms |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for slug, app_ms, sql_ms, ratio, saved_ms, same in reports:
        lines.append(
            f"| {slug} | {app_ms:.0f} | {'' if sql_ms is None else f'{sql_ms:.0f}'} | "
            f"{'' if ratio is None else f'{ratio:.1f}'} | {same} | {'' if saved_ms is None else f'{saved_ms:.0f}'} |"
        )
    lines += [
        "",
        "### Pages",
        "",
        f"Server time through the Django test client (administrator, sees everything), median of {RUNS} runs "
        "after one warm-up, and the number of SQL queries.",
        "",
        "| page | variant | status | ms | queries |",
        "|---|---|---:|---:|---:|",
    ]
    for url_name, variant, status, ms, count in pages:
        lines.append(f"| {url_name} | {variant} | {status} | {ms:.0f} | {count} |")
    write_section(f"Scale: {args.persons:,} persons", "\n".join(lines))
    print(f"written to {DOC}")


if __name__ == "__main__":
    main()
