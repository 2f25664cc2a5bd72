"""Turn the text (or XLSX value) of one cell into a Python value, or a Dutch message saying why not."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.validators import normalise_insz, normalise_kbo, validate_insz, validate_kbo
from imports.readers import NumberText


class CellError(Exception):
    """A cell whose value cannot be read; the message says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def text(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_BELGIAN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MIDNIGHT = re.compile(r"[ T]00:00(:00)?$")


def date(value) -> datetime.date:
    """A real date (XLSX), or text written YYYY-MM-DD or DD/MM/YYYY."""
    if isinstance(value, datetime.date):
        return value
    value = str(value).strip()
    if len(value) == 10 and value.isascii():
        # The common forms, 2016-01-31 and 31/01/2016, without a regular expression (a row has several dates).
        if value[4] == value[7] == "-":
            year, month, day = value[:4], value[5:7], value[8:]
        elif value[2] == value[5] == "/":
            day, month, year = value[:2], value[3:5], value[6:]
        else:
            year = month = day = ""
        if year.isdigit() and month.isdigit() and day.isdigit():
            try:
                return datetime.date(int(year), int(month), int(day))
            except ValueError:
                raise CellError(_("This date does not exist.")) from None
    # An XLSX date cell read as text by some tools carries a time part.
    value = _MIDNIGHT.sub("", value)
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _BELGIAN.match(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise CellError(_("Not a date: write it as YYYY-MM-DD or DD/MM/YYYY."))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("This date does not exist.")) from None


def _plainly_valid_insz(number: str) -> bool:
    """A quick test that accepts only numbers the full check accepts too: 11 digits, a real birth date
    and the right check digits. Anything else (BIS numbers, unknown dates, mistakes) gets the full check."""
    if len(number) != 11 or not number.isdigit():
        return False
    month, day = int(number[2:4]), int(number[4:6])
    if not (1 <= month <= 12 and day >= 1):
        return False
    check = int(number[9:])
    if 97 - int(number[:9]) % 97 == check:
        year = 1900 + int(number[:2])
    elif int(number[:2]) + 2000 <= datetime.date.today().year and 97 - int("2" + number[:9]) % 97 == check:
        year = 2000 + int(number[:2])
    else:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def insz(value) -> str:

    if isinstance(value, NumberText) and len(value) < 11:
        # A spreadsheet cell holding the INSZ as a number dropped its leading zeros (born 2000-2009).
        value = value.zfill(11)
    number = normalise_insz(value) if not (isinstance(value, str) and value.isdigit()) else value
    if _plainly_valid_insz(number):
        return number
    try:
        validate_insz(number)
    except ValidationError as error:
        raise CellError(_validation_message(error)) from None
    return number


def kbo(value) -> str:
    number = normalise_kbo(text(value))
    if len(number) == 9 and number.isdigit():
        # Spreadsheets drop the leading zero of a KBO number typed as a number.
        number = "0" + number
    try:
        validate_kbo(number)
    except ValidationError as error:
        raise CellError(_validation_message(error)) from None
    return number


YES = {"yes", "ja", "y", "j", "1", "true", "waar"}
NO = {"no", "nee", "n", "0", "false", "onwaar"}


def yes_no(value) -> bool:
    word = text(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(_("Write yes or no."))


def integer(value) -> int:
    try:
        return int(text(value))
    except ValueError:
        raise CellError(_("Not a whole number.")) from None


def amount(value) -> Decimal:
    """An amount in euro: 1234.5 or 1234,50 (no thousands separators)."""
    written = text(value).replace("€", "").replace(" ", "")
    if "," in written and "." not in written:
        written = written.replace(",", ".")
    try:
        number = Decimal(written)
    except InvalidOperation:
        raise CellError(_("Not an amount: write it like 1234.50.")) from None
    if not number.is_finite():
        raise CellError(_("Not an amount: write it like 1234.50."))
    return number
