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


class FollowUpMark(models.IntegerChoices):
    """When a regular job after a trajectory is followed up: question 4 of the reports depends on it."""

    THREE = 3, _("3 months")
    SIX = 6, _("6 months")
    TWELVE = 12, _("12 months")


FOLLOW_UP_MARKS = tuple(FollowUpMark.values)
