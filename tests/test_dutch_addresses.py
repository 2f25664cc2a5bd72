"""The interface's addresses are Dutch; earlier English addresses lead there for good (casework/legacy.py)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casework.legacy import SEGMENTS, translated
from tests import factories

pytestmark = pytest.mark.django_db


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            # The admin is Django's, and the REST API (/api/v1/, docs/api.md) speaks to programs, in the
            # English resource names of its schema: neither is an address of the interface.
            if not route.startswith(("admin/", "api/")):
                yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, route


def test_no_english_segment_is_left_in_an_address_of_the_interface():
    english = set(SEGMENTS)
    routes = dict(_routes())
    assert len(routes) > 40
    for name, route in routes.items():
        for segment in re.split(r"[/]", re.sub(r"<[^>]+>", "", route)):
            assert segment not in english, f"{name}: {route}"


@pytest.mark.parametrize(
    "old, name",
    [
        ("/persons/{person}/", "employees:detail"),
        ("/persons/{person}/edit/", "employees:update"),
        ("/persons/lookup/", "employees:lookup"),
        ("/evaluations/referrals/", "evaluations:referral_list"),
        ("/trajectories/{trajectory}/end/", "trajectories:end"),
        ("/register/organisations/", "partners:organisation_list"),
        ("/accounts/login/", "accounts:login"),
    ],
)
def test_an_earlier_english_address_redirects_for_good_to_its_dutch_successor(client, old, name):
    trajectory = factories.TrajectoryFactory()
    ids = {"person": trajectory.employee_id, "trajectory": trajectory.pk}
    args = [ids["trajectory"] if "trajectory" in old else ids["person"]] if "{" in old else []
    response = client.get(old.format(**ids) + "?page=2")
    assert response.status_code == 301
    assert response["Location"] == reverse(name, args=args) + "?page=2"


def test_a_form_posted_to_an_earlier_address_is_sent_on_as_a_post(client):
    response = client.post("/persons/lookup/", {"insz": "x"})
    assert response.status_code == 308 and response["Location"] == reverse("employees:lookup")


def test_an_address_that_never_existed_is_the_friendly_404(client):
    assert client.get("/persons/nowhere/").status_code == 404
    assert client.get("/nergens/").status_code == 404
    assert translated("/trajectories/start/referral/3/") == "/trajecten/starten/doorverwijzing/3/"
