"""End-to-end: the pathway page (issue 16) in a browser, checked by axe-core, with its screenshot."""

import datetime

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from demo.synthetic import generate
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pathway_page_shows_the_funnel_with_its_numbers(page, login, shot):
    analyst = factories.UserFactory(password=PASSWORD, username="analist")
    analyst.groups.add(Group.objects.get(name=Role.ANALYST.value))
    generate(persons=400, seed=16, today=datetime.date(2024, 6, 30))
    login(analyst)

    page.goto("/rapporten/pathway_by_cohort_year/?as_of=2024-06-30")

    funnel = page.locator("figure.report-funnel svg[role=img]")
    assert funnel.get_attribute("aria-labelledby") == "funnel-title funnel-desc"
    description = page.locator("#funnel-desc").text_content()
    assert description.startswith("1. advies doorstroomklaar: ") and "%" in description
    assert "8. 12 maanden na de start van de job aan het werk in het NEC" in funnel.inner_html()
    shot("pathway-report")
