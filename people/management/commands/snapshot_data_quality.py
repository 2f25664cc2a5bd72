"""Write today's data-quality counts: the total and each partner organisation's (people.data_quality)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.access import as_administrator
from people.data_quality import take_snapshot


class Command(BaseCommand):
    help = "Count today's records that break a data-quality rule, in total and per partner, and keep the counts."

    def handle(self, *args, **options):
        # The total is what an administrator sees: every record.
        day = timezone.localdate()
        written = take_snapshot(day, administrator=as_administrator())
        self.stdout.write(f"{written} counts written for {day:%d/%m/%Y}.")
