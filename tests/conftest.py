"""Shared fixtures: one user per role, bound the way DESIGN.md describes."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def partner(db):
    return factories.PartnerFactory()


@pytest.fixture
def other_partner(db):
    return factories.PartnerFactory()


def _user_with_role(role, **kwargs):
    user = factories.UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def evaluator(db):
    return _user_with_role(Role.EVALUATOR, office="VDAB Gent")


@pytest.fixture
def partner_staff(partner):
    return _user_with_role(Role.PARTNER_STAFF, organisation=partner)


@pytest.fixture
def other_partner_staff(other_partner):
    return _user_with_role(Role.PARTNER_STAFF, organisation=other_partner)


@pytest.fixture
def administrator(db):
    return _user_with_role(Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def analyst(db):
    return _user_with_role(Role.ANALYST)


def _seed_reference_data():
    """Re-create what the data migrations seed (instruments, advices, end reasons, call 432, role groups).

    A transactional test (the browser tests) empties every table when it ends;
    the tests after it still need the reference data the migrations put there.
    """
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Permission

    from accounts.roles import ROLE_PERMISSIONS, Role

    for module in (
        "employees.migrations.0002_seed_instruments",
        "evaluations.migrations.0002_seed_advices",
        "trajectories.migrations.0002_seed_end_reasons",
        "partners.migrations.0002_seed_call_432",
    ):
        importlib.import_module(module).seed(apps, None)
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

