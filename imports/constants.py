"""The kinds of record a file can import, and the states of an import run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("organisations")
    EMPLOYEES = "employees", _("employees")
    EMPLOYMENTS = "employments", _("employment spells")
    EVALUATIONS = "evaluations", _("evaluations")
    TRAJECTORIES = "trajectories", _("trajectories")
    INTERNSHIPS = "internships", _("internships")
    GRANTS = "grants", _("grants")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("previewed, waiting for confirmation")
    REJECTED = "rejected", _("rejected: the file has errors")
    IMPORTED = "imported", _("imported")
