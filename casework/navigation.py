"""The main navigation: which pages each role finds in the menu (access itself is checked by every view)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, ALL_ROLES, PERSON_READERS, REPORT_USERS, TRAJECTORY_USERS, Role, role_of

MENU = [
    (_("Home"), "home", ALL_ROLES),
    (_("Persons"), "employees:list", PERSON_READERS),
    (_("Evaluations"), "evaluations:list", PERSON_READERS),
    (_("Work queue"), "evaluations:referral_list", (Role.PARTNER_STAFF,)),
    (_("Referrals"), "evaluations:referral_list", (Role.ADMINISTRATOR, Role.EVALUATOR)),
    (_("Look up by INSZ"), "employees:lookup", (Role.PARTNER_STAFF,)),
    (_("Trajectories"), "trajectories:list", TRAJECTORY_USERS),
    (_("Internships"), "trajectories:internship_list", TRAJECTORY_USERS),
    (_("Grants"), "partners:grant_list", TRAJECTORY_USERS),
    (_("Organisations"), "partners:organisation_list", ALL_ROLES),
    (_("Sector pilots"), "partners:pilot_list", ALL_ROLES),
    (_("Import"), "imports:upload", PERSON_READERS),
    (_("Data quality"), "data_quality", TRAJECTORY_USERS),
    (_("Reports"), "reports:list", REPORT_USERS),
    (_("Parliamentary question"), "reports:pack", REPORT_USERS),
    (_("Access log"), "employees:access_log", ADMIN),
    (_("Trajectories without a referral"), "trajectories:access_review", ADMIN),
    (_("Unanswered referrals"), "evaluations:referral_overdue", ADMIN),
    (_("My tasks"), "jobs:list", ALL_ROLES),
    (_("Administration"), "admin:index", ADMIN),
]


def menu_for(request) -> list[dict]:
    """The menu entries of the signed-in user's role, the current one marked."""
    role = role_of(request.user)
    items = []
    for label, name, roles in MENU:
        if role in roles:
            items.append({"label": label, "url": reverse(name), "current": False})
    # The current entry is the one whose address is the longest start of the page's address.
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items
