"""Concurrent load: the main pages under 20 concurrent connections for 60 seconds (issue 6).

Not a test, and not part of CI. `make bench` runs it at both sizes, `make bench-load` alone:

    .venv/bin/python bench/load_bench.py [--seconds 60] [--connections 20] [--workers 3]

It serves the app with gunicorn on 127.0.0.1 only (production settings: DJANGO_DEBUG=false,
a generated secret key, DJANGO_ALLOWED_HOSTS=127.0.0.1; plain HTTP on loopback, so the HTTPS
redirect and secure cookies are switched off through DJANGO_SECURE_SSL_REDIRECT and
DJANGO_SECURE_COOKIES), against the existing database bench_100k made by `bench/run.py`
(it is not regenerated; the rows written are the benchmark users, their sessions, the
trajectory forms saved by the mix with their history, and the access log). It signs in a benchmark
evaluator and administrator and picks the requests (bench/load_mix.py: searches by name and INSZ,
lists with and without filters, deep pages, person pages, forms opened and saved, reports and a
small export, weighted as documented there), then runs `wrk` (Debian package `wrk`) with a Lua
script that sends them with each request's session cookie (and CSRF cookie and header for a POST). The figures go to docs/benchmarks.md under "## Concurrent load"
(other sections are kept). Exit status 1 when the target of issue 6 (95th percentile under
500 ms, no errors) is not met.
"""

import argparse
import datetime
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
from bench.load_mix import SETUP, WEIGHTS, lua_table, sequence  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
HOST = "127.0.0.1"  # never anything else
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_100k"
SECTION = "## Concurrent load"

LUA = r"""
entries = {ENTRIES}
csrf = "{CSRF}"
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
  -- the two threads start half the list apart, so that they do not post the same form twice
  counter = (id - 1) * math.floor(#entries / 2) + 1
end

function request()
  local e = entries[(counter % #entries) + 1]
  counter = counter + 1
  local headers = {["Cookie"] = e[4], ["Host"] = "127.0.0.1"}
  if e[1] == "POST" then
    headers["X-CSRFToken"] = csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", e[2], headers, e[3])
  end
  return wrk.format("GET", e[2], headers)
end

function response(status, headers, body)
  -- 302: the answer of a saved form or a posted search; each request's own status is checked
  -- afterwards in gunicorn's access log (bench/load_bench.py, statuses_by_kind).
  if status >= 200 and status < 400 then
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


def check_pages(base: str, target) -> dict:
    """Status and time of the first GET of each kind of the mix, before the load (a page that fails is reported)."""
    result = {}
    for kind, entries in target.mix.items():
        method, path, _body, who, _expect = entries[0]
        if method != "GET":
            continue
        cookie = f"sessionid={target.cookies[who]}"
        request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
                final = response.geturl()
        except urllib.error.HTTPError as error:
            status, final = error.code, path
        result[f"{kind}: {path}"] = (status, round((time.perf_counter() - started) * 1000), final)
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
    cookies: dict
    mix: dict
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
    setup = json.loads(re.search(r"^MIX (.+)$", manage(env, "shell", stdin=SETUP), re.M).group(1))
    size, cookies, mix = setup["count"], setup["cookies"], setup["requests"]
    database = urllib.parse.urlparse(database_url).path.lstrip("/")
    # The section of the default database (bench_100k) is "## Concurrent load"; another size gets its own.
    section = SECTION if size == 100_000 else f"{SECTION} at {size:,} persons"
    described = machine(env)
    port = free_port(args.port)
    base = f"http://{HOST}:{port}"
    return Target(env, database, size, section, cookies, mix, described, port, base)


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
            "ACCESS %(m)s %(U)s?%(q)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=target.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = target.base
    try:
        wait_for(target.port, server)
        first = check_pages(base, target)
        access_offset = Path(access.name).stat().st_size
        lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        csrf = secrets.token_hex(16)  # the CSRF cookie's secret (32 characters), sent again as the header
        lua.write(
            LUA.replace("{ENTRIES}", lua_table(sequence(target.mix), target.cookies, csrf)).replace("{CSRF}", csrf)
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


def served_table(measured: Measured, mix: dict) -> tuple[str, float, int]:
    """Rows per kind of request during the load (time inside a worker, statuses against the expected ones),
    the mean time over all requests and the number of requests answered with another status than expected."""
    # gunicorn's %(D)s: from reading the request to the response, without the wait for a free worker.
    kind_of = {}
    for kind, entries in mix.items():
        for method, path, _body, _who, expect in entries:
            address, _sep, query = path.partition("?")
            kind_of[f"{method} {address}?{query}"] = (kind, expect)
    served: dict[str, list[float]] = {}
    wrong: dict[str, int] = {}
    for line in measured.access.read_text()[measured.access_offset :].splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "ACCESS":
            kind, expect = kind_of.get(f"{parts[1]} {parts[2]}", ("other", 0))
            served.setdefault(kind, []).append(int(parts[4]) / 1000)
            wrong[kind] = wrong.get(kind, 0) + (int(parts[3]) != expect)
    served_rows = "\n".join(
        f"| {kind} | {WEIGHTS.get(kind, 0)} | {len(v)} | {statistics.median(v):.0f} | {pct(v, 0.95):.0f} | {wrong[kind]} |"
        for kind in [*WEIGHTS, "other"]
        if (v := served.get(kind))
    )
    all_served = [t for v in served.values() for t in v]
    mean_served = sum(all_served) / len(all_served) if all_served else 0
    return served_rows, mean_served, sum(wrong.values())


def report(args, target: Target, measured: Measured) -> tuple[str, bool]:
    """The section of docs/benchmarks.md, and whether the target of issue 6 is met."""
    section, database, size, port = target.section, target.database, target.size, target.port
    described = target.described
    started, load_before, load_after = measured.started, measured.load_before, measured.load_after
    figures = json.loads(re.search(r"RESULT (\{.*\})", measured.run.stdout).group(1))
    seconds = figures["duration_us"] / 1e6
    rps = figures["requests"] / seconds
    errors = sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    p95_ms = figures["p95_us"] / 1000
    served_rows, mean_served, unexpected = served_table(measured, target.mix)
    met = p95_ms < 500 and errors == 0 and figures["not_2xx"] == 0 and unexpected == 0
    server_errors = [line for line in measured.log.read_text().splitlines() if "Traceback" in line or "ERROR" in line]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    rows = "\n".join(f"| `{p}` | {s} | {ms} |" for p, (s, ms, _) in measured.first.items())
    text = f"""{section}

`bench/load_bench.py` (`make bench`) on {started:%Y-%m-%d %H:%M} UTC, commit {commit}: gunicorn with
{args.workers} sync workers on {HOST}:{port} (production settings, DJANGO_DEBUG=false; plain HTTP on loopback, so
DJANGO_SECURE_SSL_REDIRECT=false and DJANGO_SECURE_COOKIES=false), database {database} ({size:,} persons, made by
`bench/run.py`, not regenerated). `wrk` in a second process, 2 threads, **{args.connections} concurrent connections
for {args.seconds} s** without think time, sending the mix of `bench/load_mix.py` (issue 17): an evaluator's session
that reads, a second one that posts INSZ searches, an administrator's session (second factor confirmed) that opens
and saves trajectory forms, runs reports of the pack and exports a filtered list as CSV; POSTs carry the CSRF cookie
and header. {sum(len(v) for v in target.mix.values())} distinct requests, sent in a shuffled fixed order by weight.

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
| responses not 2xx or 3xx | {figures["not_2xx"]} {json.dumps(figures["not_2xx_by_status"]) if figures["not_2xx"] else ""} |
| responses with another status than expected (access log) | {unexpected} |
| socket errors (connect / read / write / timeout) | {figures["connect_errors"]} / {figures["read_errors"]} / {figures["write_errors"]} / {figures["timeouts"]} |
| errors in the gunicorn log | {len(server_errors)} |

wrk keeps every connection busy (a closed loop), so by Little's law the mean latency is about connections /
throughput: {args.connections} / {rps:.1f} = {args.connections / rps * 1000:.0f} ms (measured mean {figures["mean_us"] / 1000:.0f} ms). Most of a
request's latency under this load is therefore waiting for a free worker: the 95th percentile falls under
500 ms at {args.connections} connections only when the server completes about {args.connections / 0.5:.0f} or more requests per second.

Time inside a gunicorn worker per page during the load (gunicorn access log, `%(D)s`; the rest of the
latency is the wait for a free worker). Mean over all requests: {mean_served:.0f} ms, so {args.workers} workers on 2
processors complete at most about {args.workers} / {mean_served / 1000:.3f} s = {args.workers / (mean_served / 1000) if mean_served else 0:.0f} requests per second.

| kind | weight | requests | median ms | 95th percentile ms | other status than expected |
|---|---:|---:|---:|---:|---:|
{served_rows}

Target (issues 6 and 17: 95th-percentile latency under 500 ms at 20 concurrent users, no errors):
**{"met" if met else "not met"}** at {size:,} persons.

One request per page before the load (status, ms, single user, cold):

| kind: request | status | ms |
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
