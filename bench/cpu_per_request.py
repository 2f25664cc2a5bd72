"""Processor time per request of the load mix, requests sent one at a time: gunicorn's worker and its PostgreSQL backend.

Under the concurrent load (bench/load_bench.py) both processors are busy all the time, so the requests a
second are set by the processor time each request costs, in Python and in PostgreSQL. Latencies under load
move with whatever else the machine does; processor time per request moves much less. This script serves the
app with one gunicorn worker, sends the requests of the mix (bench/load_mix.py, in the order wrk sends them)
one after the other over one connection, and reads the processor time of the worker and of its database
backend (/proc) around each request: per kind of request, and the mean.

PostgreSQL's time is that of all the server's processes (the backend, the parallel workers a query starts,
which exit when it ends, and the server's own background processes): run it on a machine where no other
database work goes on.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m .venv/bin/python bench/cpu_per_request.py

Linux only (/proc). The sessions are those of a user of its own (cpu-evaluator, cpu-admin), so that a
load test running on another database at the same time does not sign them out.
"""

import argparse
import collections
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load_bench import DEFAULT_DB, HOST, free_port, manage, server_env, wait_for  # noqa: E402
from bench.load_mix import SETUP, sequence  # noqa: E402

APPLICATION = "doorstroom-cpu-per-request"
TICKS = os.sysconf("SC_CLK_TCK")


def stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (the state is field 0, the parent field 1)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def processor_ms(pid: int, children: bool = False) -> float:
    """User and system time of a process so far (with `children`: and of its children that have ended), ms."""
    fields = stat(pid)
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks * 1000 / TICKS


def server_ms(postmaster: int) -> float:
    """Processor time of the PostgreSQL server: the postmaster, its live children and those that ended."""
    total = processor_ms(postmaster, children=True)
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = stat(int(entry.name))
                if int(fields[1]) == postmaster:
                    total += (int(fields[11]) + int(fields[12])) * 1000 / TICKS
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue  # ended while being read
    return total


def backends(database_url: str) -> list[int]:
    query = f"SELECT pid FROM pg_stat_activity WHERE application_name = '{APPLICATION}'"
    out = subprocess.run(["psql", database_url, "-Atc", query], capture_output=True, text=True, check=True)
    return [int(pid) for pid in out.stdout.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1500, help="how many of the mix's sequence to send")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    env = server_env(database_url)
    env["PGAPPNAME"] = APPLICATION  # libpq's application name: how the backend is found
    env["DJANGO_DB_CONN_MAX_AGE"] = "86400"  # one backend for the whole run
    manage(env, "collectstatic", "--noinput")
    setup = SETUP.replace("bench-admin", "cpu-admin").replace("bench-evaluator", "cpu-evaluator")
    mix = json.loads(re.search(r"^MIX (.+)$", manage(env, "shell", stdin=setup), re.M).group(1))
    port = free_port(8955)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--bind", f"{HOST}:{port}"]
        + ["--workers", "1", "--timeout", "300"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(port, server)
        worker = int(subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()[0])
        csrf = secrets.token_hex(16)
        connection = http.client.HTTPConnection(HOST, port)

        def send(method, path, body, who):
            headers = {"Cookie": f"sessionid={mix['cookies'][who]}; csrftoken={csrf}", "Host": HOST}
            if method == "POST":
                headers.update({"X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"})
            connection.request(method, path, body=body.encode() if method == "POST" else None, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status

        entries = sequence(mix["requests"])[: args.requests]
        warmed = set()
        for _kind, method, path, body, who, _expect in entries:  # each page once: the compiled templates
            if method == "GET" and path not in warmed:
                warmed.add(path)
                send(method, path, body, who)
        backend = backends(database_url)
        if len(backend) != 1:
            raise SystemExit(f"expected one database backend of the worker, found {backend}")
        postmaster = int(stat(backend[0])[1])
        per_kind = collections.defaultdict(lambda: [0, 0.0, 0.0, 0.0])
        wrong = 0
        for kind, method, path, body, who, expect in entries:
            python, database, started = processor_ms(worker), server_ms(postmaster), time.perf_counter()
            wrong += send(method, path, body, who) != expect
            row = per_kind[kind]
            row[0] += 1
            row[1] += processor_ms(worker) - python
            row[2] += server_ms(postmaster) - database
            row[3] += (time.perf_counter() - started) * 1000
    finally:
        os.killpg(server.pid, signal.SIGTERM)
    python = sum(row[1] for row in per_kind.values())
    database = sum(row[2] for row in per_kind.values())
    count = len(entries)
    print(f"{count} requests ({wrong} with another status than expected), load average {os.getloadavg()[0]:.2f}")
    print(
        f"processor time per request: Python {python / count:.1f} ms, PostgreSQL {database / count:.1f} ms, "
        f"together {(python + database) / count:.1f} ms"
    )
    print("| kind | requests | Python ms | PostgreSQL ms | share of the processor time |")
    print("|---|---:|---:|---:|---:|")
    for kind, (n, py, pg, _wall) in sorted(per_kind.items(), key=lambda item: -(item[1][1] + item[1][2])):
        print(f"| {kind} | {n} | {py / n:.1f} | {pg / n:.1f} | {100 * (py + pg) / (python + database):.1f} % |")


if __name__ == "__main__":
    main()
