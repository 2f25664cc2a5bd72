"""Import a CSV or XLSX file of one kind: all rows or none; prints every error and exits non-zero on any."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from imports import limits
from imports.constants import ImportKind
from imports.services import import_file, record_run


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of organisations, employees, employments, evaluations, trajectories, internships or grants."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument(
            "--user", help="Username recorded as the importer (default: none, acting as administrator)."
        )
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
        # The records and the run that records the import are written together or not at all.
        with transaction.atomic():
            result = import_file(kind=kind, content=content, file_name=path.name, user=importer, dry_run=dry_run)
            if not dry_run:
                record_run(kind=kind, content=content, file_name=path.name, user=importer, result=result)
        if result.errors:
            for error in result.errors:
                self.stderr.write(
                    _("row %(row)s, column %(column)s, value %(value)r: %(message)s")
                    % {"row": error.row, "column": error.column or "-", "value": error.value, "message": error.message}
                )
            if result.more_errors:
                self.stderr.write(limits.more_errors_message())
                raise CommandError(
                    _("More than %(count)s errors: nothing was imported.") % {"count": len(result.errors)}
                )
            raise CommandError(_("%(count)s error(s): nothing was imported.") % {"count": len(result.errors)})
        counts = {
            "total": result.total,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            message = _(
                "%(total)s rows checked, nothing written: %(created)s would be new, %(updated)s updated, %(unchanged)s unchanged."
            )
        else:
            message = _("%(total)s rows: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
        self.stdout.write(message % counts)
