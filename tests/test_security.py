"""Production serving and login protection (docs/security.md lists which test proves which defence)."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.otp import confirmed_device, current_code, give_confirmed_device
from accounts.security import client_ip
from tests import factories

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "a-long-enough-password-2026"
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "test-only-" + "k3y" * 20,
    "DJANGO_ALLOWED_HOSTS": "doorstroom.example",
    # Throwaway keys of the right shape (nothing is encrypted with them).
    "DOORSTROOM_INSZ_KEYS": "dGVzdC1vbmx5LWZlcm5ldC1rZXktb2YtMzItYnl0ZXM=",
    "DOORSTROOM_INSZ_HASH_KEY": "test-only-insz-hash-key-" + "h4sh" * 8,
}


def _manage(*args, env_overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DOORSTROOM_"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


# --- Production settings ------------------------------------------------------------------


def test_production_settings_pass_the_deployment_checks_at_warning_level():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_development_settings_would_fail_the_deployment_checks():
    """The check above can fail: the debug settings (no HSTS, no secure cookies) do."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={"DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("DOORSTROOM_INSZ_KEYS", "DOORSTROOM_INSZ_KEYS"),
        ("DOORSTROOM_INSZ_HASH_KEY", "DOORSTROOM_INSZ_HASH_KEY"),
    ],
)
def test_production_refuses_to_start_without_a_secret_key_or_hosts(missing, message):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOORSTROOM_INSZ_KEYS", "not-a-fernet-key"),
        ("DOORSTROOM_INSZ_KEYS", "ZG9vcnN0cm9vbS1kZXZlbG9wbWVudC1vbmx5LWtleSE="),  # the development key
        ("DOORSTROOM_INSZ_HASH_KEY", "short"),
        ("DOORSTROOM_INSZ_HASH_KEY", "doorstroom-development-only-insz-hash-key"),
    ],
)
def test_production_refuses_a_development_or_malformed_insz_key(name, value):
    result = _manage("check", env_overrides={**PRODUCTION_ENV, name: value})
    assert result.returncode != 0, value
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_production_refuses_a_short_or_development_secret_key():
    for key in ("short", "django-insecure-doorstroom-development-only" + "x" * 20):
        result = _manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": key})
        assert result.returncode != 0, key


# --- Headers and pages ----------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["accounts:login", "home"])
def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, evaluator, url_name):
    client.force_login(evaluator)
    response = client.get(reverse(url_name), follow=True)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_carry_the_policy_too(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on...= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _template_files():
    directories = [BASE_DIR / "templates", *sorted(BASE_DIR.glob("*/templates"))]
    return sorted(path for directory in directories for path in directory.rglob("*.html") if ".venv" not in path.parts)


def _inline_code(text):
    return [label for pattern, label in INLINE if pattern.search(text)]


def test_no_template_of_the_project_has_inline_script_or_style():
    files = _template_files()
    assert len(files) > 20  # the walk finds the templates of every app
    offenders = {str(path.relative_to(BASE_DIR)): found for path in files if (found := _inline_code(path.read_text()))}
    assert offenders == {}


def test_the_inline_code_walk_would_notice_each_kind_of_inline_code():
    assert _inline_code('<script src="/static/js/doorstroom.js" defer></script>') == []
    assert _inline_code("<script>alert(1)</script>") == ["inline <script>"]
    assert _inline_code('<div style="color:red">') == ["style= attribute"]
    assert _inline_code('<a href="#" onclick="go()">') == ["on...= event handler"]
    assert _inline_code("<style>p{}</style>") == ["<style> element"]


def test_the_not_found_page_is_friendly_and_dutch(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page and "Traceback" not in page


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("500.html", "Er is iets misgegaan"),
        ("503.html", "Doorstroom is tijdelijk niet beschikbaar"),
    ],
)
def test_the_server_error_pages_render_without_request_or_database(template, text):
    page = render_to_string(template)  # no `db` fixture: any query would raise
    assert text in page
    assert _inline_code(page) == []


def test_a_server_error_shows_the_friendly_page_not_a_traceback(client, db, settings, monkeypatch):
    from django.contrib.auth import views as auth_views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(auth_views.LoginView, "get", lambda self, request, *a, **k: broken(request))
    client.raise_request_exception = False
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er is iets misgegaan" in page and "boom" not in page and "Traceback" not in page


# --- Lock-out after failed logins (django-axes) ---------------------------------------------------


def _login(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


@pytest.fixture
def person(db):
    return factories.UserFactory(username="ilse", password=PASSWORD)


def _fail_until_locked(client, username, **kwargs):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, "wrong-password", **kwargs)


def test_repeated_failed_logins_lock_the_account_from_that_address_with_a_dutch_message(client, person):
    _login(client, person.username, "wrong-password")
    assert _login(client, person.username, PASSWORD).status_code == 302  # below the limit: still allowed
    client.logout()
    _fail_until_locked(client, person.username)
    response = _login(client, person.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Te veel mislukte aanmeldpogingen" in page
    assert "_auth_user_id" not in client.session


def test_a_lock_out_does_not_lock_others_behind_the_same_address(client, person):
    colleague = factories.UserFactory(username="jan", password=PASSWORD)
    _fail_until_locked(client, person.username)
    assert _login(client, colleague.username, PASSWORD).status_code == 302


def test_behind_the_proxy_the_forwarded_address_counts_not_the_proxys(client, person, settings):
    settings.BEHIND_PROXY = True
    _fail_until_locked(client, person.username, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert (
        _login(client, person.username, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 429
    )
    # The same person from another client address, through the same proxy, still logs in.
    assert (
        _login(client, person.username, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
        == 302
    )


def test_without_the_proxy_setting_a_forged_forwarded_header_does_not_escape_the_lock(client, person, settings):
    settings.BEHIND_PROXY = False
    _fail_until_locked(client, person.username, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert _login(client, person.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def test_guesses_at_one_account_spread_over_addresses_lock_the_account(client, person, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    for attempt in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT):  # under the pair limit per address
        _login(client, person.username, "wrong-password", address=f"198.51.100.{attempt // 2}")
    # From a fresh address, with the right password: the account itself is locked.
    response = _login(client, person.username, PASSWORD, address="192.0.2.200")
    assert response.status_code == 429
    assert "Te veel mislukte aanmeldpogingen" in response.content.decode()
    # Other accounts are not.
    colleague = factories.UserFactory(username="jan", password=PASSWORD)
    assert _login(client, colleague.username, PASSWORD, address="192.0.2.200").status_code == 302


def test_one_address_trying_many_accounts_is_locked_for_every_account(client, person, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 9
    for attempt in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(client, f"guess{attempt % 3}", "wrong-password", address="198.51.100.66")
    assert _login(client, person.username, PASSWORD, address="198.51.100.66").status_code == 429
    # The same person from another address gets in.
    assert _login(client, person.username, PASSWORD, address="198.51.100.67").status_code == 302


def test_below_every_limit_nobody_is_locked(client, person, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8, 9
    for attempt in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT - 1):
        _login(client, person.username, "wrong-password", address=f"198.51.100.{attempt // 2}")
    assert _login(client, person.username, PASSWORD, address="192.0.2.200").status_code == 302


def test_a_login_does_not_wipe_the_failures_counted_against_its_address(client, person, settings):
    """An attacker with an account of their own cannot reset the address count by logging in."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    attacker = factories.UserFactory(username="mallory", password=PASSWORD)
    for attempt in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        _login(client, f"guess{attempt % 3}", "wrong-password", address="198.51.100.66")
    assert _login(client, attacker.username, PASSWORD, address="198.51.100.66").status_code == 302
    client.logout()
    _login(client, "guess0", "wrong-password", address="198.51.100.66")
    assert _login(client, person.username, PASSWORD, address="198.51.100.66").status_code == 429


def test_an_administrator_unlocks_an_address_with_axes_reset_ip(client, person, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for attempt in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(client, f"guess{attempt % 3}", "wrong-password", address="198.51.100.66")
    assert _login(client, person.username, PASSWORD, address="198.51.100.66").status_code == 429
    call_command("axes_reset_ip", "198.51.100.66")
    assert _login(client, person.username, PASSWORD, address="198.51.100.66").status_code == 302


def test_client_address_takes_the_entry_the_trusted_proxy_added(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1")
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    assert client_ip(request) == "198.51.100.1"  # the client-supplied 6.6.6.6 is not trusted
    settings.PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"


def test_an_administrator_unlocks_an_account_with_axes_reset_username(client, person):
    _fail_until_locked(client, person.username)
    assert _login(client, person.username, PASSWORD).status_code == 429
    call_command("axes_reset_username", person.username)
    assert _login(client, person.username, PASSWORD).status_code == 302


def test_lock_outs_are_listed_in_the_admin_for_an_administrator(client, person, administrator):
    _fail_until_locked(client, person.username)
    client.force_login(administrator)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert person.username in response.content.decode()


# --- Password rules and idle sessions ------------------------------------------------------------


@pytest.mark.parametrize("weak", ["kort-2026", "123456789012345", "password1234", "doorstroom"])
def test_weak_passwords_are_refused(weak, db):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_uncommon_password_is_accepted(db):
    validate_password("Trajecten-naar-werk-2026!")


def test_an_idle_session_expires_and_each_request_extends_it(client, evaluator):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 60 * 60
    client.force_login(evaluator)
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 5)
    # Requests push the end forward...
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(seconds=10))
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(pk=session.pk).expire_date > timezone.now() + timedelta(seconds=60)
    # ... and after the idle time the next request goes to the login page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# --- Second factor for administrators (django-otp) ----------------------------------------------


@pytest.fixture
def admin_with_password(administrator):
    administrator.set_password(PASSWORD)
    administrator.save()
    return administrator


@pytest.mark.parametrize("url", ["/", "/admin/", "/trajecten/", "/rapporten/"])
def test_an_administrator_reaches_nothing_before_the_code(client, admin_with_password, url):
    assert _login(client, admin_with_password.username, PASSWORD).status_code == 302
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp_verify"))


def test_an_administrator_with_the_right_code_gets_in_and_a_wrong_code_is_refused_in_dutch(client, admin_with_password):
    _login(client, admin_with_password.username, PASSWORD)
    response = client.post(reverse("accounts:otp_verify"), {"code": "000000", "next": "/admin/"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    device = confirmed_device(admin_with_password)
    device.throttle_reset()  # a wrong code slows the next try down (django-otp throttling)
    response = client.post(reverse("accounts:otp_verify"), {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_other_roles_need_no_code(client, db):
    evaluator = factories.UserFactory(password=PASSWORD)
    from django.contrib.auth.models import Group

    evaluator.groups.add(Group.objects.get(name="VDAB-evaluator"))
    _login(client, evaluator.username, PASSWORD)
    assert client.get("/").status_code == 200


def test_a_forced_login_without_the_code_is_refused(client, administrator):
    """The test fixture's verified session is what makes administrators pass: without it they do not."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(administrator)
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    assert client.get("/").status_code == 302


def _new_administrator():
    from django.contrib.auth.models import Group

    new_admin = factories.UserFactory(password=PASSWORD, is_staff=True)
    new_admin.groups.add(Group.objects.get(name="Beheerder"))
    return new_admin


def _verified_client(administrator):
    """A second browser: an administrator who confirmed their own code (the fixture's verified session)."""
    from django.test import Client

    other = Client()
    other.force_login(administrator)
    return other


def _devices(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user)


def test_an_administrator_without_a_device_and_without_a_code_sees_no_key_and_links_nothing(client, db):
    """Issue 12, item 8: the password alone used to show the key and confirm a device."""
    new_admin = _new_administrator()
    _login(client, new_admin.username, PASSWORD)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_setup"))
    assert "secret" not in response.context and "otp-secret" not in response.content.decode()
    assert not _devices(new_admin).exists()
    # A six-digit code (what the old page took) links nothing; a made-up enrolment code is refused in Dutch.
    assert client.post(reverse("accounts:otp_setup"), {"code": "123456"}).status_code == 200
    response = client.post(reverse("accounts:otp_setup"), {"enrolment_code": "ABCD-EFGH-JKMN-PQRS"})
    assert response.status_code == 200
    assert "Deze inschrijvingscode klopt niet" in response.content.decode()
    assert "otp-secret" not in response.content.decode()
    assert not _devices(new_admin).exists()
    assert client.get("/").status_code == 302


def test_an_administrator_links_an_app_with_a_code_another_administrator_issued_in_the_app(client, administrator):
    new_admin = _new_administrator()
    issuer = _verified_client(administrator)
    home = issuer.get(reverse("home")).content.decode()
    issue_url = reverse("accounts:otp_enrolment_issue", args=[new_admin.pk])
    assert issue_url in home  # the home page lists administrators without an app
    assert "otp-enrolment-code" not in issuer.get(issue_url).content.decode()
    response = issuer.post(issue_url)
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    code = response.context["code"]
    assert code in response.content.decode() and "geldig" in response.content.decode()
    assert not new_admin.otp_enrolment_codes.filter(code_hash__contains=code.replace("-", "")).exists()
    assert new_admin.otp_enrolment_codes.get().issued_by == administrator

    _login(client, new_admin.username, PASSWORD)
    response = client.post(
        reverse("accounts:otp_setup"), {"enrolment_code": code.lower().replace("-", " "), "next": "/trajecten/"}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    device = _devices(new_admin).get(confirmed=False)
    assert page.context["secret"] in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert client.post(reverse("accounts:otp_setup"), {"code": "000000"}).status_code == 200
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next try down (django-otp throttling)
    response = client.post(reverse("accounts:otp_setup"), {"code": current_code(device), "next": "/trajecten/"})
    assert response.status_code == 302 and response.url == "/trajecten/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_an_enrolment_code_works_once_only(client, administrator):
    from django.test import Client

    new_admin = _new_administrator()
    code = (
        _verified_client(administrator)
        .post(reverse("accounts:otp_enrolment_issue", args=[new_admin.pk]))
        .context["code"]
    )
    _login(client, new_admin.username, PASSWORD)
    assert client.post(reverse("accounts:otp_setup"), {"enrolment_code": code}).status_code == 302
    first_key = _devices(new_admin).get().key
    # Someone else with the password and the same code, in another browser: refused, sees no key.
    thief = Client()
    _login(thief, new_admin.username, PASSWORD, address="198.51.100.9")
    response = thief.post(reverse("accounts:otp_setup"), {"enrolment_code": code})
    assert response.status_code == 200 and "Deze inschrijvingscode klopt niet" in response.content.decode()
    assert "otp-secret" not in thief.get(reverse("accounts:otp_setup")).content.decode()
    assert _devices(new_admin).get().key == first_key
    # The first browser links its app; afterwards the code is no use either.
    device = _devices(new_admin).get()
    client.post(reverse("accounts:otp_setup"), {"code": current_code(device)})
    assert confirmed_device(new_admin) == device
    response = thief.post(reverse("accounts:otp_setup"), {"enrolment_code": code})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_verify"))
    assert _devices(new_admin).count() == 1 and confirmed_device(new_admin) == device


def test_an_enrolment_code_expires_after_24_hours(client, db):
    from accounts.otp import issue_enrolment_code

    new_admin = _new_administrator()
    code = issue_enrolment_code(new_admin)
    issued = new_admin.otp_enrolment_codes.get()
    assert issued.expires_at - issued.issued_at == timedelta(hours=24)
    _login(client, new_admin.username, PASSWORD)
    # Issued 24 hours and one second ago: refused.
    new_admin.otp_enrolment_codes.update(
        issued_at=issued.issued_at - timedelta(hours=24, seconds=1),
        expires_at=issued.expires_at - timedelta(hours=24, seconds=1),
    )
    response = client.post(reverse("accounts:otp_setup"), {"enrolment_code": code})
    assert response.status_code == 200 and "Deze inschrijvingscode klopt niet" in response.content.decode()
    assert not _devices(new_admin).exists()
    # Issued 23 hours 59 minutes ago: still good.
    new_admin.otp_enrolment_codes.update(
        issued_at=issued.issued_at - timedelta(hours=23, minutes=59),
        expires_at=issued.expires_at - timedelta(hours=23, minutes=59),
    )
    assert client.post(reverse("accounts:otp_setup"), {"enrolment_code": code}).status_code == 302


def test_five_wrong_enrolment_codes_withdraw_the_code_and_are_logged(client, db, caplog):
    from accounts.otp import issue_enrolment_code

    new_admin = _new_administrator()
    code = issue_enrolment_code(new_admin)
    _login(client, new_admin.username, PASSWORD)
    for attempt in range(5):
        client.post(reverse("accounts:otp_setup"), {"enrolment_code": f"WRONG-CODE-{attempt}"})
    assert "Wrong authenticator enrolment code" in caplog.text
    response = client.post(reverse("accounts:otp_setup"), {"enrolment_code": code})
    assert response.status_code == 200 and "Deze inschrijvingscode klopt niet" in response.content.decode()
    assert new_admin.otp_enrolment_codes.get().withdrawn_at is not None
    assert not _devices(new_admin).exists()


def test_issuing_a_new_code_withdraws_the_earlier_one(client, db):
    from accounts.otp import issue_enrolment_code

    new_admin = _new_administrator()
    earlier = issue_enrolment_code(new_admin)
    newer = issue_enrolment_code(new_admin)
    _login(client, new_admin.username, PASSWORD)
    assert client.post(reverse("accounts:otp_setup"), {"enrolment_code": earlier}).status_code == 200
    assert client.post(reverse("accounts:otp_setup"), {"enrolment_code": newer}).status_code == 302


def test_issue_otp_enrolment_prints_a_working_code_and_refuses_who_needs_none(client, partner_staff):
    from io import StringIO

    from django.core.management.base import CommandError

    new_admin = _new_administrator()
    out = StringIO()
    call_command("issue_otp_enrolment", new_admin.username, stdout=out)
    code = out.getvalue().strip().splitlines()[-1]
    assert new_admin.otp_enrolment_codes.get().issued_by is None
    _login(client, new_admin.username, PASSWORD)
    assert client.post(reverse("accounts:otp_setup"), {"enrolment_code": code}).status_code == 302
    assert _devices(new_admin).filter(confirmed=False).exists()
    for username in (partner_staff.username, "nobody-by-this-name"):
        with pytest.raises(CommandError):
            call_command("issue_otp_enrolment", username, stdout=StringIO())
    assert not partner_staff.otp_enrolment_codes.exists()


@pytest.mark.parametrize("role", ["partner_staff", "evaluator", "analyst"])
def test_users_who_need_no_second_factor_cannot_enrol_a_device(role, request, client):
    from accounts.otp import issue_enrolment_code

    user = request.getfixturevalue(role)
    code = issue_enrolment_code(user)  # even with a code (which the app never issues them)
    client.force_login(user)
    assert client.get(reverse("accounts:otp_setup")).status_code == 404
    assert client.post(reverse("accounts:otp_setup"), {"enrolment_code": code}).status_code == 404
    assert not _devices(user).exists()


def test_an_administrator_issues_no_code_for_themselves_nor_for_other_roles(administrator, partner_staff):
    issuer = _verified_client(administrator)
    for user in (administrator, partner_staff):
        assert issuer.post(reverse("accounts:otp_enrolment_issue", args=[user.pk])).status_code == 404
        assert not user.otp_enrolment_codes.exists()


def test_the_code_page_does_not_send_an_administrator_to_another_site(client, admin_with_password):
    _login(client, admin_with_password.username, PASSWORD)
    device = confirmed_device(admin_with_password)
    response = client.post(
        reverse("accounts:otp_verify"), {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse("home")


def test_the_demo_administrator_keeps_its_key_between_runs(db):
    from accounts.models import User
    from demo.accounts import create_demo_accounts

    factories.PartnerFactory()
    create_demo_accounts()
    first = confirmed_device(User.objects.get(username="beheerder")).key
    create_demo_accounts()
    assert confirmed_device(User.objects.get(username="beheerder")).key == first
    give_confirmed_device(User.objects.get(username="beheerder"))
    assert confirmed_device(User.objects.get(username="beheerder")).key != first


# --- Database unreachable ------------------------------------------------------------------------


def test_an_unreachable_database_answers_the_dutch_503_page_and_the_app_recovers(client, db, monkeypatch):
    from django.db import OperationalError, connection

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    client.raise_request_exception = False
    with monkeypatch.context() as patched:
        patched.setattr(connection, "ensure_connection", down)
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Doorstroom is tijdelijk niet beschikbaar" in page
    assert "Connection refused" not in page and "Traceback" not in page
    assert response.headers["Retry-After"] == "60"
    # The database is back: the next request is served normally.
    assert client.get(reverse("accounts:login")).status_code == 200
