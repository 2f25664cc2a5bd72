"""The demo accounts: one per role, for `make run` and the browser tests."""

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.otp import ensure_confirmed_device
from accounts.roles import Role
from partners.constants import OrganisationKind
from partners.models import Organisation

# Fictitious accounts for a developer's machine; never loaded in production.
DEMO_ACCOUNTS = [
    # username, password, role, first name, last name
    ("evaluator", "demo-evaluator-2026", Role.EVALUATOR, "Eva", "Luyten"),
    ("partner", "demo-partner-2026", Role.PARTNER_STAFF, "Pieter", "Claes"),
    ("beheerder", "demo-beheerder-2026", Role.ADMINISTRATOR, "Bea", "Heremans"),
    ("analist", "demo-analist-2026", Role.ANALYST, "Ali", "Nys"),
]


# The demo partner account works for a partner with trajectories in the demo data.
DEMO_PARTNER = "Stad Gent – Dienst Werk (brugproject)"


def create_demo_accounts(partner_name: str | None = None) -> list[tuple[str, str, str]]:
    """Create (or reset) one account per role; partner staff work for the given partner, else the demo
    partner (Stad Gent) when it exists, else the first partner."""
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name")
    partner = partners.filter(name=partner_name or DEMO_PARTNER).first()
    partner = partner or partners.first()
    created = []
    for username, password, role, first_name, last_name in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.is_staff = role == Role.ADMINISTRATOR
        user.organisation = partner if role == Role.PARTNER_STAFF else None
        user.office = "VDAB Gent" if role == Role.EVALUATOR else ""
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        if role == Role.ADMINISTRATOR:
            # Administrators confirm each login with a TOTP code (accounts.middleware): the demo
            # administrator gets a device whose key create_demo_accounts prints.
            ensure_confirmed_device(user)
        created.append((username, password, str(role.label)))
    return created
