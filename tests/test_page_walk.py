"""Every page reachable by links from each role's home page: dates dd/mm/yyyy, descriptions that exist.

Issue 15: the person list showed 06/07/1984 beside 11-2-2015, and an English browser turned dates
month first. The walk follows every link of the site (not the exports, not the admin, not logging
out) from the home page, in Dutch and in English, and reads the visible text of each page for a
date written any other way than dd/mm/yyyy. It also checks that every aria-describedby names an
element of the page (#id_slug and #id_known_at named none).
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

from tests import factories

# Dates written otherwise: 11-2-2015, 2015-02-11, 2015/02/11, 11.2.2015, 2/11/15, and a d/m/yyyy
# without its leading zeros (6/7/1984), which is how month-first dates come out in English too.
WRONG_DATES = re.compile(
    r"(?<![\d/.-])("
    r"\d{1,2}-\d{1,2}-\d{2,4}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}"
    r"|\d{1,2}/\d{1,2}/\d{2}"
    r"|\d/\d{1,2}/\d{4}|\d{2}/\d/\d{4}"
    r")(?![\d/.-])"
)
GOOD_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
SKIPPED_PREFIXES = ("/admin/", "/static/", "/gebruiker/afmelden/", "/i18n/")
MAX_PAGES = 120


class _Page(HTMLParser):
    """The visible text, the links, the ids and the aria-describedby references of a page."""

    def __init__(self):
        super().__init__()
        self.text, self.links, self.ids, self.described_by = [], [], set(), []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "title"):
            self._hidden += 1
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by.extend(attrs["aria-describedby"].split())
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _walk(client, start="/"):
    """(path, parsed page) of every HTML page reachable by links from `start`."""
    seen, queue, pages = set(), [start], []
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        pages.append((path, page))
        for href in page.links:
            parts = urlsplit(urldefrag(href)[0])
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIPPED_PREFIXES) or "_export" in parts.query:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return pages


@pytest.fixture
def case(partner, partner_staff):
    world = factories.partner_case(partner, partner_staff)
    # Days above 12 and below: a month-first date would show.
    world["employee"].registered_on = world["employee"].birth_date.replace(year=2015, month=2, day=11)
    world["employee"].save()
    return world


ROLES = ["evaluator", "partner_staff", "administrator", "analyst"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_reachable_from_home_writes_dates_dd_mm_yyyy(client, request, case, role, language):
    user = request.getfixturevalue(role)
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    pages = _walk(client, reverse("home"))
    assert len(pages) > 3, [path for path, _page in pages]
    wrong = {}
    for path, page in pages:
        text = " ".join(page.text)
        found = WRONG_DATES.findall(text)
        found += [m.group(0) for m in GOOD_DATE.finditer(text) if int(m.group(2)) > 12]
        if found:
            wrong[path] = found[:5]
    assert wrong == {}


@pytest.mark.parametrize("role", ROLES)
def test_every_aria_describedby_names_an_element_of_the_page(client, request, case, role):
    client.force_login(request.getfixturevalue(role))
    missing = {}
    for path, page in _walk(client, reverse("home")):
        absent = sorted(set(page.described_by) - page.ids)
        if absent:
            missing[path] = absent
    assert missing == {}


def test_the_date_pattern_finds_the_dates_issue_15_reported():
    for written in ("11-2-2015", "2015-02-11", "2/11/15", "6/7/1984", "11.02.2015"):
        assert WRONG_DATES.search(f"geboren {written} in Gent"), written
    for written in ("06/07/1984", "11/02/2015 14:30", "1.234,56", "€ 2.016.000,00", "2019", "p. 3/12"):
        assert not WRONG_DATES.search(f"op {written} ."), written
