"""Encrypt the kept content of earlier import runs: an uploaded file lists INSZ numbers in clear.

From now on imports.services keeps a run's file as a Fernet token (the keys of
DOORSTROOM_INSZ_KEYS, as for the INSZ columns); this converts the runs kept
before. Backwards, the files are decrypted again.
"""

from django.db import migrations

from common.crypto import decrypt_bytes, encrypt_bytes


def _convert(apps, change):
    ImportRun = apps.get_model("imports", "ImportRun")
    for run in ImportRun.objects.only("pk", "content").iterator(chunk_size=50):
        ImportRun.objects.filter(pk=run.pk).update(content=change(bytes(run.content)))


def encrypt(apps, schema_editor):
    _convert(apps, encrypt_bytes)


def decrypt(apps, schema_editor):
    _convert(apps, decrypt_bytes)


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
