"""Seed the three advices VDAB gives after an evaluation."""

from django.db import migrations

ADVICES = [
    ("ready", "doorstroomklaar", "ready to move on", 1),
    ("internal_transition", "interne doorstroom", "internal transition", 2),
    ("not_ready", "nog ondersteuning nodig", "still needs support", 3),
]


def seed(apps, schema_editor):
    Advice = apps.get_model("evaluations", "Advice")
    for code, label_nl, label_en, position in ADVICES:
        Advice.objects.update_or_create(
            code=code, defaults={"label_nl": label_nl, "label_en": label_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
