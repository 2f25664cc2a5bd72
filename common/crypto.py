"""The INSZ at rest: encrypted with Fernet, found again through a keyed hash.

A person's INSZ (national register or BIS number) is stored twice, neither in
clear: `insz_encrypted` holds a Fernet token (AES-128-CBC with HMAC-SHA256,
a fresh IV per value) that only the application can read back, and
`insz_digest` holds HMAC-SHA256 of the 11 normalised digits (hex), the same
for the same number, so that an exact look-up, a duplicate check or the
matching of an import is one indexed equality on the digest.

Both keys come from the environment (settings.INSZ_KEYS, INSZ_HASH_KEY), never
from the database: a copy of the database alone (a backup, a dump) reveals no
number. The encryption keys are a list (MultiFernet): the first encrypts,
every key decrypts, so a new key can be put in front and the old tokens
re-encrypted at leisure (`manage.py rotate_insz_keys`). The hash key cannot be
rotated that way: every digest has to be recomputed from the decrypted
numbers (`rotate_insz_keys --new-hash-key`), see docs/security.md.

Fernet is dearer than bare AES-GCM, but its cost is small next to writing
the records, so the standard, versioned token format with rotation built in
was kept (figures: docs/benchmarks.md, "INSZ encryption").
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

# Clearly labelled keys for development and tests only: settings refuse them when DJANGO_DEBUG=false.
DEVELOPMENT_FERNET_KEY = base64.urlsafe_b64encode(b"doorstroom-development-only-key!").decode()
DEVELOPMENT_HASH_KEY = "doorstroom-development-only-insz-hash-key"


class INSZKeyError(ValueError):
    """A key in the environment is not usable."""


def fernet_from_keys(keys) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip().encode() if isinstance(key, str) else key) for key in keys if key])
    except (ValueError, TypeError) as exc:
        raise INSZKeyError(
            "DOORSTROOM_INSZ_KEYS holds a key that is not a Fernet key (32 url-safe base64 bytes)."
        ) from exc


@lru_cache(maxsize=4)
def _fernet(keys: tuple) -> MultiFernet:
    return fernet_from_keys(keys)


def _current_fernet() -> MultiFernet:
    return _fernet(tuple(settings.INSZ_KEYS))


def _hash_key() -> bytes:
    return settings.INSZ_HASH_KEY.encode()


def insz_digest(number: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the normalised 11 digits, as 64 lower-case hex characters."""
    return hmac.new(key or _hash_key(), number.encode(), hashlib.sha256).hexdigest()


def encrypt_insz(number: str) -> str:
    return _current_fernet().encrypt(number.encode()).decode()


def decrypt_insz(token: str | None) -> str:
    """The clear number of a token; '' for no token (an anonymised person)."""
    if not token:
        return ""
    try:
        return _current_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise INSZKeyError("An INSZ cannot be decrypted with DOORSTROOM_INSZ_KEYS: a key is missing.") from exc


def encrypt_bytes(content: bytes) -> bytes:
    """A whole file (an uploaded import, full of INSZ numbers) as a Fernet token."""
    return _current_fernet().encrypt(content)


def decrypt_bytes(token: bytes) -> bytes:
    return _current_fernet().decrypt(bytes(token))
