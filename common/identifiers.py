"""Make valid Belgian identifiers for fictitious persons and organisations.

Used by the demo data, the synthetic data generator and the tests; never for
real people.
"""

import datetime


def make_insz(birth_date: datetime.date | None, serial: int) -> str:
    """A valid INSZ for a birth date and a day counter (1-997; odd for men, even for women).

    Without a birth date the month and day are zeros, as for a person whose
    birth date was not known when the number was given (year 1970 then).
    """
    if not 1 <= serial <= 997:
        raise ValueError("serial must lie between 1 and 997")
    if birth_date is None:
        year, body = 1970, f"700000{serial:03d}"
    else:
        year, body = birth_date.year, f"{birth_date:%y%m%d}{serial:03d}"
    base = int(("2" + body) if year >= 2000 else body)
    return f"{body}{97 - base % 97:02d}"


def make_kbo(number: int) -> str:
    """A valid KBO enterprise number: '0', a 7-digit body, and the check number of the first eight digits."""
    if not 0 < number < 10**7:
        raise ValueError("number must lie between 1 and 9,999,999")
    first8 = f"0{number:07d}"
    return f"{first8}{97 - int(first8) % 97:02d}"
