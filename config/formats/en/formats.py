"""English, as read in Belgium: dates still dd/mm/yyyy (config/formats/shared.py), numbers 1,234.56."""

from config.formats.shared import *  # noqa: F403

YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
