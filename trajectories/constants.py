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

# --- ESF participant data (docs/esf.md) -------------------------------------------------------
# Every characteristic has "onbekend" (not known) and "wil niet zeggen" (the person declined to say);
# a blank field is "not asked yet". Only the other values make a participant's record complete.
UNKNOWN = "unknown"
REFUSED = "refused"


class EducationLevel(models.TextChoices):
    ISCED_0_2 = "isced_0_2", _("ISCED 0-2 (at most lower secondary)")
    ISCED_3_4 = "isced_3_4", _("ISCED 3-4 (upper secondary or post-secondary)")
    ISCED_5_8 = "isced_5_8", _("ISCED 5-8 (higher education)")
    UNKNOWN = UNKNOWN, _("unknown")
    REFUSED = REFUSED, _("does not want to say")


class LabourMarketStatus(models.TextChoices):
    EMPLOYED = "employed", _("employed (including self-employed)")
    UNEMPLOYED = "unemployed", _("unemployed, less than 12 months")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed (12 months or more)")
    INACTIVE = "inactive", _("inactive, in education or training")
    INACTIVE_NOT_IN_EDUCATION = "inactive_not_in_education", _("inactive, not in education or training")
    UNKNOWN = UNKNOWN, _("unknown")
    REFUSED = REFUSED, _("does not want to say")


class HouseholdSituation(models.TextChoices):
    JOBLESS = "jobless", _("jobless household, without dependent children")
    JOBLESS_WITH_CHILDREN = "jobless_with_children", _("jobless household with dependent children")
    SINGLE_ADULT_WITH_CHILDREN = "single_adult_with_children", _("single adult with dependent children")
    OTHER = "other", _("none of these")
    UNKNOWN = UNKNOWN, _("unknown")
    REFUSED = REFUSED, _("does not want to say")


class LeavingSituation(models.TextChoices):
    """Where the participant went when leaving, beside work (which the employment spells show)."""

    EDUCATION = "education", _("in education or training")
    JOB_SEARCHING = "job_searching", _("job searching")
    OTHER = "other", _("other (inactive)")
    UNKNOWN = UNKNOWN, _("unknown")
    REFUSED = REFUSED, _("does not want to say")


class SpecialCategory(models.TextChoices):
    """Disability and migrant background: stored only with a legal basis (DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS)."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = UNKNOWN, _("unknown")
    REFUSED = REFUSED, _("does not want to say")


# The characteristics a participant needs for the ESF breakdowns (the completeness rule, docs/esf.md).
ESF_FIELDS = ["esf_labour_status", "esf_education", "esf_household"]
ESF_SPECIAL_FIELDS = ["esf_disability", "esf_migrant_background"]
