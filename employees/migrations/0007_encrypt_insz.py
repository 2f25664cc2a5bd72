"""The INSZ at rest, step 2 of 3: encrypt every clear INSZ and compute its keyed hash.

Persons, every historical version of a person (django-simple-history keeps the
clear number there too) and the look-ups in the access log. The keys are those of the
environment (DOORSTROOM_INSZ_KEYS, DOORSTROOM_INSZ_HASH_KEY): run this with the
production keys in place, or the numbers cannot be read back. Backwards, the
numbers are decrypted into the clear column again.
"""

from django.db import migrations

from common.crypto import decrypt_insz, encrypt_insz, insz_digest

CHUNK = 2000
MODELS = ["Employee", "HistoricalEmployee", "AccessEvent"]


def _update(connection, model, rows):
    """Write (pk, values...) rows into the given columns: one UPDATE ... FROM (VALUES ...) per chunk on
    PostgreSQL (bulk_update's CASE expressions took minutes at 100,000 rows), executemany elsewhere."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = rows[0][1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            width = len(columns) + 1
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(rows))
            assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
            names = ", ".join(["id", *(quote(c) for c in columns)])
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM (VALUES {values}) AS v({names}) WHERE t.{pk} = v.id",
                [value for key, _columns, values_ in rows for value in (key, *values_)],
            )
        else:
            assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [(*values_, key) for key, _columns, values_ in rows]
            )


def _convert(apps, schema_editor, source, columns, change):
    connection = schema_editor.connection
    for name in MODELS:
        model = apps.get_model("employees", name)
        pk = model._meta.pk.attname
        queryset = model.objects.filter(**{f"{source}__isnull": False}).exclude(**{source: ""}).order_by(pk)
        batch = []
        for key, value in queryset.values_list(pk, source).iterator(chunk_size=CHUNK):
            batch.append((key, columns, change(value)))
            if len(batch) == CHUNK:
                _update(connection, model, batch)
                batch = []
        if batch:
            _update(connection, model, batch)


def encrypt(apps, schema_editor):
    # One token per number, shared by the person, their history rows and the look-ups: a person's latest
    # history row must stay equal to the person (common.history.history_disagreements), which two
    # encryptions of the same number (each with a fresh IV) would not be. The digest shows equal numbers anyway.
    tokens = {}

    def change(number):
        if number not in tokens:
            tokens[number] = (encrypt_insz(number), insz_digest(number))
        return tokens[number]

    _convert(apps, schema_editor, "insz", ["insz_encrypted", "insz_digest"], change)


def decrypt(apps, schema_editor):
    _convert(apps, schema_editor, "insz_encrypted", ["insz"], lambda token: (decrypt_insz(token),))


class Migration(migrations.Migration):
    dependencies = [("employees", "0006_insz_encrypted_columns")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
