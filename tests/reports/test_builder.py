"""The report builder without syntax (issue 14, point 1) and the report list (point 7).

An administrator chooses the measure first; the figures, dimensions and filter labels offered are
those of that measure, by their Dutch names; nothing is typed in the engine's keys.
"""

import datetime
import re

import pytest
from django.urls import reverse

from reports.models import SavedReport
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def _options(html, name):
    """(value, text) of the options of the select `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def _data(**overrides):
    data = {
        "name": "Trajecten per provincie",
        "measure": "trajectories",
        "population": "trajectories",
        "row_dimension_1": "province",
        "row_dimension_2": "",
        "column": "year",
        "fixed_label_lines": "",
        "age_bands": "esf2014",
        "as_of": "2019-11-30",
        "known_at": "",
        "period_from": "",
        "period_to": "",
        "description": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def builder(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def trajectories(db):
    factories.TrajectoryFactory(start_date=D(2019, 4, 1), se_employer=factories.OrganisationFactory(postcode=2000))
    factories.TrajectoryFactory(start_date=D(2019, 5, 1), se_employer=factories.OrganisationFactory(postcode=3500))
    factories.TrajectoryFactory(start_date=D(2019, 6, 1), se_employer=factories.OrganisationFactory(postcode=9000))


def test_the_builder_offers_only_the_figures_and_dimensions_of_the_chosen_measure(builder):
    html = builder.post(reverse("reports:create"), _data(preview="1")).content.decode()

    figures = [text for _value, text in _options(html, "population")]
    dimensions = [text for _value, text in _options(html, "row_dimension_1")]
    assert figures == ["trajecten", "lopend op de peildatum", "beëindigd op de peildatum", "personen"]
    assert dimensions == [
        "(geen)",
        "cijfer",
        "jaar",
        "doorstroompartner",
        "provincie",
        "leeftijdsgroep",
        "geslacht",
        "beleidsinstrument",
        "projectoproep",
        "sociale-economiewerkgever",
    ]


def test_the_builder_shows_no_engine_key_and_asks_no_slug(builder):
    html = builder.post(reverse("reports:create"), _data(preview="1")).content.decode()

    texts = [text for name in ("population", "row_dimension_1") for _value, text in _options(html, name)]
    assert not {"province", "age_band", "status", "trajectories", "running"} & set(texts)
    assert "Slug" not in html and 'name="slug"' not in html
    assert "Maatstaven en hun dimensies" not in html  # the reference block of engine keys is gone


def test_the_preview_is_on_top_of_the_form(builder, trajectories):
    html = builder.post(reverse("reports:create"), _data(preview="1")).content.decode()

    assert 'id="report-preview"' in html
    assert html.index("Limburg") < html.index('id="report-builder-form"')
    assert "report-builder.js" in html


def test_a_new_measure_in_the_preview_drops_the_choices_of_the_old_one(builder):
    response = builder.post(
        reverse("reports:create"), _data(preview="1", measure="internships", row_dimension_1="age_band")
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert ("sector", "sector") in _options(html, "row_dimension_1")
    assert re.search(r'<option value="age_band"', html) is None
    assert "invalid-feedback" not in html


def test_filters_are_choices_of_the_dimensions_labels_several_at_once(builder, trajectories):
    response = builder.post(reverse("reports:create"), _data(filter_province=["Antwerpen", "Limburg"]))

    report = SavedReport.objects.get(name="Trajecten per provincie")
    assert response.status_code == 302
    assert report.filters == {"province": ["Antwerpen", "Limburg"]}


def test_a_label_sent_in_another_case_is_the_same_label(builder, trajectories):
    builder.post(reverse("reports:create"), _data(filter_province=["antwerpen"]))

    assert SavedReport.objects.get(name="Trajecten per provincie").filters == {"province": ["Antwerpen"]}


def test_the_filter_offers_the_labels_by_their_dutch_text(builder, trajectories):
    factories.EvaluationFactory()
    html = builder.post(
        reverse("reports:create"), _data(preview="1", measure="evaluations", population="evaluations")
    ).content.decode()

    assert 'name="filter_advice" value="ready"' in html
    assert "doorstroomklaar" in html
    assert 'name="filter_province" value="Antwerpen"' in html


def test_a_label_that_is_not_in_the_register_is_refused_naming_the_dimension(builder, trajectories):
    response = builder.post(reverse("reports:create"), _data(filter_province=["Atlantis"]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "“Atlantis” is geen provincie in het register." in html
    assert not SavedReport.objects.filter(name="Trajecten per provincie").exists()


def test_a_dimension_chosen_twice_is_refused_naming_both_fields(builder):
    response = builder.post(reverse("reports:create"), _data(column="province"))
    html = response.content.decode()

    assert "provincie is al gekozen bij Rijen; kies elke dimensie één keer." in html
    assert 'href="#id_column">Kolommen</a>' in html
    assert not SavedReport.objects.exists() or not SavedReport.objects.filter(name="Trajecten per provincie")


def test_labels_always_listed_are_typed_with_dutch_names_in_any_case(builder, trajectories):
    builder.post(reverse("reports:create"), _data(fixed_label_lines="Provincie: limburg; ANTWERPEN"))

    assert SavedReport.objects.get(name="Trajecten per provincie").fixed_labels == {
        "province": ["Limburg", "Antwerpen"]
    }


def test_labels_always_listed_of_a_dimension_the_measure_has_not_are_refused(builder):
    html = builder.post(reverse("reports:create"), _data(fixed_label_lines="advies: klaar")).content.decode()

    assert "Regel 1 van Labels die altijd getoond worden: “advies” is geen dimensie van Trajecten" in html


def test_the_slug_is_made_from_the_name_unique_and_shown_as_the_export_address(builder):
    seeded = set(SavedReport.objects.values_list("slug", flat=True))
    builder.post(reverse("reports:create"), _data(name="Trajecten per provincie"))
    builder.post(reverse("reports:create"), _data(name="Trajecten per provincie"))
    builder.post(reverse("reports:create"), _data(name="Nieuw"))

    slugs = set(SavedReport.objects.exclude(slug__in=seeded).values_list("slug", flat=True))
    html = builder.get(reverse("reports:update", args=["trajecten-per-provincie-2"])).content.decode()
    assert slugs == {"trajecten-per-provincie", "trajecten-per-provincie-2", "nieuw-2"}
    assert "/rapporten/trajecten-per-provincie-2/export.xlsx" in html


def test_editing_keeps_the_export_address(builder, trajectories):
    builder.post(reverse("reports:create"), _data())
    builder.post(reverse("reports:update", args=["trajecten-per-provincie"]), _data(name="Andere naam"))

    assert SavedReport.objects.get(slug="trajecten-per-provincie").name == "Andere naam"


def test_the_edit_page_previews_the_saved_report(builder, trajectories):
    builder.post(reverse("reports:create"), _data())

    html = builder.get(reverse("reports:update", args=["trajecten-per-provincie"])).content.decode()

    assert html.index("Limburg") < html.index('id="report-builder-form"')


# --- the report list (point 7) -----------------------------------------------------------------


def test_the_list_groups_the_pack_and_the_administrators_reports_by_title(client, administrator):
    SavedReport.objects.create(name="Mijn rapport", slug="mijn-rapport", measure="trajectories")
    client.force_login(administrator)

    html = client.get(reverse("reports:list")).content.decode()

    pack = html.index("De parlementaire vraag")
    own = html.index("Rapporten van de beheerders")
    assert pack < html.index("Beëindigde trajecten") < own < html.index("Mijn rapport")
    assert "<code>" not in html and "q2c_ended</" not in html


def test_the_packs_reports_can_be_copied_but_not_deleted(client, administrator):
    SavedReport.objects.create(name="Mijn rapport", slug="mijn-rapport", measure="trajectories")
    client.force_login(administrator)

    html = client.get(reverse("reports:list")).content.decode()
    refused = client.post(reverse("reports:delete", args=["q2c_ended"]), follow=True)
    copied = client.post(reverse("reports:copy", args=["q2c_ended"]))

    assert reverse("reports:delete", args=["q2c_ended"]) not in html
    assert reverse("reports:copy", args=["q2c_ended"]) in html
    assert reverse("reports:delete", args=["mijn-rapport"]) in html
    assert SavedReport.objects.filter(slug="q2c_ended", in_pack=True).exists()
    assert "kan niet verwijderd worden" in refused.content.decode()
    assert copied.status_code == 302
    assert SavedReport.objects.filter(slug="q2c_ended-kopie", in_pack=False).exists()


def test_the_analysts_home_says_what_they_can_do_and_links_to_it(client, analyst):
    client.force_login(analyst)

    html = client.get("/").content.decode()

    assert f'href="{reverse("reports:list")}"' in html
    assert f'href="{reverse("reports:pack")}"' in html
    assert "maakt" not in html.split("<main")[1]
    assert client.get(reverse("reports:create")).status_code == 404
