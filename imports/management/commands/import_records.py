"""Import a CSV or XLSX file of one kind: all rows or none; prints every error and exits non-zero on any."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.constants import ImportKind
from imports.services import import_file, record_run


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of organisations, employees, employments, evaluations, trajectories, internships or grants."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--user", help="Username recorded as the importer (default: none, acting as administrator).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, without writing.")

    def handle(self, *args, kind, file, user=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No such user: {user}")
        content = path.read_bytes()
        result = import_file(kind=kind, content=content, file_name=path.name, user=importer, dry_run=dry_run)
        if not dry_run:
            record_run(kind=kind, content=content, file_name=path.name, user=importer, result=result)
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"rij {error.row}, kolom {error.column or '-'}, waarde {error.value!r}: {error.message}")
            raise CommandError(f"{len(result.errors)} fout(en): niets geïmporteerd.")
        verb = "zou" if dry_run else ""
        self.stdout.write(
            f"{result.total} rijen {verb}: {result.created} nieuw, {result.updated} bijgewerkt, "
            f"{result.unchanged} ongewijzigd.".replace("  ", " ")
        )
