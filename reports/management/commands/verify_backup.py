"""Back the database up with pg_dump, restore it into a fresh database, and prove the copy gives the same figures.

docs/operations.md describes the procedure this checks. Steps:

1. A transaction on the database exports a snapshot (pg_export_snapshot):
   the dump and the figures of the original are both read from it, so
   that the check holds while the application keeps writing.
2. `pg_dump --format=custom --snapshot=...` writes the dump.
3. `createdb` makes a fresh database, `pg_restore --exit-on-error` fills it.
4. Every table's row count and every figure of the parliamentary pack
   (`manage.py ministerial_figures`) are computed on the original (in the
   snapshot) and on the restored copy, and compared.
5. The restored copy is dropped (unless --keep-restored).

Any difference, or any failing step, ends the command with an error and a
non-zero exit status.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common import changes
from reports.management.commands.ministerial_figures import default_dates


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump, custom format), restore the dump into a fresh database (pg_restore) and check "
        "that every table's row count and every figure of the parliamentary pack are the same on both."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dump", help="Keep the dump in this file (default: a temporary file, removed afterwards)."
        )
        parser.add_argument("--restore-into", help="Name of the fresh database (default: <database>_restore_check).")
        parser.add_argument("--keep-restored", action="store_true", help="Leave the restored database in place.")
        parser.add_argument(
            "--as-of",
            action="append",
            dest="dates",
            metavar="YYYY-MM-DD",
            help="Compare the figures at this reference date (repeatable); default: every year end "
            "since 2014, and today.",
        )
        # For the test that proves the check can fail: SQL run on the restored copy before the comparison.
        parser.add_argument("--tamper-sql", help=argparse.SUPPRESS)

    @staticmethod
    def _client_tools(db):
        """The connection arguments of PostgreSQL's client programs, and a runner that fails loudly."""
        server = [
            "--host",
            db["HOST"] or "127.0.0.1",
            "--port",
            str(db["PORT"] or 5432),
            "--username",
            db["USER"] or "postgres",
        ]
        env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}

        def run(*command):
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
            return result

        return server, run

    def handle(self, *args, dump=None, restore_into=None, keep_restored=False, dates=None, tamper_sql=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("verify_backup needs PostgreSQL (pg_dump and pg_restore).")
        db = connection.settings_dict
        source = db["NAME"]
        target = restore_into or f"{source}_restore_check"
        if target == source:
            raise CommandError("The restored copy needs a name of its own.")
        dates = dates or [d.isoformat() for d in default_dates()]
        server, run = self._client_tools(db)
        workdir = Path(tempfile.mkdtemp(prefix="verify-backup-"))
        dump_path = Path(dump) if dump else workdir / f"{source}.dump"
        snapshot_conn = self._connect(db, source)
        try:
            # 1. One snapshot for the dump and for the original's figures.
            snapshot_conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            snapshot = snapshot_conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            source_counts = self._counts(snapshot_conn)
            # 2. The dump.
            run("pg_dump", *server, "--format=custom", f"--snapshot={snapshot}", "--file", str(dump_path), source)
            self.stdout.write(f"Dump: {dump_path} ({dump_path.stat().st_size:,} bytes)")
            # 3. A fresh database, restored from the dump.
            run("dropdb", *server, "--if-exists", "--force", target)
            run("createdb", *server, target)
            try:
                run("pg_restore", *server, "--exit-on-error", "--no-owner", "--dbname", target, str(dump_path))
                self.stdout.write(f"Restored into {target}.")
                if tamper_sql:
                    tamper = self._connect(db, target, autocommit=True)
                    tamper.execute(tamper_sql)
                    tamper.close()
                # 4. The comparison.
                restored = self._connect(db, target)
                restored_counts = self._counts(restored)
                restored.close()
                source_figures = self._figures(db, source, dates, workdir, snapshot)
                restored_figures = self._figures(db, target, dates, workdir, None)
            finally:
                if not keep_restored:
                    run("dropdb", *server, "--if-exists", "--force", target)
        finally:
            snapshot_conn.close()
            if not dump:
                dump_path.unlink(missing_ok=True)
            for leftover in workdir.iterdir():
                leftover.unlink()
            workdir.rmdir()

        differences = [
            f"table {table}: {source_counts.get(table)} rows in the original, {restored_counts.get(table)} restored"
            for table in sorted(set(source_counts) | set(restored_counts))
            if source_counts.get(table) != restored_counts.get(table)
        ]
        for slug in sorted(set(source_figures) | set(restored_figures)):
            original, restored = source_figures.get(slug, {}), restored_figures.get(slug, {})
            for day in sorted(set(original) | set(restored)):
                if original.get(day) != restored.get(day):
                    differences.append(f"report {slug} at {day}: the figures differ")
        figure_count = sum(len(rows) for by_day in source_figures.values() for rows in by_day.values())
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(f"The restored copy differs from the original in {len(differences)} place(s).")
        self.stdout.write(
            f"Restore verified: {len(source_counts)} tables with the same row counts; {len(source_figures)} pack "
            f"reports at {len(dates)} dates, as known then and now ({figure_count} figures), the same on the original and the restored copy."
        )

    @staticmethod
    def _connect(db, name, autocommit=False):

        return psycopg.connect(
            dbname=name,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"] or "postgres",
            password=db.get("PASSWORD") or None,
            autocommit=autocommit,
        )

    @staticmethod
    def _counts(conn) -> dict[str, int]:
        # Not the notes of which tables changed (common/changes.py): bookkeeping that the checks' own
        # writes add to (the tampering of a test, a compaction by a report), not records.
        tables = [
            name
            for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            if name != changes.TABLE
        ]
        return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}

    def _figures(self, db, name, dates, workdir, snapshot) -> dict:
        """The pack's figures computed by `manage.py ministerial_figures` in a process of its own on that database."""
        output = workdir / f"{name}-figures.json"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        url = f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "ministerial_figures",
            "--output",
            str(output),
        ]
        command += [f"--as-of={day}" for day in dates]
        if snapshot:
            command.append(f"--snapshot={snapshot}")
        result = subprocess.run(
            command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, cwd=settings.BASE_DIR
        )
        if result.returncode != 0:
            raise CommandError(f"ministerial_figures failed on {name}: {result.stderr.strip()}")
        return json.loads(output.read_text(encoding="utf-8"))["reports"]
