"""Export the records of one kind in exactly the format import_records reads."""

import sys

from django.core.management.base import BaseCommand

from imports.constants import ImportKind
from imports.exports import export_table, to_csv, to_xlsx


class Command(BaseCommand):
    help = "Export records of one kind as CSV or XLSX in the import format."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("--output", help="File to write (default: standard output, CSV only).")
        parser.add_argument("--format", choices=["csv", "xlsx"], default=None)

    def handle(self, *args, kind, output=None, format=None, **options):
        if format is None:
            format = "xlsx" if output and output.lower().endswith(".xlsx") else "csv"
        headers, rows = export_table(kind)
        content = to_xlsx(headers, rows, title=kind) if format == "xlsx" else to_csv(headers, rows)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"{len(rows)} rows written to {output}")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
