"""Choices for persons."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")
    X = "x", _("x (other or not stated)")
