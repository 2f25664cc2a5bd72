"""Ages and age bands, computed once when a record is saved."""

import datetime


def age_in_years(birth_date: datetime.date | None, on: datetime.date | None) -> int | None:
    """The age in whole years on a date, or None when either date is unknown."""
    if birth_date is None or on is None:
        return None
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
