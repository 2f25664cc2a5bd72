"""Numbers and dates as the Dutch pages and workbooks show them: 1.234; € 2.016.000,00; 40 %; 31/10/2020."""

import datetime
from decimal import Decimal


def number(value, decimals: int = 0) -> str:
    """A number with a dot between thousands and a decimal comma: 1.234 or 1.234,56."""
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def euro(value) -> str:
    """An amount in euro: € 2.016.000,00."""
    return f"€ {number(value, 2)}"


def percent(value) -> str:
    """A share (0.40) as a percentage: 40 %, or 40,5 % when a tenth is needed."""
    hundred = Decimal(value) * 100
    decimals = 0 if hundred == hundred.to_integral_value() else 1
    return f"{number(hundred, decimals)} %"


def rate(value) -> str:
    """A median or a figure per 100: 12 or 12,5 (one decimal when needed)."""
    rounded = Decimal(value).quantize(Decimal("0.1"))
    decimals = 0 if rounded == rounded.to_integral_value() else 1
    return number(rounded, decimals)


def day(value: datetime.date | None) -> str:
    """A date as dd/mm/yyyy; empty without a date."""
    return value.strftime("%d/%m/%Y") if value else ""
