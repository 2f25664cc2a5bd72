"""Fill the database with synthetic persons and their records, for benchmarks (demo/synthetic.py)."""

import time

from django.core.management.base import BaseCommand

from demo.synthetic import generate


class Command(BaseCommand):
    help = "Write N fictitious persons with employment spells, evaluations, referrals, trajectories, internships and grants."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, required=True, help="How many persons to make.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (same seed, same data).")

    def handle(self, *args, persons, seed, **options):
        started = time.perf_counter()
        counts = generate(persons=persons, seed=seed)
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Synthetische data in {time.perf_counter() - started:.1f} s: {summary}."))
