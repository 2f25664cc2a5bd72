"""Access is decided in one place (accounts/access.py): every model's queryset declares a Scope, templates ask
`can.<capability>`, and no app writes a visible_to of its own or compares role names in a template."""

import pathlib
import re

from django.apps import apps

from accounts.access import CAPABILITIES, Scope, ScopedQuerySet
from tests.url_walk import project_app_labels

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROJECT_APPS = set(project_app_labels())


def test_every_model_with_a_visible_to_gets_it_from_its_declared_scope():
    scoped = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        queryset = type(model._default_manager.get_queryset())
        if hasattr(queryset, "visible_to"):
            assert issubclass(queryset, ScopedQuerySet), f"{model._meta.label}: visible_to outside ScopedQuerySet"
            assert queryset.visible_to is ScopedQuerySet.visible_to, f"{model._meta.label} overrides visible_to"
            assert isinstance(queryset.scope, Scope)
            scoped.append(model._meta.label)
    assert {
        "employees.Employee",
        "trajectories.Trajectory",
        "imports.ImportRun",
        "reports.SavedReport",
        "audit.AccessEvent",
    } <= set(scoped)


def test_no_code_outside_accounts_defines_a_visible_to():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        if path.parts[len(ROOT.parts)] not in {"accounts", "tests", ".venv"} and "def visible_to(" in path.read_text()
    ]
    assert offenders == []


def _templates():
    return [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]


def test_templates_ask_capabilities_not_role_names():
    for path in _templates():
        text = path.read_text()
        assert not re.search(r"user_role\s*==|Role\.", text), f"{path} compares role names"
        for name in re.findall(r"\bcan\.(\w+)", text):
            assert name in CAPABILITIES, f"{path}: unknown capability can.{name}"
