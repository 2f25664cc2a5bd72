"""Load the fictitious demo data set (skipped when it is already there)."""

from django.core.management.base import BaseCommand

from demo.data import demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo data set: partners of the ministerial answer and fictitious persons and records."

    def handle(self, *args, **options):
        if demo_is_loaded():
            self.stdout.write("De demodata zijn al geladen.")
            return
        counts = load_demo()
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demodata geladen: {summary}."))
