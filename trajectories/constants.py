"""Choices for trajectories and internships."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InternshipOutcome(models.TextChoices):
    HIRED = "hired", _("hired by the host")
    NOT_HIRED = "not_hired", _("completed, not hired")
    STOPPED = "stopped", _("stopped early")


# The four phases of a trajectory, in order, with the field holding their start.
PHASES = [
    ("voortraject_start", _("pre-trajectory")),
    ("jobmatching_start", _("job matching")),
    ("stage_start", _("internship")),
    ("nazorg_start", _("aftercare")),
]

# The end reason "werk gevonden in het NEC": ending with it asks for the job (trajectories.services).
JOB_FOUND = "job_regular"
