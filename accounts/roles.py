"""The four roles of docs/domain.md, as groups, and how to tell a user's role."""

from django.contrib.auth.management import create_permissions
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role is a group of the same name; the value is the group's name."""

    EVALUATOR = "VDAB-evaluator", _("VDAB evaluator")
    PARTNER_STAFF = "Partnermedewerker", _("Partner staff")
    ADMINISTRATOR = "Beheerder", _("Administrator")
    ANALYST = "Analist", _("Analyst")


def group_names(user) -> set[str]:
    """The names of the user's groups, read on nearly every request (the role decides the menu and the
    access): in SQL written once, where the ORM compiled the same join each time (about 0.3 ms of
    processor time a request, issue 17), from the database the ORM would read them from."""
    field = user._meta.get_field("groups")
    group = field.related_model
    connection = connections[router.db_for_read(group, instance=user)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.{quote('name')} FROM {quote(group._meta.db_table)} g "
            f"JOIN {quote(field.m2m_db_table())} m ON m.{quote(field.m2m_reverse_name())} = g.{quote(group._meta.pk.column)} "
            f"WHERE m.{quote(field.m2m_column_name())} = %s",
            [user.pk],
        )
        return {name for (name,) in cursor.fetchall()}


def role_of(user) -> str | None:
    """The role of a user: superusers are administrators; None for anonymous users or users without a role."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    cached = getattr(user, "_role_cache", "missing")
    if cached != "missing":
        return cached
    names = group_names(user)
    # A user in several groups gets the most powerful role.
    role = next(
        (r for r in (Role.ADMINISTRATOR, Role.EVALUATOR, Role.PARTNER_STAFF, Role.ANALYST) if r.value in names),
        None,
    )
    user._role_cache = role
    return role


# Model permissions per role, for the Django admin and for `has_perm` checks.
# Row-level access (which records) is decided by the querysets scoped to the
# user, not by these permissions. Administrators get every permission.
ROLE_PERMISSIONS = {
    Role.EVALUATOR: [
        "evaluations.add_evaluation",
        "evaluations.change_evaluation",
        "evaluations.view_evaluation",
        "evaluations.view_advice",
        "evaluations.add_referral",
        "evaluations.change_referral",
        "evaluations.view_referral",
        "employees.add_employee",
        "employees.change_employee",
        "employees.view_employee",
        "employees.view_employment",
        "employees.view_instrument",
        "partners.view_organisation",
    ],
    Role.PARTNER_STAFF: [
        "trajectories.add_trajectory",
        "trajectories.change_trajectory",
        "trajectories.view_trajectory",
        "trajectories.add_internship",
        "trajectories.change_internship",
        "trajectories.view_internship",
        "trajectories.view_endreason",
        "evaluations.view_referral",
        "evaluations.change_referral",
        "employees.view_employee",
        "employees.add_employment",
        "employees.view_employment",
        "employees.view_instrument",
        "partners.view_organisation",
        "partners.view_call",
    ],
    Role.ANALYST: [],
}


def sync_role_groups(apps) -> None:
    """Create the role groups and give them their permissions.

    Run by the migration that creates the groups and again after every
    `migrate` (post_migrate), so that permissions of models added later reach
    the groups. Permissions are normally created after all migrations ran;
    they are created here first so that a fresh database gets complete groups.
    """

    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module, which a migration's app state lacks.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        if role == Role.ADMINISTRATOR:
            group.permissions.set(Permission.objects.all())
            continue
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


# Which roles may open which kind of casework page (row-level scoping is done by `visible_to`).
ADMIN = (Role.ADMINISTRATOR,)
ALL_ROLES = (Role.ADMINISTRATOR, Role.EVALUATOR, Role.PARTNER_STAFF, Role.ANALYST)
# Roles that may see persons' identities (never analysts).
PERSON_READERS = (Role.ADMINISTRATOR, Role.EVALUATOR, Role.PARTNER_STAFF)
EVALUATION_WRITERS = (Role.ADMINISTRATOR, Role.EVALUATOR)
TRAJECTORY_USERS = (Role.ADMINISTRATOR, Role.PARTNER_STAFF)
# Roles that run and export reports (aggregates; analysts see no identities).
REPORT_USERS = (Role.ADMINISTRATOR, Role.ANALYST)
