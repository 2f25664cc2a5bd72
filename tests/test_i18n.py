"""Dutch by default, English on request: complete catalogues and pages in both languages."""

import io
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from accounts.roles import Role
from tests.url_walk import project_app_labels

BASE_DIR = Path(settings.BASE_DIR)
PROJECT_APPS = project_app_labels()


def _catalogues():
    """Every Dutch catalogue of the repository, outside the virtualenv."""
    return sorted(
        path
        for path in BASE_DIR.glob("**/locale/nl/LC_MESSAGES/django.po")
        if ".venv" not in path.relative_to(BASE_DIR).parts and "node_modules" not in path.parts
    )


CATALOGUES = _catalogues()


def test_the_project_has_a_dutch_catalogue():
    assert BASE_DIR / "locale/nl/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(BASE_DIR)) for p in CATALOGUES])
def test_catalogue_has_no_empty_or_fuzzy_entry(path):
    catalogue = polib.pofile(str(path))
    live = [entry for entry in catalogue if not entry.obsolete]
    assert live, f"{path} is empty"
    empty = [entry.msgid for entry in live if not (entry.msgstr or any(entry.msgstr_plural.values()))]
    fuzzy = [entry.msgid for entry in live if "fuzzy" in entry.flags]
    assert empty == [], f"untranslated in {path}"
    assert fuzzy == [], f"fuzzy in {path}"


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(BASE_DIR)) for p in CATALOGUES])
def test_compiled_catalogue_matches_its_source(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"run compilemessages for {path}"
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path)) if not e.obsolete and not e.msgid_plural}
    binary = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(compiled)) if not e.msgid_plural}
    stale = {key: value for key, value in source.items() if key[1] and binary.get(key) != value}
    assert stale == {}, f"{compiled} is older than {path}: run compilemessages"


def _all_msgids():
    return {entry.msgid for path in CATALOGUES for entry in polib.pofile(str(path)) if not entry.obsolete}


def _inherited_from_django(model, field):
    for base in model.__mro__[1:]:
        meta = getattr(base, "_meta", None)
        if meta is not None and base.__module__.startswith("django."):
            if field.name in {f.name for f in (*meta.local_fields, *meta.local_many_to_many)}:
                return True
    return False


def _model_strings():
    """Every user-facing string the project's models declare: names, field labels, help, choices."""
    strings = []
    for app_label in PROJECT_APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            if model.__name__.startswith("Historical"):
                continue
            strings += [model._meta.verbose_name, model._meta.verbose_name_plural]
            for field in model._meta.get_fields():
                if field.auto_created or not getattr(field, "concrete", False) and not field.many_to_many:
                    continue
                if _inherited_from_django(model, field):
                    continue  # AbstractUser's fields: Django translates them
                strings += [field.verbose_name, field.help_text]
                strings += [label for _value, label in (field.choices or []) if not isinstance(label, (list, tuple))]
    strings += [role.label for role in Role]
    return [s for s in strings if s and isinstance(s, Promise)]  # lazy, i.e. marked for translation


def test_every_model_string_is_in_a_dutch_catalogue():
    msgids = _all_msgids()
    with translation.override("en"):
        missing = sorted({str(s) for s in _model_strings()} - msgids)
    assert missing == [], "run makemessages and translate"


def test_a_model_string_that_is_not_marked_would_be_noticed():
    assert "a label nobody wrote" not in _all_msgids()
    with translation.override("en"):
        assert len(_model_strings()) > 100
        assert str(apps.get_model("employees", "Employee")._meta.verbose_name) in _all_msgids()


def test_role_labels_are_dutch_by_default():
    translation.deactivate()  # as in a management command: settings.LANGUAGE_CODE
    assert [str(role.label) for role in Role] == ["VDAB-evaluator", "Partnermedewerker", "Beheerder", "Analist"]
    with translation.override("en"):
        assert str(Role.ADMINISTRATOR.label) == "Administrator"


def test_create_demo_accounts_prints_dutch_role_labels(db):
    from tests.factories import PartnerFactory

    PartnerFactory()
    translation.deactivate()
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    printed = out.getvalue()
    for label in ("VDAB-evaluator", "Partnermedewerker", "Beheerder", "Analist"):
        assert label in printed
    assert "Administrator" not in printed


# --- Pages in both languages ---------------------------------------------------------


def test_login_page_is_dutch_by_default(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Inloggen bij Doorstroom" in page
    assert "Log in to Doorstroom" not in page


def test_login_page_is_english_after_the_language_switch(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Log in to Doorstroom" in page
    assert "Inloggen" not in page
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Inloggen bij Doorstroom" in client.get(reverse("accounts:login")).content.decode()


HOME_TEXTS = [
    # fixture, Dutch text, role label in Dutch, English text, English role label
    (
        "evaluator",
        "Een evaluatie en haar advies registreren",
        "VDAB-evaluator",
        "Record an evaluation and its advice",
        "VDAB evaluator",
    ),
    (
        "partner_staff",
        "De job registreren die volgde",
        "Partnermedewerker",
        "Record the job that followed",
        "Partner staff",
    ),
    (
        "administrator",
        "Alle gegevens beheren in het beheerluik",
        "Beheerder",
        "Manage all records in the administration",
        "Administrator",
    ),
    (
        "analyst",
        "Een rapport uitvoeren voor een peildatum en een stand van het register",
        "Analist",
        "Run a report for a reference date and a state of the register",
        "Analyst",
    ),
]


@pytest.mark.parametrize(("fixture", "dutch", "dutch_role", "english", "english_role"), HOME_TEXTS)
def test_home_pages_are_dutch_by_default_and_english_after_the_switch(
    client, request, fixture, dutch, dutch_role, english, english_role
):
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("home")).content.decode()
    assert "Welkom" in page and dutch in page and f"· {dutch_role}" in page
    assert "Afmelden" in page
    assert english not in page

    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    page = client.get(reverse("home")).content.decode()
    assert "Welcome" in page and english in page and f"· {english_role}" in page
    assert "Log out" in page
    assert dutch not in page
