"""The access log moves to the audit app (issue 13): the model leaves this app's state, the table stays.

audit 0001 takes the model into its state with the same table, and moves the content type (and so the
permissions that point to it) to the audit app. No row is copied and no table renamed.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("employees", "0012_lookup_refused_and_user_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessEvent")],
            database_operations=[],
        ),
    ]
