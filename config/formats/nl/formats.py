"""Dutch (Belgium): dates dd/mm/yyyy, numbers 1.234,56 (config/formats/shared.py)."""

from config.formats.shared import *  # noqa: F403

YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
