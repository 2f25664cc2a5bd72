"""ESF participant data: who is a participant, the completeness rule, the special categories (docs/esf.md).

A participant is a person with a trajectory in a call; one who re-enters the same call stays one
participant, from their first start to their last exit. The characteristics on entry are those of
that first trajectory (the entry); where they went on leaving, those of the last one.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from employees.constants import Gender
from trajectories.constants import (
    ESF_FIELDS,
    ESF_SPECIAL_FIELDS,
    REFUSED,
    UNKNOWN,
    EducationLevel,
    HouseholdSituation,
    LabourMarketStatus,
)

_CHOICES = {
    "esf_labour_status": LabourMarketStatus,
    "esf_education": EducationLevel,
    "esf_household": HouseholdSituation,
}


def known_values(field: str) -> list[str]:
    """The values of a characteristic that count as known: not blank, "unknown" nor "does not want to say"."""
    return [value for value in _CHOICES[field].values if value not in (UNKNOWN, REFUSED)]


def special_categories_allowed() -> bool:
    """Disability and migrant background are asked and stored only when a legal basis is configured."""
    return bool(settings.DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS.strip())


def clear_special_categories(trajectory) -> None:
    """Without a legal basis nothing of the special categories is kept, whatever wrote the record."""
    if not special_categories_allowed():
        for name in ESF_SPECIAL_FIELDS:
            setattr(trajectory, name, "")


def complete(prefix: str = "") -> Q:
    """The completeness rule on a trajectory (the entry): gender, labour-market status, age, education
    level and household situation all known. `prefix` reaches the trajectory from another model."""
    known = Q(**{f"{prefix}employee__gender__in": Gender.values, f"{prefix}employee__birth_date__isnull": False})
    for field in ESF_FIELDS:
        known &= Q(**{f"{prefix}{field}__in": known_values(field)})
    return known


def entries(trajectories):
    """Each participant's entry: the first trajectory of the person in the call (first start, then lowest id),
    among `trajectories`."""
    earlier = trajectories.filter(employee_id=OuterRef("employee_id"), call_id=OuterRef("call_id")).filter(
        Q(start_date__lt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), id__lt=OuterRef("id"))
    )
    return trajectories.filter(~Exists(earlier))
