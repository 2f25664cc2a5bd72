"""The INSZ decryption written out for speed (common/crypto.py `_decrypt_short`) is Fernet's own."""

import base64

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.test import override_settings

from common import crypto

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
NUMBERS = ["85073003328", "00000100195", "", "12345678901234567890"]


@override_settings(INSZ_KEYS=[NEW, OLD])
def test_it_gives_what_fernet_gives_with_every_key():
    for key in (NEW, OLD):
        for number in NUMBERS:
            token = Fernet(key.encode()).encrypt(number.encode()).decode()
            assert crypto._decrypt_short(token) == number.encode()
            assert crypto.decrypt_insz(token) == MultiFernet([Fernet(NEW), Fernet(OLD)]).decrypt(token).decode()


@override_settings(INSZ_KEYS=[NEW])
def test_a_token_of_another_key_or_altered_is_refused():
    foreign = Fernet(OLD.encode()).encrypt(b"85073003328").decode()
    with pytest.raises(crypto.INSZKeyError):
        crypto.decrypt_insz(foreign)
    token = bytearray(base64.urlsafe_b64decode(crypto.encrypt_insz("85073003328")))
    token[30] ^= 1  # one bit of the ciphertext
    with pytest.raises(crypto.INSZKeyError):
        crypto.decrypt_insz(base64.urlsafe_b64encode(bytes(token)).decode())
    for malformed in ("not a token", "gAAAAA", base64.urlsafe_b64encode(b"\x80" + b"x" * 60).decode()):
        with pytest.raises(crypto.INSZKeyError):
            crypto.decrypt_insz(malformed)


def test_the_keys_of_the_settings_are_followed_when_they_change():
    token = Fernet(OLD.encode()).encrypt(b"85073003328").decode()
    with override_settings(INSZ_KEYS=[OLD]):
        assert crypto.decrypt_insz(token) == "85073003328"
    with override_settings(INSZ_KEYS=[NEW]), pytest.raises(crypto.INSZKeyError):
        crypto.decrypt_insz(token)


@override_settings(INSZ_KEYS=[NEW, OLD])
def test_many_tokens_at_once_give_what_fernet_gives_each():
    """`decrypt_insz_many` (list exports): tokens of both keys, empty ones and longer ones, in their order."""
    tokens = []
    for number in [*NUMBERS, "85073003328", "00000100195"]:
        for key in (NEW, OLD):
            tokens.append(Fernet(key.encode()).encrypt(number.encode()).decode() if number else None)
    tokens.append("")
    expected = [crypto.decrypt_insz(token) for token in tokens]
    assert crypto.decrypt_insz_many(tokens) == expected
    assert expected[0] == "85073003328" and expected[-1] == ""
    assert crypto.decrypt_insz_many([]) == []


@override_settings(INSZ_KEYS=[NEW])
def test_many_tokens_at_once_refuse_a_foreign_or_altered_one():
    good = crypto.encrypt_insz("85073003328")
    foreign = Fernet(OLD.encode()).encrypt(b"85073003328").decode()
    with pytest.raises(crypto.INSZKeyError):
        crypto.decrypt_insz_many([good, foreign])
    altered = bytearray(base64.urlsafe_b64decode(good))
    altered[30] ^= 1
    with pytest.raises(crypto.INSZKeyError):
        crypto.decrypt_insz_many([good, base64.urlsafe_b64encode(bytes(altered)).decode()])
    with pytest.raises(crypto.INSZKeyError):
        crypto.decrypt_insz_many([good, "not a token"])
