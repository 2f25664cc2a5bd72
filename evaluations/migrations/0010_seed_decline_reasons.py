"""Seed the reasons a partner declines a referral with, and keep the answer of referrals already started.

A referral started before its answer was recorded gets, as its answer, the day its trajectory was
registered (at noon, Brussels time), so that the days to answer are known for it too.
"""

import datetime
import zoneinfo

from django.db import migrations

REASONS = [
    ("no_capacity", "geen capaciteit", "no capacity", 1),
    ("not_eligible", "niet in aanmerking", "not eligible", 2),
    ("person_declined", "persoon weigert", "person declined", 3),
    ("other", "andere reden", "other", 4),
]

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def seed(apps, schema_editor):
    DeclineReason = apps.get_model("evaluations", "DeclineReason")
    for code, label_nl, label_en, position in REASONS:
        DeclineReason.objects.update_or_create(
            code=code, defaults={"label_nl": label_nl, "label_en": label_en, "position": position}
        )


def backfill_answers(apps, schema_editor):
    Referral = apps.get_model("evaluations", "Referral")
    started = Referral.objects.filter(status="started", answered_at__isnull=True, trajectory__isnull=False)
    for referral in started.select_related("trajectory").iterator(chunk_size=2000):
        day = max(referral.trajectory.registered_on, referral.registered_on)
        referral.answered_at = datetime.datetime.combine(day, datetime.time(12), tzinfo=BRUSSELS)
        referral.days_to_answer = (day - referral.registered_on).days
        referral.save(update_fields=["answered_at", "days_to_answer"])


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0009_referral_answers")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(backfill_answers, migrations.RunPython.noop),
    ]
