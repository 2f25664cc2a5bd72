"""The session store renews a session at most once a minute (common/sessions.py, issue 6)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.sessions import SessionStore


def _end(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_within_a_minute_of_the_last_renewal_writes_no_session(client, evaluator):
    assert settings.SESSION_ENGINE == "common.sessions"
    client.force_login(evaluator)
    end = _end(client)
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in context.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert _end(client) == end


def test_a_request_a_minute_after_the_last_renewal_renews(client, evaluator):
    client.force_login(evaluator)
    key = client.session.session_key
    # As if the last renewal were 61 seconds ago.
    older = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - SessionStore.RENEW_AFTER - 1)
    Session.objects.filter(pk=key).update(expire_date=older)
    assert client.get(reverse("home")).status_code == 200
    assert _end(client) > older + timedelta(seconds=SessionStore.RENEW_AFTER)


def test_a_session_never_lives_longer_than_its_idle_time_after_the_last_request(client, evaluator):
    client.force_login(evaluator)
    before = timezone.now()
    assert client.get(reverse("home")).status_code == 200
    assert _end(client) <= before + timedelta(seconds=settings.SESSION_COOKIE_AGE + 5)


def test_a_change_of_the_session_data_is_saved_at_once_even_within_the_minute(client, evaluator):
    client.force_login(evaluator)
    store = SessionStore(client.session.session_key)
    store["seen"] = "yes"
    store.save()
    assert SessionStore(client.session.session_key)["seen"] == "yes"
    unchanged = SessionStore(client.session.session_key)
    unchanged.load()
    assert not unchanged.modified and unchanged.renewed_recently()


def test_an_expired_or_unknown_session_is_not_read_and_its_key_is_dropped(client, evaluator):
    client.force_login(evaluator)
    key = client.session.session_key
    assert SessionStore(key).load()  # the signed-in user's data
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new session is made on save, never the expired one reused
    assert client.get(reverse("home")).status_code == 302  # signed out: to the login page
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
