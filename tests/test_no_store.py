"""Issue 12, item 7: no response to a logged-in user may be kept by a browser or proxy (docs/security.md, row 12.7).

Person, evaluation and trajectory pages and the list exports carried only
`Vary`: a shared computer's browser cache or a proxy could keep a person's data.
Every response to a logged-in user now says `Cache-Control: no-store, private`,
streamed exports included. Static files (served by WhiteNoise before the
middleware) and the pages of anonymous visitors are left as they were.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.security import NoStoreForUsersMiddleware
from tests import factories

pytestmark = pytest.mark.django_db


def _never_stored(response):
    directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def case(partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    evaluation = factories.EvaluationFactory(employee=trajectory.employee)
    factories.InternshipFactory(trajectory=trajectory)
    return trajectory, evaluation


def _pages(trajectory, evaluation):
    return [
        (reverse("employees:detail", args=[trajectory.employee_id]), {}),
        (reverse("evaluations:detail", args=[evaluation.pk]), {}),
        (reverse("trajectories:detail", args=[trajectory.pk]), {}),
        (reverse("employees:list"), {}),
        (reverse("employees:list"), {"_export": "csv"}),
        (reverse("trajectories:list"), {"_export": "xlsx"}),
        (reverse("evaluations:list"), {"_export": "csv"}),
        (reverse("trajectories:internship_list"), {"_export": "csv"}),
    ]


def test_person_evaluation_and_trajectory_pages_and_list_exports_are_never_stored(client, administrator, case):
    client.force_login(administrator)

    for url, params in _pages(*case):
        response = client.get(url, params)
        assert response.status_code == 200, url
        _body(response)
        assert _never_stored(response), (url, params, response.headers.get("Cache-Control"))


def test_a_partners_pages_are_never_stored_either(client, partner_staff, case):
    client.force_login(partner_staff)
    trajectory, _ = case

    for url in [
        reverse("employees:detail", args=[trajectory.employee_id]),
        reverse("trajectories:detail", args=[trajectory.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert _never_stored(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_report_export_is_never_stored(fmt, client, analyst):
    client.force_login(analyst)

    response = client.get(reverse("reports:export", kwargs={"slug": "q2e_call_budget", "fmt": fmt}))

    assert response.status_code == 200
    assert _never_stored(response)


def test_a_page_that_is_not_found_or_forbidden_is_not_stored_either(client, partner_staff):
    client.force_login(partner_staff)
    other = factories.TrajectoryFactory()

    response = client.get(reverse("trajectories:detail", args=[other.pk]))

    assert response.status_code == 404
    assert _never_stored(response)


def test_the_login_page_is_never_stored_as_django_already_does(client):
    """Django's LoginView is `never_cache` itself; other pages to anonymous visitors are not marked
    (test_static_files_and_anonymous_visitors_are_left_as_they_were)."""
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert _never_stored(response)


def test_the_logout_answer_is_not_stored(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("accounts:logout"))

    assert _never_stored(response)


def test_static_files_and_anonymous_visitors_are_left_as_they_were():
    """WhiteNoise answers static files before this middleware; should one pass it, it is left as well."""
    request = RequestFactory().get("/static/js/doorstroom.js")
    request.user = factories.UserFactory()
    response = NoStoreForUsersMiddleware(lambda r: HttpResponse("x"))(request)

    assert not _never_stored(response)

    request = RequestFactory().get("/personen/")
    request.user = AnonymousUser()
    assert not _never_stored(NoStoreForUsersMiddleware(lambda r: HttpResponse("x"))(request))
