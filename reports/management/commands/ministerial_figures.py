"""Every figure of the parliamentary pack, as JSON: for comparing two databases (verify_backup) or two moments."""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from reports import exports
from reports.models import SavedReport
from reports.services import run_report

FIRST_YEAR = 2014  # the register holds employment history from 2014 (docs/demo-data.md)


def default_dates(today: datetime.date | None = None) -> list[datetime.date]:
    """The end of every year of the register so far, and today."""
    today = today or timezone.localdate()
    return [datetime.date(year, 12, 31) for year in range(FIRST_YEAR, today.year)] + [today]


def figures(dates) -> dict:
    """{report slug: {date: rows}} for every report of the pack at each date, twice: as the register stood at
    the end of that day (read from the history tables, as the minister's answer was) and as it stands now
    (read from the records themselves)."""
    result = {}
    for report in SavedReport.objects.filter(in_pack=True).order_by("slug"):
        by_day = {}
        for day in dates:
            for known_at, key in ((day, day.isoformat()), (None, f"{day.isoformat()} known now")):
                by_day[key] = json.loads(exports.to_json(run_report(report, as_of=day, known_at=known_at)))["rows"]
        result[report.slug] = by_day
    return result


class Command(BaseCommand):
    help = (
        "Print every figure of the parliamentary pack as JSON: each pack report at each date, as known at that "
        "date and as known now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            action="append",
            dest="dates",
            metavar="YYYY-MM-DD",
            help="A reference date (repeat for several); default: 31 December of every year since "
            f"{FIRST_YEAR}, and today.",
        )
        parser.add_argument("--output", help="File to write; standard output when absent.")
        parser.add_argument(
            "--snapshot", help="PostgreSQL: read the data as of this exported snapshot (pg_export_snapshot())."
        )

    def handle(self, *args, dates=None, output=None, snapshot=None, **options):
        try:
            days = [datetime.date.fromisoformat(d) for d in dates] if dates else default_dates()
        except ValueError as exc:
            raise CommandError(f"Not a date (YYYY-MM-DD): {exc}") from exc
        with transaction.atomic():
            if snapshot:
                if connection.vendor != "postgresql":
                    raise CommandError("--snapshot needs PostgreSQL.")
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            content = json.dumps(
                {"dates": [d.isoformat() for d in days], "reports": figures(days)},
                ensure_ascii=False,
                sort_keys=True,
                indent=1,
            )
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(content + "\n")
        else:
            sys.stdout.write(content + "\n")
