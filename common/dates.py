"""Ages and age bands, computed once when a record is saved."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def age_in_years(birth_date: datetime.date | None, on: datetime.date | None) -> int | None:
    """The age in whole years on a date, or None when either date is unknown."""
    if birth_date is None or on is None:
        return None
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def check_not_before_birth(employee, day: datetime.date | None, field: str) -> None:
    """A person's evaluation or trajectory cannot take place before the person was born.

    The age stored with the record would be negative, which its database constraint refuses (a 500
    on a date such as 0001-01-01 typed into the form); say it on the date field instead.
    """

    birth_date = getattr(employee, "birth_date", None)
    if birth_date is not None and day is not None and day < birth_date:
        raise ValidationError(
            {
                field: gettext("This date lies before the person's birth date (%(birth)s).")
                % {"birth": birth_date.strftime("%d/%m/%Y")}
            }
        )


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
