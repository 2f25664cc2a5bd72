"""Concurrent load: the main pages under 20 concurrent connections for 60 seconds (issue 6).

Not a test, and not part of CI. `make bench` runs it at both sizes, `make bench-load` alone:

    .venv/bin/python bench/load_bench.py [--seconds 60] [--connections 20] [--workers 3]

It serves the app with gunicorn on 127.0.0.1 only (production settings: DJANGO_DEBUG=false,
a generated secret key, DJANGO_ALLOWED_HOSTS=127.0.0.1; plain HTTP on loopback, so the HTTPS
redirect and secure cookies are switched off through DJANGO_SECURE_SSL_REDIRECT and
DJANGO_SECURE_COOKIES), against the existing database bench_100k made by `bench/run.py`
(it is not regenerated; the only rows written are the benchmark user, its session and the
login records of django-axes). It signs in as a benchmark evaluator (a role that sees the
lists and needs no second factor), then runs `wrk` (Debian package `wrk`) with a Lua script that
rotates over home, persons list, evaluations list, person pages and organisations list,
sending the session cookie. The figures go to docs/benchmarks.md under "## Concurrent load"
(other sections are kept). Exit status 1 when the target of issue 6 (95th percentile under
500 ms, no errors) is not met.
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.keys import use_bench_keys  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
HOST = "127.0.0.1"  # never anything else
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_100k"
USERNAME = "bench-evaluator"
PASSWORD = "bench-evaluator-load-2026"
SECTION = "## Concurrent load"

LUA = r"""
paths = {PATHS}
cookie = "{COOKIE}"
local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  not_ok = 0
  statuses = {}
  counter = id
end

function request()
  local path = paths[(counter % #paths) + 1]
  counter = counter + 1
  return wrk.format("GET", path, {["Cookie"] = cookie, ["Host"] = "127.0.0.1"})
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    not_ok = not_ok + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local ok_total, bad_total = 0, 0
  local codes = {}
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    bad_total = bad_total + t:get("not_ok")
    for code, n in pairs(t:get("statuses")) do
      codes[#codes + 1] = string.format('"%d": %d', code, n)
    end
  end
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"timeouts": %d, "status_errors": %d, "ok_2xx": %d, "not_2xx": %d, "not_2xx_by_status": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status, ok_total, bad_total, table.concat(codes, ", ")))
end
"""


def free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind((HOST, preferred))
            return preferred
        except OSError:
            s.bind((HOST, 0))
            return s.getsockname()[1]


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback only
        DJANGO_SECURE_COOKIES="false",
        DJANGO_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
    )
    use_bench_keys(env)  # the keys bench/run.py encrypted the synthetic INSZ numbers with
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


SETUP = f"""
from django.contrib.auth.models import Group
from accounts.models import User
from employees.models import Employee
user, _ = User.objects.get_or_create(username={USERNAME!r}, defaults={{"first_name": "Benchmark", "last_name": "Evaluator"}})
user.set_password({PASSWORD!r})
user.is_staff = False
user.is_superuser = False
user.save()
user.groups.set([Group.objects.get(name="VDAB-evaluator")])
count = Employee.objects.count()
# Five persons spread over the register, whatever its size.
ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True)[:: max(1, count // 5)])[:5]
print("PERSONS", ",".join(map(str, ids)))
print("COUNT", count)
"""


def machine(env: dict) -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1).strip()
    kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    pg = subprocess.run(
        ["psql", env["DATABASE_URL"], "-Atc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    wrk_version = (wrk.stdout + wrk.stderr).split("\n")[0].split(" Copyright")[0].strip()
    return (
        f"{os.cpu_count()} processors ({cpu}), {kb / 1024 / 1024:.1f} GiB memory, {platform.platform()}; "
        f"Python {platform.python_version()}; PostgreSQL {pg}; {wrk_version}"
    )


def wait_for(port: int, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def sign_in(base: str) -> str:
    """Sign in through the login form like a browser; the 'sessionid=...' cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"}
    )
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data.encode(), headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request, timeout=30).read()
    session = [c for c in jar if c.name == "sessionid"]
    if not session:
        raise SystemExit("signing in failed: no session cookie")
    return f"sessionid={session[0].value}"


def check_pages(base: str, cookie: str, paths: list[str]) -> dict:
    """Status and time of one request per page, before the load (a page that fails is reported)."""
    result = {}
    for path in paths:
        request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
                final = response.geturl()
        except urllib.error.HTTPError as error:
            status, final = error.code, path
        result[path] = (status, round((time.perf_counter() - started) * 1000), final)
    return result


def write_doc(text: str, section: str = SECTION):
    doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(doc):
        doc = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", doc)
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc.rstrip("\n") + "\n")


@dataclass
class Target:
    """What the load runs against: the server's environment, the database and the pages."""

    env: dict
    database: str
    size: int
    section: str
    persons: list[str]
    paths: list[str]
    described: str
    port: int
    base: str


@dataclass
class Measured:
    """What one load run gave: wrk's output, the single requests before it, and the server's logs."""

    started: datetime.datetime
    first: dict
    run: subprocess.CompletedProcess
    load_before: str
    load_after: str
    log: Path
    access: Path
    access_offset: int


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--no-doc", action="store_true", help="print the figures only")
    return parser.parse_args()


def prepare(args) -> Target:
    """Migrate the benchmark database, create the benchmark user and pick the pages to request."""
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    if urllib.parse.urlparse(database_url).hostname != HOST:
        raise SystemExit("the benchmark only runs against 127.0.0.1")
    env = server_env(database_url)
    # New tables only (axes, otp) if the database predates them; the persons are not touched.
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    setup = manage(env, "shell", stdin=SETUP)
    persons = re.search(r"PERSONS (.+)", setup).group(1).split(",")
    size = int(re.search(r"COUNT (\d+)", setup).group(1))
    database = urllib.parse.urlparse(database_url).path.lstrip("/")
    # The section of the default database (bench_100k) is "## Concurrent load"; another size gets its own.
    section = SECTION if size == 100_000 else f"{SECTION} at {size:,} persons"
    paths = ["/", "/personen/", "/evaluaties/", "/register/organisaties/"] + [f"/personen/{pk}/" for pk in persons]
    described = machine(env)
    port = free_port(args.port)
    base = f"http://{HOST}:{port}"
    return Target(env, database, size, section, persons, paths, described, port, base)


def measure(args, target: Target) -> Measured:
    """Serve the app with gunicorn, sign in, request each page once, then run wrk against them."""
    load_before = load()
    log = tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log", delete=False)
    access = tempfile.NamedTemporaryFile("w+", prefix="gunicorn-access-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{target.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--error-logfile",
            "-",
            "--access-logfile",
            access.name,
            "--access-logformat",
            "ACCESS %(U)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=target.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base, paths = target.base, target.paths
    try:
        wait_for(target.port, server)
        cookie = sign_in(base)
        first = check_pages(base, cookie, paths)
        access_offset = Path(access.name).stat().st_size
        lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        lua.write(
            LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in paths) + "}").replace("{COOKIE}", cookie)
        )
        lua.close()
        started = datetime.datetime.now(datetime.UTC)
        run = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(args.connections),
                "-d",
                f"{args.seconds}s",
                "--timeout",
                "10s",
                "-s",
                lua.name,
                base + "/",
            ],
            capture_output=True,
            text=True,
            timeout=args.seconds + 60,
        )
        load_after = load()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return Measured(started, first, run, load_before, load_after, Path(log.name), Path(access.name), access_offset)


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def served_table(measured: Measured, paths: list[str]) -> tuple[str, float]:
    """Rows of time inside a worker per kind of page during the load, and the mean over all requests."""
    # gunicorn's %(D)s: from reading the request to the response, without the wait for a free worker.
    served: dict[str, list[float]] = {}
    for line in measured.access.read_text()[measured.access_offset :].splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ACCESS":
            served.setdefault(parts[1], []).append(int(parts[3]) / 1000)
    kinds = {
        "home": ["/"],
        "persons list": ["/personen/"],
        "evaluations list": ["/evaluaties/"],
        "organisations list": ["/register/organisaties/"],
        "person page": [p for p in paths if p.startswith("/personen/") and p != "/personen/"],
    }
    served_rows = "\n".join(
        f"| {kind} | {len(v)} | {statistics.median(v):.0f} | {pct(v, 0.95):.0f} |"
        for kind, ps in kinds.items()
        if (v := [t for p in ps for t in served.get(p, [])])
    )
    all_served = [t for v in served.values() for t in v]
    mean_served = sum(all_served) / len(all_served) if all_served else 0
    return served_rows, mean_served


def report(args, target: Target, measured: Measured) -> tuple[str, bool]:
    """The section of docs/benchmarks.md, and whether the target of issue 6 is met."""
    section, database, size, port = target.section, target.database, target.size, target.port
    persons, paths, described = target.persons, target.paths, target.described
    started, load_before, load_after = measured.started, measured.load_before, measured.load_after
    figures = json.loads(re.search(r"RESULT (\{.*\})", measured.run.stdout).group(1))
    seconds = figures["duration_us"] / 1e6
    rps = figures["requests"] / seconds
    errors = sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    p95_ms = figures["p95_us"] / 1000
    met = p95_ms < 500 and errors == 0 and figures["not_2xx"] == 0
    server_errors = [line for line in measured.log.read_text().splitlines() if "Traceback" in line or "ERROR" in line]
    served_rows, mean_served = served_table(measured, paths)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    rows = "\n".join(f"| `{p}` | {s} | {ms} |" for p, (s, ms, _) in measured.first.items())
    text = f"""{section}

`bench/load_bench.py` (`make bench`) on {started:%Y-%m-%d %H:%M} UTC, commit {commit}: gunicorn with
{args.workers} sync workers on {HOST}:{port} (production settings, DJANGO_DEBUG=false; plain HTTP on loopback, so
DJANGO_SECURE_SSL_REDIRECT=false and DJANGO_SECURE_COOKIES=false), database {database} ({size:,} persons, made by
`bench/run.py`, not regenerated), signed in as the evaluator `{USERNAME}`. `wrk` in a second process, 2 threads,
**{args.connections} concurrent connections for {args.seconds} s**, each request the next of {len(paths)} pages in turn:
home, persons list, evaluations list, organisations list and {len(persons)} person pages
({", ".join(f"`{p}`" for p in paths)}).

{args.workers} workers: the machine has 2 processors, shared by gunicorn, PostgreSQL and wrk itself; one worker per
processor plus one to use the time a worker waits on PostgreSQL. More workers would only queue on the same
2 processors (and cost memory); fewer would leave a processor idle while a worker waits on the database.
Measured back to back for 30 s each on 2026-11-26 (load average 6 to 7 from other work): 2 workers 31.8
requests/s, 3 workers 30.2, 4 workers 33.4, 5 workers 29.1: no count of workers gains on the others when
the processors are the limit, so 3 stays. Each worker keeps its database connection (CONN_MAX_AGE).

| figure | value |
|---|---:|
| requests | {figures["requests"]:,} in {seconds:.1f} s |
| **requests per second** | **{rps:.1f}** |
| **median latency** | **{figures["p50_us"] / 1000:.0f} ms** |
| **95th-percentile latency** | **{p95_ms:.0f} ms** |
| 99th-percentile latency | {figures["p99_us"] / 1000:.0f} ms |
| maximum latency | {figures["max_us"] / 1000:.0f} ms |
| responses not 2xx | {figures["not_2xx"]} {json.dumps(figures["not_2xx_by_status"]) if figures["not_2xx"] else ""} |
| socket errors (connect / read / write / timeout) | {figures["connect_errors"]} / {figures["read_errors"]} / {figures["write_errors"]} / {figures["timeouts"]} |
| errors in the gunicorn log | {len(server_errors)} |

wrk keeps every connection busy (a closed loop), so by Little's law the mean latency is about connections /
throughput: {args.connections} / {rps:.1f} = {args.connections / rps * 1000:.0f} ms (measured mean {figures["mean_us"] / 1000:.0f} ms). Most of a
request's latency under this load is therefore waiting for a free worker: the 95th percentile falls under
500 ms at {args.connections} connections only when the server completes about {args.connections / 0.5:.0f} or more requests per second.

Time inside a gunicorn worker per page during the load (gunicorn access log, `%(D)s`; the rest of the
latency is the wait for a free worker). Mean over all requests: {mean_served:.0f} ms, so {args.workers} workers on 2
processors complete at most about {args.workers} / {mean_served / 1000:.3f} s = {args.workers / (mean_served / 1000) if mean_served else 0:.0f} requests per second.

| page | requests | median ms | 95th percentile ms |
|---|---:|---:|---:|
{served_rows}

Target (issue 6: 95th-percentile latency under 500 ms at 20 concurrent users, no errors):
**{"met" if met else "not met"}** at {size:,} persons.

One request per page before the load (status, ms, single user, cold):

| page | status | ms |
|---|---:|---:|
{rows}

Machine: {described}.
Load average (1/5/15 min) before: {load_before}; after: {load_after} (the machine is shared with other work,
so the latencies are an upper bound).
"""

    return text, met


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    target = prepare(args)
    measured = measure(args, target)
    print(measured.run.stdout, measured.run.stderr)
    text, met = report(args, target, measured)
    print(text)
    if not args.no_doc:
        write_doc(text, target.section)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
