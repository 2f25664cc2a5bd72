"""Choices shared by the partners app and the apps that use organisations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SE_EMPLOYER = "se_employer", _("social-economy employer")
    PARTNER = "partner", _("ESF transition partner")
    REGULAR_EMPLOYER = "regular_employer", _("regular employer")
