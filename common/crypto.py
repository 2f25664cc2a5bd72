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
import binascii
import hmac
import os
import threading
import time
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

# Clearly labelled keys for development and tests only: settings refuse them when DJANGO_DEBUG=false.
DEVELOPMENT_FERNET_KEY = base64.urlsafe_b64encode(b"doorstroom-development-only-key!").decode()
DEVELOPMENT_HASH_KEY = "doorstroom-development-only-insz-hash-key"


class INSZKeyError(ValueError):
    """A key in the environment is not usable."""


_KEY_MISSING = "An INSZ cannot be decrypted with DOORSTROOM_INSZ_KEYS: a key is missing."


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
    # hmac.digest is the one-shot C function: an import computes a digest per row.
    return hmac.digest(key or _hash_key(), number.encode(), "sha256").hex()


def encrypt_insz(number: str) -> str:
    """A Fernet token of the number, made by the first key (MultiFernet's rule)."""
    return encrypt_insz_many([number])[0]


def encrypt_insz_many(numbers: list[str]) -> list[str]:
    """A Fernet token of each number, as encrypt_insz makes it; an import encrypts a chunk's at once."""
    plain = [number.encode() for number in numbers]
    tokens = _encrypt_short(plain)
    if tokens is None:
        fernet = _current_fernet()
        return [fernet.encrypt(text).decode() for text in plain]
    return tokens


def decrypt_insz(token: str | None) -> str:
    """The clear number of a token; '' for no token (an anonymised person)."""
    if not token:
        return ""
    try:
        plain = _decrypt_short(token)
        if plain is None:
            plain = _current_fernet().decrypt(token.encode())
        return plain.decode()
    except InvalidToken as exc:
        raise INSZKeyError(_KEY_MISSING) from exc


# A Fernet token: version byte 0x80, 8 bytes of time, 16 of IV, the AES-128-CBC ciphertext, 32 of HMAC.
_HEAD, _MAC, _BLOCK = 25, 32, 16
_per_thread = threading.local()


def _block_decryptors(keys: tuple) -> list:
    """(signing key, AES block decryptor) per key of `keys`, made once per thread: a decryptor holds state."""
    made = getattr(_per_thread, "decryptors", None)
    if made is None or made[0] != keys:
        pairs = []
        for key in keys:
            raw = base64.urlsafe_b64decode(key.strip().encode() if isinstance(key, str) else key)
            pairs.append((raw[:16], Cipher(algorithms.AES(raw[16:]), modes.ECB()).decryptor()))
        made = _per_thread.decryptors = (keys, pairs)
    return made[1]


def _block_encryptor(keys: tuple):
    """(signing key, AES block encryptor) of the first key of `keys`, the one MultiFernet encrypts with,
    made once per thread; None without a usable key (Fernet then says why)."""
    made = getattr(_per_thread, "encryptor", None)
    if made is None or made[0] != keys:
        current = next((key for key in keys if key), None)
        pair = None
        if current is not None:
            raw = base64.urlsafe_b64decode(current.strip().encode() if isinstance(current, str) else current)
            if len(raw) == 32:
                pair = (raw[:16], Cipher(algorithms.AES(raw[16:]), modes.ECB()).encryptor())
        made = _per_thread.encryptor = (keys, pair)
    return made[1]


def _encrypt_short(texts: list[bytes]) -> list[str] | None:
    """Fernet's encryption of texts that pad to one AES block (an INSZ: 11 bytes), written out for speed.

    The same tokens as `Fernet.encrypt` makes: version 0x80, the time in seconds, a fresh random IV, the
    AES-128-CBC ciphertext of the PKCS7-padded text, and the HMAC-SHA256 of all that with the signing key.
    CBC of a single block is the AES encryption of the IV XOR the padded block, so one AES block
    encryptor kept per thread encrypts the blocks of all the texts in one call, instead of a new CBC
    context per token: an import encrypts an INSZ per new person (issue 17). None when a text is
    longer, or no key is usable: Fernet itself then encrypts (and says what is wrong).
    """
    if any(len(text) >= _BLOCK for text in texts):
        return None
    pair = _block_encryptor(tuple(settings.INSZ_KEYS))
    if pair is None:
        return None
    signing_key, encryptor = pair
    ivs = os.urandom(_BLOCK * len(texts))
    blocks = b"".join(
        (
            int.from_bytes(ivs[n * _BLOCK : (n + 1) * _BLOCK], "big")
            ^ int.from_bytes(text + bytes([_BLOCK - len(text)]) * (_BLOCK - len(text)), "big")
        ).to_bytes(_BLOCK, "big")
        for n, text in enumerate(texts)
    )
    ciphertexts = encryptor.update(blocks)
    head = b"\x80" + int(time.time()).to_bytes(8, "big")
    tokens = []
    for n in range(len(texts)):
        start, end = n * _BLOCK, (n + 1) * _BLOCK
        signed = head + ivs[start:end] + ciphertexts[start:end]
        tokens.append(base64.urlsafe_b64encode(signed + hmac.digest(signing_key, signed, "sha256")).decode())
    return tokens


def _decrypt_short(token: str) -> bytes | None:
    """Fernet's decryption of a token, written out for speed: a list export decrypts an INSZ per row.

    The same steps as `Fernet.decrypt` without a time limit (docs/security.md 3.2): the HMAC-SHA256
    of the token is checked first with each key in turn (the first key that signed it decrypts it),
    then CBC is undone block by block (each plain block is the AES decryption of its ciphertext
    block XOR the previous ciphertext block, the IV for the first) and the PKCS7 padding taken off.
    Through one AES block decryptor kept per thread and key, instead of a new CBC context per token,
    a token takes about a fifth of the time (issue 17). None for a token that is not well formed
    (Fernet then says why); InvalidToken when no key signed it or its padding is wrong.
    """
    try:
        data = base64.urlsafe_b64decode(token)
    except (TypeError, ValueError):
        return None
    body_length = len(data) - _HEAD - _MAC
    if not data or data[0] != 0x80 or body_length <= 0 or body_length % _BLOCK:
        return None
    signed, mac = data[:-_MAC], data[-_MAC:]
    for signing_key, decryptor in _block_decryptors(tuple(settings.INSZ_KEYS)):
        if not hmac.compare_digest(hmac.digest(signing_key, signed, "sha256"), mac):
            continue
        ciphertext = data[_HEAD:-_MAC]
        chained = data[9:_HEAD] + ciphertext[:-_BLOCK]
        decrypted = decryptor.update(ciphertext)
        padded = (int.from_bytes(decrypted, "big") ^ int.from_bytes(chained, "big")).to_bytes(len(decrypted), "big")
        pad = padded[-1]
        if not 1 <= pad <= _BLOCK or padded[-pad:] != bytes([pad]) * pad:
            raise InvalidToken
        return padded[:-pad]
    raise InvalidToken


# urlsafe base64 -> standard base64, for binascii (base64.urlsafe_b64decode does the same, slower).
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def decrypt_insz_many(tokens) -> list[str]:
    """The clear numbers of many tokens at once ('' for no token): what `decrypt_insz` gives each.

    For a list export, which decrypts an INSZ per row (issue 17): the same steps as `_decrypt_short`,
    but the keys are read once, each token's HMAC is checked as there, and the one-block ciphertexts
    (every INSZ: 11 digits padded to 16 bytes) signed by the same key go through the AES block
    decryptor in one call. A token of another shape goes through `decrypt_insz`.
    """
    pairs = _block_decryptors(tuple(settings.INSZ_KEYS))
    clear = [""] * len(tokens)
    # Per key: the positions, the ciphertext blocks and the blocks they are chained to (the IVs).
    batches = [([], [], []) for _ in pairs]
    for position, token in enumerate(tokens):
        if not token:
            continue
        try:
            data = binascii.a2b_base64(token.encode("ascii").translate(_FROM_URLSAFE), strict_mode=True)
        except (ValueError, UnicodeEncodeError):
            data = b""
        if len(data) != _HEAD + _BLOCK + _MAC or data[0] != 0x80:
            clear[position] = decrypt_insz(token)
            continue
        signed, mac = data[:-_MAC], data[-_MAC:]
        for (signing_key, _decryptor), batch in zip(pairs, batches):
            if hmac.compare_digest(hmac.digest(signing_key, signed, "sha256"), mac):
                batch[0].append(position)
                batch[1].append(data[_HEAD:-_MAC])
                batch[2].append(data[9:_HEAD])
                break
        else:
            raise INSZKeyError(_KEY_MISSING)
    for (_signing_key, decryptor), (positions, blocks, ivs) in zip(pairs, batches):
        if not positions:
            continue
        decrypted = decryptor.update(b"".join(blocks))
        # CBC undone for the whole chunk at once: every decrypted block XOR its IV, as one number.
        length = len(decrypted)
        chained = (int.from_bytes(decrypted, "big") ^ int.from_bytes(b"".join(ivs), "big")).to_bytes(length, "big")
        for start, position in zip(range(0, length, _BLOCK), positions):
            padded = chained[start : start + _BLOCK]
            pad = padded[-1]
            if not 1 <= pad <= _BLOCK or padded[-pad:] != bytes([pad]) * pad:
                raise INSZKeyError(_KEY_MISSING)
            clear[position] = padded[:-pad].decode()
    return clear


def encrypt_bytes(content: bytes) -> bytes:
    """A whole file (an uploaded import, full of INSZ numbers) as a Fernet token."""
    return _current_fernet().encrypt(content)


def decrypt_bytes(token: bytes) -> bytes:
    return _current_fernet().decrypt(bytes(token))
