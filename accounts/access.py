"""Who may see which records: the one place where row-level access is decided.

Every app's querysets call these helpers in their `visible_to(user)`; every
list, detail, edit, export and report view starts from `visible_to`, so a
record outside it answers 404. The rules are the roles table of DESIGN.md.
"""

from accounts.roles import Role, role_of


def sees_everything(user) -> bool:
    """Administrators see every record."""
    return role_of(user) == Role.ADMINISTRATOR


def partner_of(user):
    """The organisation id a partner-staff user works for, or None for every other user."""
    if role_of(user) == Role.PARTNER_STAFF:
        return user.organisation_id
    return None


def is_evaluator(user) -> bool:
    return role_of(user) == Role.EVALUATOR


def sees_identities(user) -> bool:
    """Analysts (and users without a role) never see a person's identity."""
    return role_of(user) in (Role.ADMINISTRATOR, Role.EVALUATOR, Role.PARTNER_STAFF)
