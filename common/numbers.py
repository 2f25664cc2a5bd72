"""Numbers and amounts the way the interface's language writes them: 1.234,56 and € 2.016.000,00 in Dutch.

The thousands separator is not switched on for the whole site (USE_THOUSAND_SEPARATOR would
write a year as 2.019 and an id in a link as 1.234): counts and amounts ask for it here.
"""

from decimal import Decimal

from django.utils.formats import number_format


def number(value, decimals: int | None = None) -> str:
    """A count or a figure with thousands grouped: 1.234 (Dutch), 1,234 (English)."""
    if value is None or value == "":
        return ""
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def amount(value) -> str:
    """An amount in euro with two decimals: € 2.016.000,00 (Dutch), € 2,016,000.00 (English)."""
    if value is None or value == "":
        return ""
    return f"€ {number(Decimal(value), 2)}"
