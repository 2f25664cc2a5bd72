"""Delete the files of background jobs whose results expired (DOORSTROOM_JOB_RESULT_HOURS); run it hourly."""

from django.core.management.base import BaseCommand

from jobs.services import expire


class Command(BaseCommand):
    help = "Delete the files of background jobs whose results expired."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire()} expired")
