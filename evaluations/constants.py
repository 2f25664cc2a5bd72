"""Codes of the advices and decline reasons the application's rules depend on, and referral states."""

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
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


# The decline reasons the application's rules depend on (seeded by a data migration; administrators
# may add others and relabel them, the codes stay). "Other" asks for an explanation.
DECLINE_OTHER = "other"
