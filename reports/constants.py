"""Choices of saved reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBandScheme(models.TextChoices):
    ESF_2014 = "esf2014", _("ESF 2014-2020: <25, 25-54, 55+")
    ESF_PLUS = "esfplus", _("ESF+ 2021-2027: <18, 18-29, 30-54, 55+")


SMALL_CELL_LIMIT = 5  # counts 1 to 4 are shown as "<5" when a report suppresses small cells
SUPPRESSED = "<5"
SUPPRESSED_TOTAL = "x"  # a total that would reveal a suppressed cell
