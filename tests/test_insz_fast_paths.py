"""The INSZ work written out for an import's speed (issue 17) gives what the libraries give: Fernet tokens
that Fernet reads, and python-stdnum's birth date."""

import base64
import datetime
import random
import time

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.test import override_settings
from stdnum import exceptions as stdnum_exceptions
from stdnum.be import ssn

from common import crypto
from common.identifiers import make_insz
from common.validators import insz_birth_date

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


@override_settings(INSZ_KEYS=[NEW, OLD])
def test_an_encrypted_insz_is_a_fernet_token_of_the_first_key():
    before = int(time.time())
    token = crypto.encrypt_insz("85073003328")
    after = int(time.time())
    assert Fernet(NEW.encode()).decrypt(token.encode()) == b"85073003328"
    assert MultiFernet([Fernet(NEW), Fernet(OLD)]).decrypt(token.encode()) == b"85073003328"
    with pytest.raises(InvalidToken):
        Fernet(OLD.encode()).decrypt(token.encode())
    assert before <= Fernet(NEW.encode()).extract_timestamp(token.encode()) <= after
    assert crypto.decrypt_insz(token) == "85073003328"


@override_settings(INSZ_KEYS=[NEW])
def test_each_encryption_draws_a_fresh_iv():
    tokens = [crypto.encrypt_insz("85073003328") for _n in range(50)]
    ivs = {base64.urlsafe_b64decode(t)[9:25] for t in tokens}
    assert len(ivs) == 50
    assert len(set(tokens)) == 50


@override_settings(INSZ_KEYS=[NEW])
def test_texts_of_every_length_are_fernet_tokens():
    # Up to 15 bytes one block (written out); from 16 bytes Fernet itself.
    for length in range(0, 40):
        text = "7" * length
        token = crypto.encrypt_insz(text)
        assert Fernet(NEW.encode()).decrypt(token.encode()) == text.encode()


def test_the_keys_of_the_settings_are_followed_when_they_change():
    with override_settings(INSZ_KEYS=[OLD]):
        token = crypto.encrypt_insz("85073003328")
    assert Fernet(OLD.encode()).decrypt(token.encode()) == b"85073003328"
    with override_settings(INSZ_KEYS=[NEW]):
        token = crypto.encrypt_insz("85073003328")
    assert Fernet(NEW.encode()).decrypt(token.encode()) == b"85073003328"
    with pytest.raises(InvalidToken):
        Fernet(OLD.encode()).decrypt(token.encode())


def test_the_digest_is_hmac_sha256_in_hex():
    import hashlib
    import hmac

    key = b"a key"
    assert crypto.insz_digest("85073003328", key) == hmac.new(key, b"85073003328", hashlib.sha256).hexdigest()


def stdnum_birth_date(number):
    try:
        return ssn.get_birth_date(number)
    except (stdnum_exceptions.ValidationError, ValueError):
        return None


def _numbers():
    """Valid national-register and BIS numbers of both centuries, unknown dates, and wrong ones."""
    rng = random.Random(17)
    start = datetime.date(1900, 1, 1)
    today = datetime.date.today()
    numbers = []
    for _n in range(4000):
        birth = start + datetime.timedelta(days=rng.randrange((today - start).days))
        number = make_insz(birth, rng.randrange(1, 998))
        numbers.append(number)
        # The BIS number of the same person: month + 20 (gender unknown) or + 40 (known); check digits again.
        shift = rng.choice((20, 40))
        body = f"{number[:2]}{int(number[2:4]) + shift:02d}{number[4:9]}"
        base = int(("2" + body) if birth.year >= 2000 else body)
        numbers.append(f"{body}{97 - base % 97:02d}")
        numbers.append(number[:9] + f"{(int(number[9:]) + rng.randrange(1, 97)) % 100:02d}")  # wrong check digits
    # Unknown birth dates, unknown months and days, impossible days and months: with right check digits.
    for body in (
        "000001001",
        "002001001",
        "004001001",
        "850700033",
        "850000033",
        "850231033",
        "852031033",
        "851331033",
        "853331033",
        "856012001",
        "000229001",
        "040229001",
        "050229001",
        "990230001",
        "994229001",
        "002229001",
    ):
        for base in (int(body), int("2" + body)):
            numbers.append(f"{body}{97 - base % 97:02d}")
    numbers += ["", "123", "85073003328x", "8507300332", "850730033288", "００００００００００１"]
    return numbers


def test_the_birth_date_of_an_insz_is_python_stdnums():
    numbers = _numbers()
    dates = [insz_birth_date(number) for number in numbers]
    assert dates == [stdnum_birth_date(ssn.compact(number)) for number in numbers]
    # Both centuries and BIS numbers are among them, with a date and without.
    known = [d for d in dates if d is not None]
    assert min(known).year < 2000 <= max(known).year
    assert sum(d is None for d in dates) > 4000
