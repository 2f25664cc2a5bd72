"""The kinds of records the data-quality page lists (people.data_quality)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataQualityKind(models.TextChoices):
    EVALUATION_WITHOUT_DATE = "evaluation_without_date", _("Evaluations without a date")
    PERSON_WITHOUT_BIRTH_DATE = "person_without_birth_date", _("Persons without a birth date")
    TRAJECTORY_WITHOUT_SE_EMPLOYER = (
        "trajectory_without_se_employer",
        _("Trajectories without a social-economy employer"),
    )
    ENDED_WITHOUT_REASON = "ended_without_reason", _("Ended trajectories without a reason")
    JOB_FOUND_WITHOUT_JOB = "job_found_without_job", _("'Found a job' without the job")
    ESF_INCOMPLETE = "esf_incomplete", _("ESF participants failing the completeness rule")
