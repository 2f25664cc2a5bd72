"""Export a saved report as JSON, CSV or XLSX, for a reference date and a register state."""

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from reports import exports
from reports.models import SavedReport
from reports.services import run_report


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Export a saved report (JSON, CSV or XLSX) to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--as-of", dest="as_of", help="Reference date D, YYYY-MM-DD.")
        parser.add_argument("--known-at", dest="known_at", help="Read the register as it stood at the end of this day.")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", help="File to write; standard output when absent.")

    def handle(self, *args, **options):
        try:
            report = SavedReport.objects.get(slug=options["slug"])
        except SavedReport.DoesNotExist as exc:
            raise CommandError(f"No saved report with slug {options['slug']!r}.") from exc
        as_of = _date(options["as_of"]) if options["as_of"] else None
        known_at = _date(options["known_at"]) if options["known_at"] else None
        run = run_report(report, as_of=as_of, known_at=known_at)
        fmt = options["format"]
        if fmt == "xlsx":
            content = exports.to_xlsx([run])
        elif fmt == "csv":
            content = exports.to_csv(run).encode()
        else:
            content = (exports.to_json(run) + "\n").encode()
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        elif fmt == "xlsx":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            self.stdout.write(content.decode(), ending="")
