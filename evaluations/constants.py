"""Codes of the advices the application's rules depend on, and referral states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The advice codes are seeded by a data migration; administrators may
# relabel them but the codes stay.
ADVICE_READY = "ready"  # doorstroomklaar: a trajectory follows
ADVICE_INTERNAL_TRANSITION = "internal_transition"  # interne doorstroom
ADVICE_NOT_READY = "not_ready"  # nog ondersteuning nodig


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    STARTED = "started", _("trajectory started")
    WITHDRAWN = "withdrawn", _("withdrawn")
