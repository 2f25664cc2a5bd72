"""Benchmark: a whole-list export in the background (jobs/) — the web request, the worker, the progress.

Not a test. Run it against a database holding the synthetic persons (bench/run.py, generate_synthetic):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/i18b_100k .venv/bin/python bench/job_bench.py --format csv

As an evaluator (who sees every person) it posts "CSV op de achtergrond" on the person list through
Django's test client, in this process, and times that request: it only records the job and queues its
task. Then it starts `manage.py db_worker --batch` as a separate process, as production runs it, and
while that works polls the job's status address once a second, as the page does (static/js/jobs.js),
timing each poll and noting the progress. It prints the request's time, the worker's wall time and
peak resident memory, the rows and the file's size, the progress seen, and the status requests' times.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from jobs.models import BackgroundJob  # noqa: E402


def evaluator() -> User:
    user, _ = User.objects.get_or_create(username="bench-evaluator", defaults={"first_name": "Bench"})
    user.groups.add(Group.objects.get(name=Role.EVALUATOR.value))
    return user


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    results = tempfile.mkdtemp(prefix="i18b-results-")
    settings.DOORSTROOM_JOB_RESULTS_DIR = results
    client = Client()
    client.force_login(evaluator())

    client.get(reverse("jobs:list"))  # warm: the first request of a process imports the views and templates
    started = time.perf_counter()
    response = client.post(reverse("employees:list"), {"_background": args.format})
    request_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 302, response.status_code
    job = BackgroundJob.objects.latest("pk")
    status_url = reverse("jobs:status", args=[job.pk])

    env = {**os.environ, "DOORSTROOM_JOB_RESULTS_DIR": results}
    worker_started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
    )
    samples, poll_ms = [], []
    while worker.poll() is None:
        time.sleep(1)
        polled = time.perf_counter()
        status = client.get(status_url).json()
        poll_ms.append((time.perf_counter() - polled) * 1000)
        samples.append((round(time.perf_counter() - worker_started), status["done"], status["total"]))
    worker_s = time.perf_counter() - worker_started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    job.refresh_from_db()
    size_mb = job.result_file.size / 1_000_000 if job.result_file else 0
    print(f"format {args.format}; job {job.status}; rows {job.result_rows}")
    print(f"request answered in {request_ms:.0f} ms")
    print(f"worker: {worker_s:.1f} s wall, peak RSS {peak_mb:.0f} MB; file {size_mb:.2f} MB")
    poll_ms.sort()
    print(f"status polls: {len(poll_ms)}, median {poll_ms[len(poll_ms) // 2]:.1f} ms, max {poll_ms[-1]:.1f} ms")
    step = max(1, len(samples) // 8)
    print("progress (s, done, total):", samples[::step] + samples[-1:])
    print("load average:", " / ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
