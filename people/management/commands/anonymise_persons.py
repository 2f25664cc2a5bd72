"""Anonymise the persons whose last record is older than the retention period (DOORSTROOM_RETENTION_YEARS)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from imports.services import purge_kept_files
from people.retention import persons_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise every person whose last record (job, evaluation, referral, trajectory, internship, "
        "the person record) is older than N years: names, INSZ and notes are cleared, in the history too; "
        "what the reports count by stays."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", help="Retention in years (default: the setting DOORSTROOM_RETENTION_YEARS).")
        parser.add_argument("--today", help="Count back from this day, YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Only count the persons; change nothing.")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            years = self._years(options["years"])
            today = self._today(options["today"])
            result = persons_anonymise(
                years=years, today=today, run_by="manage.py anonymise_persons", dry_run=options["dry_run"]
            )
            values = {"count": result.persons, "cutoff": result.cutoff.strftime("%d/%m/%Y")}
            if options["dry_run"]:
                message = _("Dry run: %(count)s persons have no record since %(cutoff)s; nothing was changed.")
            else:
                message = _("%(count)s persons with no record since %(cutoff)s were anonymised.")
            self.stdout.write(message % values)
            if not options["dry_run"]:
                days = settings.DOORSTROOM_IMPORT_FILE_DAYS
                moment = timezone.make_aware(datetime.datetime.combine(today or timezone.localdate(), datetime.time()))
                emptied = purge_kept_files(before=moment - datetime.timedelta(days=days))
                self.stdout.write(
                    _("%(count)s kept import files older than %(days)s days were emptied.")
                    % {"count": emptied, "days": days}
                )

    def _years(self, value):
        if value is None:
            value = settings.DOORSTROOM_RETENTION_YEARS
        try:
            years = int(value)
        except (TypeError, ValueError):
            years = 0
        if not 1 <= years <= 150:
            raise CommandError(
                _("The retention must be a whole number of years, between 1 and 150 (got %(value)s).")
                % {"value": value}
            )
        return years

    def _today(self, value):
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from exc
