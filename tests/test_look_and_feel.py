"""Layout, language and accessibility basics: Dutch by default, complete catalogues, menu per role, no inline code."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

APPS_WITH_CATALOGUES = ["common", "employees", "evaluations", "trajectories", "partners"]


@pytest.mark.parametrize("app", APPS_WITH_CATALOGUES)
def test_the_dutch_catalogue_of_each_app_is_complete_and_compiled(app):
    po_path = Path(settings.BASE_DIR) / app / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    assert not catalogue.untranslated_entries(), [e.msgid for e in catalogue.untranslated_entries()]
    assert not catalogue.fuzzy_entries()
    # The committed .mo must hold exactly the .po's translations (compilemessages was run after the last edit).
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {(e.msgid, e.msgstr) for e in compiled if not e.msgid_plural} == {
        (e.msgid, e.msgstr) for e in catalogue if not e.msgid_plural and not e.obsolete
    }


def test_pages_are_in_dutch_by_default_and_in_english_after_the_switch(client, administrator):
    client.force_login(administrator)
    dutch = client.get(reverse("trajectories:list")).content.decode()
    assert "Trajecten" in dutch and "Exporteren naar XLSX" in dutch
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("trajectories:list")).content.decode()
    assert "Export XLSX" in english and "Exporteren" not in english


def _menu(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_the_menu_follows_the_role(client, evaluator, partner_staff, analyst):
    evaluator_menu = _menu(client, evaluator)
    assert reverse("evaluations:list") in evaluator_menu
    assert reverse("trajectories:list") not in evaluator_menu
    partner_menu = _menu(client, partner_staff)
    assert reverse("trajectories:list") in partner_menu and "Werkvoorraad" in partner_menu
    analyst_menu = _menu(client, analyst)
    assert reverse("employees:list") not in analyst_menu
    assert reverse("partners:organisation_list") in analyst_menu


def _pages(world):
    trajectory = world
    return [
        reverse("trajectories:list"),
        reverse("trajectories:detail", args=[trajectory.pk]),
        reverse("trajectories:end", args=[trajectory.pk]),
        reverse("trajectories:internship_create", args=[trajectory.pk]),
        reverse("employees:detail", args=[trajectory.employee_id]),
        reverse("employees:lookup"),
        reverse("evaluations:referral_list"),
        reverse("partners:grant_create"),
    ]


def test_no_page_carries_inline_scripts_or_styles(client, administrator):
    trajectory = factories.TrajectoryFactory()
    client.force_login(administrator)
    for url in _pages(trajectory):
        body = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert "<style" not in body and " style=" not in body, url
        assert not re.search(r"\son[a-z]+=", body), url


def test_every_visible_form_field_has_a_label(client, administrator):
    trajectory = factories.TrajectoryFactory()
    client.force_login(administrator)
    for url in _pages(trajectory):
        body = client.get(url).content.decode()
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', body)
        for field_id in ids:
            assert f'for="{field_id}"' in body, f"{url}: #{field_id} has no label"


def test_an_invalid_field_points_to_its_message(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    client.force_login(partner_staff)
    body = client.post(
        reverse("trajectories:internship_create", args=[trajectory.pk]), {"sector": "zorg"}
    ).content.decode()
    # The message first, then the help text that still applies.
    assert re.search(r'aria-describedby="id_host_errors( id_host_helptext)?"', body)
    assert 'id="id_host_errors"' in body
    assert "Dit veld is verplicht." in body


def test_the_menu_marks_only_the_current_section(client, partner_staff):
    client.force_login(partner_staff)
    body = client.get(reverse("evaluations:referral_list")).content.decode()
    assert body.count('aria-current="page"') == 1
    assert re.search(r'href="{}" aria-current="page"'.format(reverse("evaluations:referral_list")), body)
