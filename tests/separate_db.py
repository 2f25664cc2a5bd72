"""Real databases of their own, next to the test database, for tests that run the application in other processes.

The test database lives inside the test's transaction (or in memory on
SQLite), which another process cannot see. These databases are ordinary
ones on the same server (PostgreSQL) or files (SQLite): migrated once per
test module into a template, then copied per test.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
_numbers = itertools.count(1)


def vendor() -> str:
    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def _server() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def _pg(dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(dbname=dbname, autocommit=True, **_server())


def _base_name() -> str:
    name = str(settings.DATABASES["default"].get("TEST", {}).get("NAME") or settings.DATABASES["default"]["NAME"])
    return Path(name).stem.removeprefix("test_")[:30]


@dataclass
class SeparateDatabase:
    """One database: its DATABASE_URL, and what the tests read from it directly."""

    name: str  # PostgreSQL database name, or SQLite file path
    is_template: bool = False

    @property
    def url(self) -> str:
        if vendor() == "sqlite":
            return f"sqlite:///{self.name}"
        s = _server()
        password = f":{s['password']}" if s["password"] else ""
        return f"postgres://{s['user']}{password}@{s['host']}:{s['port']}/{self.name}"

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="config.settings", **extra)
        return env

    # ----- making and dropping ------------------------------------------------
    @classmethod
    def migrated(cls, tmp_dir: Path) -> SeparateDatabase:
        """A new, migrated database to copy from."""
        if vendor() == "sqlite":
            db = cls(str(tmp_dir / "template.sqlite3"), is_template=True)
        else:
            db = cls(f"{_base_name()}_tpl_{os.getpid()}", is_template=True)
            with _pg() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{db.name}"')
        db.manage("migrate", "--no-input", "-v0")
        return db

    def copy(self, tmp_dir: Path) -> SeparateDatabase:
        """A copy of this (template) database, for one test."""
        n = next(_numbers)
        if vendor() == "sqlite":
            copy = SeparateDatabase(str(tmp_dir / f"copy{n}.sqlite3"))
            shutil.copyfile(self.name, copy.name)
            return copy
        copy = SeparateDatabase(f"{_base_name()}_c{n}_{os.getpid()}")
        with _pg() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{copy.name}" TEMPLATE "{self.name}"')
        return copy

    def drop(self) -> None:
        if vendor() == "sqlite":
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(self.name + suffix).unlink(missing_ok=True)
            return
        with _pg() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    # ----- running the application on it -----------------------------------------
    def manage(self, *args, check=True, **env) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def child(self, scenario: str, arguments: dict | None = None, **env) -> subprocess.Popen:
        """Start tests/fault_child.py on this database."""
        return subprocess.Popen(
            [sys.executable, "-m", "tests.fault_child", scenario, json.dumps(arguments or {})],
            cwd=ROOT,
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, scenario: str, arguments: dict | None = None) -> dict:
        process = self.child(scenario, arguments)
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, f"{scenario} failed:\n{out}\n{err}"
        return json.loads(out.strip().splitlines()[-1])

    # ----- reading it directly ------------------------------------------------------
    def _connect(self):
        return sqlite3.connect(self.name) if vendor() == "sqlite" else _pg(self.name)

    def query(self, sql: str, params=()) -> list[tuple]:
        conn = self._connect()
        try:
            cursor = conn.cursor()
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            conn.close()

    def tables(self) -> list[str]:
        if vendor() == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        return [name for (name,) in self.query(sql)]

    def snapshot(self) -> dict[str, tuple[int, str]]:
        """Every table's row count and a digest of its content: equal snapshots mean the same data."""
        conn = self._connect()
        try:
            result = {}
            for table in self.tables():
                cursor = conn.cursor()
                cursor.execute(f'SELECT * FROM "{table}"')
                rows = sorted(repr(row) for row in cursor.fetchall())
                result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16])
            return result
        finally:
            conn.close()

    def count(self, table: str) -> int:
        return self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]

    def has_open_write_transaction(self) -> bool:
        """Whether a process is in the middle of a transaction that has written (and not committed)."""
        if vendor() == "sqlite":
            return Path(self.name + "-journal").exists() or Path(self.name + "-wal").exists()
        rows = self.query(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL "
            "AND state LIKE 'idle in transaction%%'",
            [self.name],
        )
        return rows[0][0] > 0

    def wait_until_nobody_is_connected(self, timeout: float = 60) -> None:
        """After a kill, PostgreSQL notices the lost connection and rolls its transaction back."""
        if vendor() == "sqlite":
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (
                self.query(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.name]
                )[0][0]
                == 0
            ):
                return
            time.sleep(0.1)
        raise AssertionError("the killed process's session is still there")


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 300) -> str:
    """Wait until the child writes its pause marker; fail at once if it ends instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the child ended before its pause point:\n{out}\n{err}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the child did not reach its pause point")
