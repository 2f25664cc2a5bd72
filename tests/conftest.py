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
