"""Validators for Belgian identifiers, postcodes, amounts and dates.

The checksum arithmetic is python-stdnum's, so that INSZ (national register
and BIS numbers) and KBO enterprise numbers follow the official rules.
"""

import datetime
import re
import time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.be import ssn, vat

POSTCODE_MIN = 1000
POSTCODE_MAX = 9999


def normalise_insz(value: str) -> str:
    """Strip the dots, dashes and spaces that people type in an INSZ."""
    if isinstance(value, str) and len(value) == 11 and value.isascii() and value.isdigit():
        return value  # already compact: what python-stdnum would return, without its cost (an import's rows)
    return ssn.compact(str(value or ""))


def normalise_kbo(value: str) -> str:
    """Strip separators and a leading 'BE' from a KBO enterprise number."""
    return vat.compact(str(value or ""))


def validate_insz(value: str) -> None:
    """Reject anything that is not a valid national register or BIS number."""
    number = normalise_insz(value)
    if not (len(number) == 11 and number.isdigit()):
        raise ValidationError(
            _("An INSZ number has exactly 11 digits (%(value)s)."),
            code="insz_format",
            params={"value": value},
        )
    try:
        ssn.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The check digits of INSZ number %(value)s are not correct."),
            code="insz_checksum",
            params={"value": value},
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("%(value)s is not a valid INSZ number (national register or BIS number)."),
            code="insz_invalid",
            params={"value": value},
        ) from None


def insz_birth_date(value: str) -> datetime.date | None:
    """The birth date an INSZ encodes, or None where it encodes none (unknown day or month)."""
    number = normalise_insz(value)
    if len(number) == 11 and number.isascii() and number.isdigit():
        return _birth_date_of_digits(number)
    try:
        return ssn.get_birth_date(number)
    except (stdnum_exceptions.ValidationError, ValueError):
        return None


# The fictitious dates of a number issued while the birth date (year included) was not known.
_UNKNOWN_BIRTH = ("000001", "002001", "004001")


def _birth_date_of_digits(number: str) -> datetime.date | None:
    """python-stdnum's birth date of an 11-digit INSZ, computed directly (a person's clean() and every
    row of an import ask it): yymmdd, the century told by the check digits (those of a person born in
    2000 or later are computed with a 2 in front), BIS numbers' months raised by 20 or 40, and None
    for wrong check digits, an unknown date, month or day, or a day the month does not have."""
    check = int(number[9:])
    if 97 - int(number[:9]) % 97 == check:
        century = 1900
    elif int(number[:2]) + 2000 <= datetime.date.today().year and 97 - int("2" + number[:9]) % 97 == check:
        century = 2000
    else:
        return None
    if number[:6] in _UNKNOWN_BIRTH:
        return None
    month, day = int(number[2:4]) % 20, int(number[4:6])
    if not 1 <= month <= 12 or day == 0:
        return None
    try:
        return datetime.date(century + int(number[:2]), month, day)
    except ValueError:  # a day the month does not have: the day is unknown
        return None


def validate_kbo(value: str) -> None:
    """Reject anything that is not a valid KBO enterprise number."""
    number = normalise_kbo(value)
    if not (len(number) == 10 and number.isdigit()):
        raise ValidationError(
            _("A KBO enterprise number has exactly 10 digits (%(value)s)."),
            code="kbo_format",
            params={"value": value},
        )
    checksum_error = ValidationError(
        _("The check digits of KBO number %(value)s are not correct."),
        code="kbo_checksum",
        params={"value": value},
    )
    # The check number is 97 minus the first eight digits modulo 97, so 01-97:
    # python-stdnum only checks that the sum is a multiple of 97 and would take
    # '00' where '97' is due.
    if int(number[-2:]) != 97 - int(number[:8]) % 97:
        raise checksum_error
    try:
        vat.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise checksum_error from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("%(value)s is not a valid KBO enterprise number."),
            code="kbo_invalid",
            params={"value": value},
        ) from None


def validate_postcode(value: int) -> None:
    """A Belgian postcode lies between 1000 and 9999."""
    if value is None:
        return
    if not POSTCODE_MIN <= int(value) <= POSTCODE_MAX:
        raise ValidationError(
            _("A Belgian postcode lies between 1000 and 9999 (%(value)s)."),
            code="postcode_range",
            params={"value": value},
        )


def validate_not_future(value: datetime.date) -> None:
    """A date that records something that already happened cannot lie in the future."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if value < _surely_past():
        # The local date lies within a day of the machine's: an earlier date is past in every time zone.
        # This spares the time-zone look-up to the dates of an import's every row.
        return
    if value > timezone.localdate():
        raise ValidationError(
            _("This date lies in the future (%(value)s)."),
            code="future_date",
            params={"value": value.isoformat()},
        )


_past = {"bound": datetime.date.min, "until": 0.0}


def _surely_past() -> datetime.date:
    """The day before the machine's date, read again at most once a minute (an import asks it for
    thousands of dates, and reading the date costs a time-zone conversion). A bound read up to a minute
    ago is at most one day early, so a date before it is past all the same."""
    now = time.monotonic()
    if now >= _past["until"]:
        _past["bound"] = datetime.date.today() - datetime.timedelta(days=1)
        _past["until"] = now + 60
    return _past["bound"]


# An INSZ as people write it: 11 digits, maybe grouped by dots, dashes, slashes or spaces (85.07.30-033.28).
INSZ_LIKE = re.compile(r"(?<!\d)\d{2}[.\-/ ]?\d{2}[.\-/ ]?\d{2}[.\-/ ]?\d{3}[.\-/ ]?\d{2}(?!\d)")


def contains_insz_like(text: str) -> bool:
    return bool(INSZ_LIKE.search(text or ""))


def split_insz_search(text: str) -> tuple[list[str], str]:
    """The INSZ numbers in a search text (normalised) and the rest of the text ("Peeters 85.07.30-033.28")."""
    text = text or ""
    numbers = ["".join(c for c in match if c.isdigit()) for match in INSZ_LIKE.findall(text)]
    return numbers, INSZ_LIKE.sub(" ", text).strip()
