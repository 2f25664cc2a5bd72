"""An import or a multi-record workflow killed half-way leaves nothing half-written (docs/security.md, row 5.2).

Each test runs the real code in a child process (tests/fault_child.py) on a
real database of its own (tests/separate_db.py: PostgreSQL in CI, a file on
SQLite), stops it between two of its writes, checks that it has written
without committing, kills it with SIGKILL and compares every table (row
counts and content, history included) with what it held before. The same
run without the kill then writes, so the test would notice if nothing had
been written in the first place.
"""

import datetime
import os
import signal

import pytest

from common.identifiers import make_insz
from tests.separate_db import SeparateDatabase, wait_for

ROWS = 20


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    db = SeparateDatabase.migrated(tmp_path_factory.mktemp("faults"))
    yield db
    db.drop()


@pytest.fixture
def database(template, tmp_path):
    db = template.copy(tmp_path)
    yield db
    db.drop()


def kill_at_pause(db: SeparateDatabase, tmp_path, scenario: str, arguments: dict) -> str:
    """Run the scenario until its pause point, check it is mid-transaction, SIGKILL it; return where it stood."""
    marker = tmp_path / f"{scenario}.paused"
    process = db.child(scenario, arguments, FAULT_MARKER=str(marker))
    try:
        where = wait_for(marker, process)
        assert db.has_open_write_transaction(), "the child should have written, uncommitted, when it is killed"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    db.wait_until_nobody_is_connected()
    return where


def persons_file(tmp_path) -> str:
    lines = ["insz,first_name,last_name,birth_date"]
    for n in range(ROWS):
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n)
        lines.append(f"{make_insz(birth, 101)},Persoon,Nummer {n},{birth.isoformat()}")
    path = tmp_path / "personen.csv"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.mark.parametrize("pause", ["after_first_chunk", "before_the_run_is_recorded"])
def test_an_import_killed_half_way_leaves_the_database_as_it_was(database, tmp_path, pause):
    arguments = {"kind": "employees", "file": persons_file(tmp_path), "chunk": 5, "pause": pause}
    before = database.snapshot()

    assert kill_at_pause(database, tmp_path, "import_records", arguments) == pause

    assert database.snapshot() == before
    # Not killed, the same import writes its 20 persons, their history and the run.
    database.run("import_records", {**arguments, "pause": None})
    after = database.snapshot()
    assert after["employees_employee"][0] == before["employees_employee"][0] + ROWS
    assert after["employees_historicalemployee"][0] == before["employees_historicalemployee"][0] + ROWS
    assert after["imports_importrun"][0] == before["imports_importrun"][0] + 1


def test_ending_a_trajectory_killed_between_its_writes_leaves_nothing_half_written(database, tmp_path):
    seeded = database.run("seed")
    before = database.snapshot()

    assert kill_at_pause(database, tmp_path, "end_trajectory", {**seeded, "pause": True}) == "trajectory_saved"

    assert database.snapshot() == before
    assert database.query(
        "SELECT end_date FROM trajectories_trajectory WHERE id = {}".format(int(seeded["trajectory"]))
    ) == [(None,)]
    database.run("end_trajectory", seeded)
    after = database.snapshot()
    assert after["employees_employment"][0] == before["employees_employment"][0] + 1
    assert after["trajectories_historicaltrajectory"][0] == before["trajectories_historicaltrajectory"][0] + 1


def test_starting_a_trajectory_from_a_referral_killed_between_its_writes_leaves_nothing_half_written(
    database, tmp_path
):
    seeded = database.run("seed")
    before = database.snapshot()

    assert kill_at_pause(database, tmp_path, "start_trajectory", {**seeded, "pause": True}) == "trajectory_saved"

    assert database.snapshot() == before
    status = database.query(
        "SELECT status, trajectory_id FROM evaluations_referral WHERE id = {}".format(int(seeded["referral"]))
    )
    assert status == [("waiting", None)]
    started = database.run("start_trajectory", seeded)
    status = database.query(
        "SELECT status, trajectory_id FROM evaluations_referral WHERE id = {}".format(int(seeded["referral"]))
    )
    assert status == [("started", started["trajectory"])]
    assert database.snapshot()["trajectories_trajectory"][0] == before["trajectories_trajectory"][0] + 1


def test_a_background_export_killed_half_way_leaves_no_file_and_runs_again(database, tmp_path):
    """The worker (manage.py db_worker) is killed with SIGKILL after 7 of 20 rows: no file is kept, the job
    shows as interrupted once its heartbeat is old, and started again it writes the whole list."""
    results = tmp_path / "results"
    job = database.run("start_export", {"rows": ROWS})["job"]
    before = database.snapshot()

    marker = tmp_path / "worker.paused"
    process = database.child("worker", {"results": str(results), "pause_after": 7}, FAULT_MARKER=str(marker))
    try:
        assert wait_for(marker, process) == "rows_written"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    database.wait_until_nobody_is_connected()
    status = database.query(
        f"SELECT status, progress_done, progress_total, result_file FROM jobs_backgroundjob WHERE id = {int(job)}"
    )
    assert status == [("running", 7, ROWS, "")]
    assert not [path for path in results.rglob("*") if path.is_file()]
    after_kill = database.snapshot()
    changed = {table for table in before if before[table] != after_kill[table]}
    assert changed <= {"jobs_backgroundjob", "django_tasks_database_dbtaskresult"}, changed

    assert database.run("restart_job", {"job": job}) == {"interrupted": True, "status": "queued"}
    database.run("worker", {"results": str(results)})
    status = database.query(f"SELECT status, attempts, result_rows FROM jobs_backgroundjob WHERE id = {int(job)}")
    assert status == [("done", 2, ROWS)]
    files = [path for path in results.rglob("*") if path.is_file()]
    assert len(files) == 1 and len(files[0].read_text().splitlines()) == ROWS + 1
