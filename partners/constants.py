"""Choices shared by the partners app and the apps that use organisations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SE_EMPLOYER = "se_employer", _("social-economy employer")
    PARTNER = "partner", _("ESF transition partner")
    REGULAR_EMPLOYER = "regular_employer", _("regular employer")


class OrganisationStatus(models.TextChoices):
    """A partner may add an organisation not found in the register: it is usable at once, "proposed"
    until an administrator confirms it or merges it into an existing one (partners.services)."""

    CONFIRMED = "confirmed", _("confirmed")
    PROPOSED = "proposed", _("proposed")
