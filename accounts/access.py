"""Who may do what and see which records: the one place where access is decided.

Row-level access: each model's queryset declares its `Scope` once (its path to the partner
organisation, to the person or to the user who made it) and `ScopedQuerySet.visible_to(user)` applies
it; every list, page, export, report drill-down and import run starts from `visible_to`, so a record
outside it answers 404. What a role may do: `can(user, capability)`, which templates ask as
`{% if can.administer %}` (accounts.context_processors). The rules are the roles table of
docs/domain.md.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q

from accounts.roles import (
    ADMIN,
    EVALUATION_WRITERS,
    PERSON_READERS,
    REPORT_USERS,
    TRAJECTORY_USERS,
    Role,
    role_of,
)

# What each role may do, by capability: the screens' links and buttons ask these, never role names.
CAPABILITIES = {
    "read_persons": PERSON_READERS,  # persons, their evaluations and records
    "write_evaluations": EVALUATION_WRITERS,  # screenings, persons' identities, referrals
    "guide": TRAJECTORY_USERS,  # trajectories, internships, jobs, the look-up by INSZ
    "run_reports": REPORT_USERS,  # reports and their exports (aggregates)
    "administer": ADMIN,  # register data, change histories, the access log, building reports
}


def can(user, capability: str) -> bool:
    """Whether the user's role has the capability (a key of CAPABILITIES)."""
    return role_of(user) in CAPABILITIES[capability]


class Capabilities:
    """`can.<capability>` in templates: True or False for the user, an unknown name is an error."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, capability):
        if capability not in CAPABILITIES:
            raise AttributeError(capability)
        return can(self._user, capability)


def sees_everything(user) -> bool:
    """Administrators see every record."""
    return role_of(user) == Role.ADMINISTRATOR


def partner_of(user):
    """The organisation id a partner-staff user works for, or None for every other user."""
    if role_of(user) == Role.PARTNER_STAFF:
        return user.organisation_id
    return None


def as_partner(organisation_id: int):
    """An unsaved user working for a partner organisation: what `visible_to` shows it is what that partner's
    staff see (for counting per organisation what each partner sees, as the data-quality snapshots do)."""
    User = get_user_model()
    user = User(organisation_id=organisation_id, is_active=True)
    user._role_cache = Role.PARTNER_STAFF
    return user


def as_administrator():
    """An unsaved user with the administrator's view (every record), for counts a command keeps without a
    signed-in user (the data-quality snapshots' total)."""
    User = get_user_model()
    user = User(is_active=True)
    user._role_cache = Role.ADMINISTRATOR
    return user


def is_evaluator(user) -> bool:
    return role_of(user) == Role.EVALUATOR


def sees_identities(user) -> bool:
    """Analysts (and users without a role) never see a person's identity."""
    return role_of(user) in (Role.ADMINISTRATOR, Role.EVALUATOR, Role.PARTNER_STAFF)


def sees_full_insz(user) -> bool:
    """Who reads the whole INSZ in lists and exports (everyone else gets it masked, analysts nothing).

    Administrators (they answer for the data and audit look-ups) and VDAB
    evaluators (they match persons with VDAB's own records, which are keyed by
    INSZ) need the number itself. Partner staff tell their persons apart by
    name and the last digits; the person's page shows them the whole number,
    as it does to everyone who may open the page.
    """
    return role_of(user) in (Role.ADMINISTRATOR, Role.EVALUATOR)


INSZ_MASK = "••.••.••-•••."


def mask_insz(number: str) -> str:
    """'85073003328' -> '••.••.••-•••.28': the check digits only, enough to tell two persons apart."""
    return f"{INSZ_MASK}{number[-2:]}" if number else ""


def insz_for_list(user, number: str) -> str:
    """The INSZ as a list or an export shows it to this user: whole, masked, or nothing for analysts."""
    return insz_shown_to(user)(number)


def insz_shown_to(user):
    """`insz_for_list(user, number)` as a function of the number, the user's role read once: an export
    shows a number per row."""
    if not sees_identities(user):
        return lambda number: ""
    if sees_full_insz(user):
        return lambda number: number or ""
    return lambda number: mask_insz(number) if number else ""


def otp_enrolment_targets(user):
    """The users for whom `user` may issue an authenticator enrolment code: for an administrator, every
    other active user who needs a second factor; for anyone else, nobody."""

    User = get_user_model()
    if role_of(user) != Role.ADMINISTRATOR:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR.value))
        .exclude(pk=user.pk)
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class Scope:
    """Which records of a model a user may see, declared once per model on its queryset (`ScopedQuerySet`).

    - `sees_all`: the roles that see every record (administrators always do);
    - `partner`: the path from a record to the id of its partner organisation ("partner_id",
      "trajectory__partner_id"), with `partner_conditions` that must hold along it (a trajectory whose
      access an administrator withdrew gives none);
    - `partner_via`: for the person itself, the reverse relations through which a partner reaches a
      person (referrals, trajectories), each with its conditions;
    - `person`: the path to the record's person: partner staff see the record when they see the person;
    - `owner`: the path to the user who made the record (an import run): they see their own.

    Everybody else sees nothing: analysts reach persons through no path.
    """

    sees_all: tuple = (Role.ADMINISTRATOR,)
    partner: str | None = None
    partner_conditions: tuple = ()
    partner_via: tuple = ()  # ((reverse relation name, ((lookup, value), ...)), ...)
    person: str | None = None
    owner: str | None = None


class ScopedQuerySet(models.QuerySet):
    """The one queryset method that applies a model's Scope: `visible_to(user)`. Every list, page, export,
    report drill-down and import run starts from it, so that a record outside it answers 404."""

    scope = Scope()

    def visible_to(self, user):
        scope, role = self.scope, role_of(user)
        if role is None:
            return self.none()
        if role == Role.ADMINISTRATOR or role in scope.sees_all:
            return self
        if scope.owner is not None:
            return self.filter(**{scope.owner: user})
        partner_id = partner_of(user)
        if partner_id is None:
            return self.none()
        if scope.partner is not None:
            return self.filter(**{scope.partner: partner_id}, **dict(scope.partner_conditions))
        if scope.person is not None:
            person_model = _related_model(self.model, scope.person)
            return self.filter(**{f"{scope.person}__in": person_model.objects.visible_to(user)})
        if scope.partner_via:
            reached = Q()
            for relation, conditions in scope.partner_via:
                field = self.model._meta.get_field(relation)
                rows = field.related_model._base_manager.filter(
                    **{field.field.name: OuterRef("pk"), "partner_id": partner_id}, **dict(conditions)
                )
                reached |= Q(Exists(rows))
            return self.filter(reached)
        return self.none()


def _related_model(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model
