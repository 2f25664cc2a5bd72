"""The code that reads a library's private API is tied to the version it was written for (common/seams.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from common import seams


def test_the_installed_libraries_are_the_versions_the_seams_were_written_for():
    assert seams.unsupported() == []


def test_another_version_fails_the_checks_with_a_message_naming_the_code_to_read(monkeypatch):
    monkeypatch.setattr(seams, "version", lambda distribution: "9.0.0")
    messages = seams.unsupported()
    assert len(messages) == 2
    assert any("Django 9.0.0" in m and "reports/statements.py" in m for m in messages)
    assert any("django-tables2 9.0.0" in m and "speed_up_django_tables2" in m for m in messages)
    with pytest.raises(SystemCheckError, match="common.E001"):
        call_command("check")
