"""The INSZ at rest, step 2 of 3: encrypt every clear INSZ and compute its keyed hash.

Persons, every historical version of a person (django-simple-history keeps the
clear number there too) and the look-up log. The keys are those of the
environment (DOORSTROOM_INSZ_KEYS, DOORSTROOM_INSZ_HASH_KEY): run this with the
production keys in place, or the numbers cannot be read back. Backwards, the
numbers are decrypted into the clear column again.
"""

from django.db import migrations

from common.crypto import decrypt_insz, encrypt_insz, insz_digest

CHUNK = 2000
MODELS = ["Employee", "HistoricalEmployee", "PersonLookup"]


def _pk(model):
    return model._meta.pk.attname


def encrypt(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("employees", name)
        pk = _pk(model)
        rows = model.objects.filter(insz_encrypted__isnull=True, insz__isnull=False).exclude(insz="").order_by(pk).only(pk, "insz")
        batch = []
        for record in rows.iterator(chunk_size=CHUNK):
            record.insz_encrypted = encrypt_insz(record.insz)
            record.insz_digest = insz_digest(record.insz)
            batch.append(record)
            if len(batch) == CHUNK:
                model.objects.bulk_update(batch, ["insz_encrypted", "insz_digest"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["insz_encrypted", "insz_digest"])


def decrypt(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("employees", name)
        pk = _pk(model)
        batch = []
        for record in model.objects.filter(insz_encrypted__isnull=False).order_by(pk).only(pk, "insz_encrypted").iterator(
            chunk_size=CHUNK
        ):
            record.insz = decrypt_insz(record.insz_encrypted)
            batch.append(record)
            if len(batch) == CHUNK:
                model.objects.bulk_update(batch, ["insz"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["insz"])


class Migration(migrations.Migration):
    dependencies = [("employees", "0005_insz_encrypted_columns")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
