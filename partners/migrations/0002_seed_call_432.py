"""Seed ESF call 432, which funds the transition trajectories (EUR 4,200 a trajectory, 40 % ESF)."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    Call = apps.get_model("partners", "Call")
    Call.objects.update_or_create(
        number="432",
        defaults={
            "name": "Doorstroom sociale economie",
            "standard_cost": Decimal("4200.00"),
            "esf_share": Decimal("0.40"),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
