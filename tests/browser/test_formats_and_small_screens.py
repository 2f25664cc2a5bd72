"""End-to-end: Dutch whatever the browser's language, dates dd/mm/yyyy, phones and keyboards (issue 15, 5 and 8)."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from common.identifiers import make_insz
from evaluations.models import Referral
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MONTH_FIRST_OR_OTHER = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{2}/(1[3-9]|[23]\d)/\d{4}\b")


def _user(role, **kwargs):
    user = factories.UserFactory(password=PASSWORD, **kwargs)
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def english_page(chromium, live_server):
    """A browser set to American English: language, Accept-Language and date conventions."""
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}, timezone_id="Europe/Brussels"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


def _sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/gebruiker/aanmelden/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")


def test_an_english_browser_still_gets_dutch_and_dd_mm_yyyy(english_page, shot):
    page = english_page
    evaluator = _user(Role.EVALUATOR, username="evaluator", office="VDAB Gent")
    factories.EmployeeFactory(
        last_name="Verhulst", birth_date=datetime.date(1984, 7, 6), registered_on=datetime.date(2015, 2, 11)
    )
    page.goto("/gebruiker/aanmelden/")
    assert page.get_attribute("html", "lang") == "nl"
    assert "Inloggen bij Doorstroom" in page.inner_text("main")

    _sign_in(page, evaluator)
    assert "Welkom" in page.inner_text("main")
    page.goto("/personen/")
    text = page.inner_text("main")
    assert "06/07/1984" in text and "11/02/2015" in text
    assert not MONTH_FIRST_OR_OTHER.search(text), MONTH_FIRST_OR_OTHER.search(text)
    shot("english-browser-person-list", of=page)

    # English only when the user asks for it, and then still dd/mm/yyyy.
    page.click("form.language-switch button")
    page.wait_for_load_state()
    assert "New person" in page.inner_text("main") and page.get_attribute("html", "lang") == "en"
    text = page.inner_text("main")
    assert "06/07/1984" in text and "11/02/2015" in text


def test_a_date_typed_by_hand_day_first_is_saved_as_typed(page, login, shot):
    evaluator = _user(Role.EVALUATOR, username="evaluator", office="VDAB Gent")
    login(evaluator)
    page.goto("/personen/nieuw/")
    assert page.locator("#id_registered_on").count() == 0  # not asked of a caseworker
    assert page.locator("#id_gender option").first.inner_text() == "— kies —"
    page.fill("#id_insz", make_insz(datetime.date(1984, 7, 6), 33))
    page.fill("#id_first_name", "Lotte")
    page.fill("#id_last_name", "Verhulst")
    # Typed as a Belgian writes it: day, month, year.
    assert page.get_attribute("#id_birth_date", "placeholder") == "dd/mm/jjjj"
    page.click("#id_birth_date")
    page.keyboard.type("6/7/1984")
    page.select_option("#id_gender", value="f")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert")
    assert "06/07/1984" in page.inner_text("main")


def test_on_a_phone_the_work_queue_keeps_its_action_on_the_screen(phone_page, login, shot):
    page = phone_page
    partner = factories.PartnerFactory(name="Trajectwerk vzw")
    staff = _user(Role.PARTNER_STAFF, username="partner", organisation=partner)
    evaluation = factories.EvaluationFactory(employee__last_name="Verhulst")
    referral = Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
    login(staff)
    page.goto("/evaluaties/doorverwijzingen/")
    action = page.locator(f"a[href='/trajecten/starten/doorverwijzing/{referral.pk}/']")
    box = action.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("work-queue-390")
    action.click()
    page.wait_for_url(f"**/trajecten/starten/doorverwijzing/{referral.pk}/")
    shot("trajectory-start-390")


def test_on_a_phone_the_person_list_and_home_fit_the_screen(phone_page, login, shot):
    page = phone_page
    evaluator = _user(Role.EVALUATOR, username="evaluator", office="VDAB Gent")
    for index in range(3):
        factories.EmployeeFactory(last_name=f"Persoon{index}")
    login(evaluator)
    shot("home-evaluator-390")
    page.goto("/personen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    link = page.locator("main table tbody tr a").first
    box = link.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    shot("person-list-390")


def test_a_table_wider_than_the_screen_is_scrolled_with_the_keyboard(page, login):
    admin = _user(Role.ADMINISTRATOR, username="beheerder", is_staff=True)
    factories.TrajectoryFactory()
    page.set_viewport_size({"width": 640, "height": 800})
    login(admin)
    page.goto("/trajecten/")
    container = page.locator(".table-container")
    assert page.evaluate("el => el.scrollWidth > el.clientWidth", container.element_handle())
    assert container.get_attribute("tabindex") == "0"
    assert container.get_attribute("role") == "region" and container.get_attribute("aria-label")
    container.focus()
    for _press in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=container.element_handle())


def test_every_page_has_the_favicon(page, login):
    response = page.goto("/gebruiker/aanmelden/")
    assert response.ok
    icon = page.get_attribute("link[rel=icon]", "href")
    assert icon.endswith(".svg")
    assert page.request.get(icon).ok
