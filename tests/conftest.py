"""Shared fixtures: one user per role, bound the way docs/domain.md describes."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.utils import translation

from accounts.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """Every test starts in Dutch, the interface's default, whatever the test before it asked for.

    The active language is a thread-local that a request through the test client (LocaleMiddleware)
    or translation.activate() leaves behind: a page rendered without a request (the 500 page) came
    out in English after a test that switched to English, and passed when run alone.
    """
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def security_queries(role: str) -> int:
    """Queries every signed-in request adds for login protection (docs/security.md): the session's
    renewal (idle timeout, SESSION_SAVE_EVERY_REQUEST) and, for administrators, their OTP device."""
    return 1 + (1 if role == "administrator" else 0)


@pytest.fixture(autouse=True)
def _force_login_confirms_the_second_factor(monkeypatch):
    """client.force_login() of a user with a confirmed TOTP device also marks the session OTP-verified.

    This is what django_otp.login() does after a correct code; the check itself stays on
    (accounts.middleware), and tests/test_security.py proves it refuses unverified sessions.
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (the browser tests, the migration and kill tests) empties every table when it
    ends: put the migrations' reference data back. Not after the last test of the run: its teardown has
    already destroyed the test database."""
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in getattr(item, "fixturenames", ())
        or (marker is not None and marker.kwargs.get("transaction"))
        or item.get_closest_marker("browser") is not None
    )
    if transactional and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _seed_reference_data()
    return result


@pytest.fixture(autouse=True)
def _history_agrees_with_the_records(request):
    """After every database test, each record's latest history row equals the record (docs/security.md 4.1).

    This catches any write that left no history, whichever way it was made:
    QuerySet.update(), bulk_create(), raw SQL, COPY, Django's SET_NULL on
    delete. A test that writes behind history's back on purpose (the
    database constraint tests) says so with `@pytest.mark.unrecorded_writes`.
    """
    uses_db = request.node.get_closest_marker("django_db") is not None or "_django_db_helper" in request.fixturenames
    if uses_db:
        request.getfixturevalue("_django_db_helper")  # set up first, so that its rollback comes after the check
    yield
    if not uses_db or request.node.get_closest_marker("unrecorded_writes"):
        return
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        return  # the test's own failure says enough
    from common.history import history_disagreements

    assert history_disagreements() == {}, "records changed without a history row"


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
    from accounts.otp import give_confirmed_device

    user = _user_with_role(Role.ADMINISTRATOR, is_staff=True)
    give_confirmed_device(user)
    return user


@pytest.fixture
def analyst(db):
    return _user_with_role(Role.ANALYST)


def _seed_reference_data():
    """Re-create what the data migrations seed (instruments, advices, decline reasons, end reasons, call 432,
    the saved reports of the parliamentary pack and of issue 16, role groups).

    A transactional test (the browser tests) empties every table when it ends;
    the tests after it still need the reference data the migrations put there.
    """
    import importlib

    from django.apps import apps

    from accounts.roles import sync_role_groups

    for module in (
        "employees.migrations.0002_seed_instruments",
        "evaluations.migrations.0002_seed_advices",
        "evaluations.migrations.0010_seed_decline_reasons",
        "trajectories.migrations.0002_seed_end_reasons",
        "partners.migrations.0002_seed_call_432",
    ):
        importlib.import_module(module).seed(apps, None)
    # The saved reports of the parliamentary pack, as reports 0002 and 0003 leave them.
    importlib.import_module("reports.migrations.0002_ministerial_pack").create_pack(apps, None)
    importlib.import_module("reports.migrations.0003_pack_counts_every_year").count_every_year(apps, None)
    importlib.import_module("reports.migrations.0005_pathway_and_employer_reports").create_reports(apps, None)

    importlib.import_module("reports.migrations.0006_esf_participant_reports").create_reports(apps, None)
    sync_role_groups(apps)


@pytest.fixture
def kept_nothing(monkeypatch):
    """Nothing kept from an earlier test (common/kept.py: report rows, counts, list pages; the compiled
    statements of reports/statements.py), the watched tables read again, and no compaction of the change
    notes in the middle of a test: the notes of earlier tests can pass the bound, and inside a page's
    transaction it would be a write, after which the page keeps nothing. A test of the compaction sets
    its own bound."""
    from common import changes, kept
    from reports import statements

    def clear():
        for alias in (kept.CACHE_ALIAS, kept.PAGE_CACHE_ALIAS):
            caches[alias].clear()

    clear()
    statements.forget()
    changes._watched.clear()
    monkeypatch.setattr(changes, "COMPACT_FROM", 10**9)
    yield
    clear()
