"""Re-encrypt every stored INSZ with the first key of DOORSTROOM_INSZ_KEYS, and optionally rehash them.

Encryption key rotation (MultiFernet): put the new key first in
DOORSTROOM_INSZ_KEYS, keep the old ones after it, restart, run this command,
then remove the old keys. Every token (persons, their history, the look-up log,
the kept files of import runs) is re-encrypted with the new key; reading works
throughout.

Hash key rotation: the digests cannot be converted, only recomputed from the
decrypted numbers. Set DOORSTROOM_INSZ_NEW_HASH_KEY, stop the application (a
look-up during the run would use the old key), run with --rehash, then make the
new key DOORSTROOM_INSZ_HASH_KEY and start again. All of it in one transaction.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.models import AccessEvent
from common.crypto import _current_fernet, decrypt_insz, insz_digest
from common.history import bulk_update_with_history, is_tracked
from employees.models import Employee
from imports.models import ImportRun

CHUNK = 2000


class Command(BaseCommand):
    help = "Re-encrypt every INSZ with the first key of DOORSTROOM_INSZ_KEYS; with --rehash, recompute the digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rehash", action="store_true", help="Recompute every digest with DOORSTROOM_INSZ_NEW_HASH_KEY."
        )

    def handle(self, *args, rehash=False, **options):
        new_hash_key = None
        if rehash:
            new_hash_key = os.environ.get("DOORSTROOM_INSZ_NEW_HASH_KEY", "")
            if len(new_hash_key) < 32 or new_hash_key == settings.INSZ_HASH_KEY:
                raise CommandError("--rehash needs DOORSTROOM_INSZ_NEW_HASH_KEY: a new random key of 32+ characters.")
        fernet = _current_fernet()
        with transaction.atomic():
            # The history first: rotating a person writes one more history row (common.history), which
            # must keep the person's new token rather than be rotated again.
            for model in (Employee.history.model, AccessEvent, Employee):
                count = self._rotate(model, fernet, new_hash_key.encode() if new_hash_key else None)
                self.stdout.write(
                    f"{model._meta.label}: {count} INSZ numbers re-encrypted" + (" and rehashed" if rehash else "")
                )
            self.stdout.write(f"imports.ImportRun: {self._rotate_import_files(fernet)} kept files re-encrypted")
        if rehash:
            self.stdout.write("Now make DOORSTROOM_INSZ_NEW_HASH_KEY the DOORSTROOM_INSZ_HASH_KEY and restart.")

    def _rotate_import_files(self, fernet) -> int:
        count = 0
        # A refused or purged run keeps no file (content b""): nothing to re-encrypt.
        for run in ImportRun.objects.exclude(content=b"").only("pk", "content").iterator(chunk_size=50):
            ImportRun.objects.filter(pk=run.pk).update(content=fernet.rotate(bytes(run.content)))
            count += 1
        return count

    def _rotate(self, model, fernet, new_hash_key) -> int:
        pk = model._meta.pk.attname
        fields = ["insz_encrypted", "insz_digest"] if new_hash_key else ["insz_encrypted"]
        queryset = (
            model.objects.filter(insz_encrypted__isnull=False).order_by(pk).only(pk, "insz_encrypted", "insz_digest")
        )
        batch, count = [], 0
        for record in queryset.iterator(chunk_size=CHUNK):
            if new_hash_key:
                record.insz_digest = insz_digest(decrypt_insz(record.insz_encrypted), key=new_hash_key)
            record.insz_encrypted = fernet.rotate(record.insz_encrypted.encode()).decode()
            batch.append(record)
            if len(batch) == CHUNK:
                count += self._write(model, batch, fields)
                batch = []
        if batch:
            count += self._write(model, batch, fields)
        return count

    @staticmethod
    def _write(model, batch, fields) -> int:
        """A person's new token is a change of a stored value like any other: recorded in its history."""
        if is_tracked(model):
            bulk_update_with_history(batch, fields, reason="INSZ key rotation")
        else:
            model.objects.bulk_update(batch, fields)
        return len(batch)
