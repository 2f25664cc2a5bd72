"""Seed the reasons a trajectory ends; administrators can add more."""

from django.db import migrations

END_REASONS = [
    ("job_regular", "werk gevonden in het NEC", "found a job in the regular economy", 1),
    ("completed", "traject volledig doorlopen", "trajectory completed", 2),
    ("back_to_social_economy", "terug naar de sociale economie", "back to the social economy", 3),
    ("health", "medische redenen", "health reasons", 4),
    ("motivation", "onvoldoende motivatie", "insufficient motivation", 5),
    ("personal", "persoonlijke omstandigheden", "personal circumstances", 6),
    ("employer", "werkgever stopt de vrijstelling", "employer ends the release from work", 7),
    ("other", "andere reden", "other reason", 99),
]


def seed(apps, schema_editor):
    EndReason = apps.get_model("trajectories", "EndReason")
    for code, label_nl, label_en, position in END_REASONS:
        EndReason.objects.update_or_create(
            code=code, defaults={"label_nl": label_nl, "label_en": label_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
