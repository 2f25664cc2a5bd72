"""The project as a whole: no missing migrations, system checks clean."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


@pytest.mark.django_db
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
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "string_if_invalid": 1}}]
    with pytest.raises(SystemCheckError):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
