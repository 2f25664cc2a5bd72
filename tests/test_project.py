"""The project as a whole: no missing migrations, system checks clean."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


# Every alias: makemigrations checks the history on each connection when routers are set, and the replica
# alias (tests/test_replica.py adds one when DATABASE_REPLICA_URL gives none) is one of them.
@pytest.mark.django_db(databases="__all__")
def test_no_model_change_is_missing_a_migration():
    out = io.StringIO()
    # --check exits with status 1 when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_system_checks_find_no_issue():
    out = io.StringIO()
    call_command("check", stdout=out, stderr=io.StringIO())
    assert "System check identified no issues" in out.getvalue()


@pytest.mark.django_db
def test_system_checks_do_fail_on_an_error(settings):
    # A broken setting must make the check command fail, so the test above can fail.
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "string_if_invalid": 1}}
    ]
    with pytest.raises(SystemCheckError):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def _settings_under(env):
    """The settings a fresh process reads from the given environment."""
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'DEBUG': s.DEBUG, 'SECRET_KEY': s.SECRET_KEY, 'ALLOWED_HOSTS': s.ALLOWED_HOSTS,"
        "'ENGINE': s.DATABASES['default']['ENGINE'], 'NAME': str(s.DATABASES['default']['NAME']),"
        "'LANGUAGE_CODE': s.LANGUAGE_CODE, 'TIME_ZONE': s.TIME_ZONE}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DOORSTROOM_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_settings_default_to_a_developer_machine():
    read = _settings_under({})
    assert read["DEBUG"] is True
    assert read["ENGINE"] == "django.db.backends.sqlite3"
    assert read["NAME"].endswith("db.sqlite3")
    assert (read["LANGUAGE_CODE"], read["TIME_ZONE"]) == ("nl", "Europe/Brussels")


def test_settings_come_from_the_environment():
    read = _settings_under(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "a-secret-from-the-environment-of-at-least-fifty-characters-long",
            "DJANGO_ALLOWED_HOSTS": "doorstroom.example,www.doorstroom.example",
            "DATABASE_URL": "postgres://doorstroom@db.example:5432/doorstroom",
            "DOORSTROOM_INSZ_KEYS": "dGVzdC1vbmx5LWZlcm5ldC1rZXktb2YtMzItYnl0ZXM=",
            "DOORSTROOM_INSZ_HASH_KEY": "a-hash-key-from-the-environment-of-32-characters",
        }
    )
    assert read["DEBUG"] is False
    assert read["SECRET_KEY"] == "a-secret-from-the-environment-of-at-least-fifty-characters-long"
    assert read["ALLOWED_HOSTS"] == ["doorstroom.example", "www.doorstroom.example"]
    assert read["ENGINE"] == "django.db.backends.postgresql"
    assert read["NAME"] == "doorstroom"
