"""Choices of saved reports."""

from django.db import models

from common import age_bands


class AgeBandScheme(models.TextChoices):
    """The age-band scheme a saved report stores; the bands themselves live in common/age_bands.py."""

    ESF_2014 = age_bands.ESF_2014.key, age_bands.ESF_2014.label
    ESF_PLUS = age_bands.ESF_PLUS.key, age_bands.ESF_PLUS.label


SMALL_CELL_LIMIT = 5  # counts 1 to 4 are shown as "<5" when a report suppresses small cells
SUPPRESSED = "<5"
SUPPRESSED_TOTAL = "x"  # a total that would reveal a suppressed cell
