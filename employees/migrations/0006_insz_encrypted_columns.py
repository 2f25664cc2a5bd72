"""The INSZ at rest, step 1 of 3: add the encrypted and the keyed-hash columns beside the clear one.

The clear column becomes nullable and not unique. Step 2 (0007) fills the
new columns from the clear number, step 3 (0008) drops the clear
column and adds the digest's indexes, once the columns are filled.
"""

from django.db import migrations, models

import common.validators


def _encrypted(verbose_name, **extra):
    return models.TextField(verbose_name, null=True, blank=True, editable=False, **extra)


def _digest(verbose_name, **extra):
    return models.CharField(verbose_name, max_length=64, null=True, blank=True, editable=False, **extra)


def _old_insz(**extra):
    return models.CharField(
        help_text="National register or BIS number: 11 digits.",
        max_length=11,
        validators=[common.validators.validate_insz],
        verbose_name="INSZ number",
        **extra,
    )


class Migration(migrations.Migration):
    dependencies = [("employees", "0005_access_log_and_retention")]

    operations = [
        # The clear column may be empty from now on (0008 drops it; backwards, 0007 fills it first).
        migrations.AlterField(model_name="employee", name="insz", field=_old_insz(null=True)),
        migrations.AlterField(model_name="historicalemployee", name="insz", field=_old_insz(null=True)),
        migrations.AlterField(
            model_name="accessevent",
            name="insz",
            field=models.CharField(max_length=11, null=True, blank=True, verbose_name="INSZ number looked up"),
        ),
        migrations.AddField(
            model_name="employee",
            name="insz_encrypted",
            field=_encrypted("INSZ number (encrypted)", help_text="A Fernet token; the key is kept outside the database."),
        ),
        migrations.AddField(model_name="employee", name="insz_digest", field=_digest("INSZ number (keyed hash)")),
        migrations.AddField(
            model_name="historicalemployee",
            name="insz_encrypted",
            field=_encrypted("INSZ number (encrypted)", help_text="A Fernet token; the key is kept outside the database."),
        ),
        migrations.AddField(
            model_name="historicalemployee", name="insz_digest", field=_digest("INSZ number (keyed hash)")
        ),
        migrations.AddField(
            model_name="accessevent", name="insz_encrypted", field=_encrypted("INSZ number looked up (encrypted)")
        ),
        migrations.AddField(
            model_name="accessevent",
            name="insz_digest",
            field=_digest("INSZ number looked up (keyed hash)"),
        ),
    ]
