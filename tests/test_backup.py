"""Backup and restore (docs/operations.md; docs/security.md, row 5.3).

`manage.py verify_backup` dumps a database with the demo data loaded
(pg_dump, custom format), restores it into a fresh database (pg_restore)
and compares every table's row count and every figure of the parliamentary
pack on both. It succeeds on a faithful copy and fails loudly when the
restored copy is altered (a row deleted, a value changed).

PostgreSQL only (pg_dump); outside CI (CI=true) these tests skip on SQLite,
in CI they must run.
"""

import os

import pytest

from tests.separate_db import SeparateDatabase, vendor

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The reference dates of the minister's answer (demo/reference): the figures the demo reproduces.
DATES = ["--as-of=2019-11-30", "--as-of=2020-10-31"]


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    if vendor() != "postgresql":
        if IN_CI:
            pytest.fail("CI=true: the backup tests must run against PostgreSQL (DATABASE_URL)")
        pytest.skip("needs PostgreSQL (pg_dump/pg_restore); runs in CI")
    db = SeparateDatabase.migrated(tmp_path_factory.mktemp("backup"))
    db.manage("loaddemo")
    yield db
    db.drop()


def restored_copy_exists(db) -> bool:
    return bool(db.query("SELECT 1 FROM pg_database WHERE datname = %s", [f"{db.name}_restore_check"]))


def test_a_dump_restored_into_a_fresh_database_gives_the_same_figures(demo_database, tmp_path):
    dump = tmp_path / "doorstroom.dump"
    result = demo_database.manage("verify_backup", *DATES, f"--dump={dump}")
    assert "Restore verified: " in result.stdout
    assert "27 pack reports at 2 dates, as known then and now" in result.stdout
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert not restored_copy_exists(demo_database)


def test_the_check_fails_loudly_when_a_row_is_missing_from_the_restored_copy(demo_database):
    result = demo_database.manage(
        "verify_backup",
        *DATES,
        "--tamper-sql=DELETE FROM trajectories_internship WHERE id = (SELECT MIN(id) FROM trajectories_internship)",
        check=False,
    )
    assert result.returncode != 0
    assert "table trajectories_internship: 193 rows in the original, 192 restored" in result.stderr
    assert "known now: the figures differ" in result.stderr  # the figures read from the records notice it too
    assert "The restored copy differs from the original in " in result.stderr
    assert "Restore verified" not in result.stdout
    assert not restored_copy_exists(demo_database)


def test_the_check_fails_loudly_when_a_figure_differs_on_the_restored_copy(demo_database):
    """Same row counts, one changed value: the pack's figures tell."""
    result = demo_database.manage(
        "verify_backup",
        *DATES,
        "--tamper-sql=UPDATE trajectories_trajectory SET start_date = start_date - 400 WHERE id IN "
        "(SELECT id FROM trajectories_trajectory WHERE start_date BETWEEN '2019-01-01' AND '2019-11-30' "
        "ORDER BY id LIMIT 5)",
        check=False,
    )
    assert result.returncode != 0
    assert "the figures differ" in result.stderr
    assert "rows in the original" not in result.stderr
