"""Create the four role groups of docs/domain.md with their permissions."""

from django.db import migrations

from accounts.roles import sync_role_groups


def create_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("employees", "0001_initial"),
        ("evaluations", "0003_referral"),
        ("partners", "0001_initial"),
        ("trajectories", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
