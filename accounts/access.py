"""Who may see which records: the one place where row-level access is decided.

Every app's querysets call these helpers in their `visible_to(user)`; every
list, detail, edit, export and report view starts from `visible_to`, so a
record outside it answers 404. The rules are the roles table of docs/domain.md.
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
    if not number or not sees_identities(user):
        return ""
    return number if sees_full_insz(user) else mask_insz(number)


def otp_enrolment_targets(user):
    """The users for whom `user` may issue an authenticator enrolment code: for an administrator, every
    other active user who needs a second factor; for anyone else, nobody."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

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
