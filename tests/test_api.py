"""The REST API under /api/v1/ (docs/api.md): keys, the same rules as the screens, the conventions."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import APIToken, APITokenScope
from accounts.tokens import issue_token
from audit.constants import AccessAction
from audit.models import AccessEvent
from tests import factories
from trajectories.models import Internship, Trajectory


def api(user, scope=APITokenScope.READ_WRITE):
    client = APIClient()
    if user is not None:
        _token, key = issue_token(user=user, name="test", scope=scope)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def test_the_schema_answers_with_a_key_and_not_without(partner_staff):
    assert api(None).get("/api/v1/schema/").status_code == 401
    response = api(partner_staff, APITokenScope.READ).get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_a_revoked_or_expired_key_is_refused(partner_staff):
    token, key = issue_token(user=partner_staff, name="x")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/trajectories/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    APIToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/trajectories/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert "niet geldig" in response.json()["detail"]


def test_the_worked_example_of_the_documentation(partner_staff):
    """docs/api.md: look a person up, start a trajectory, add an internship, end it with a job."""
    person = factories.EmployeeFactory(birth_date=datetime.date(1990, 5, 1))
    factories.CallFactory(number="432")
    employer = factories.RegularEmployerFactory(kbo_number="0403170701", name="Werkhuis Gent nv")
    client = api(partner_staff)

    # 1. Look the person up by INSZ (the screens' limits and access log apply).
    found = client.post("/api/v1/lookups/", {"insz": person.insz}, format="json")
    assert found.status_code == 201, found.content
    assert found.json()["found"] is True and found.json()["person"] is None  # not referred: not visible yet
    assert AccessEvent.objects.filter(user=partner_staff, action=AccessAction.INSZ_LOOKUP).count() == 1

    # 2. Start a trajectory from the look-up; without a referral, a reason is required (in Dutch).
    start = {"lookup": found.json()["lookup"], "call": "432", "start_date": "2026-01-05"}
    refused = client.post("/api/v1/trajectories/", start, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "zonder doorverwijzing" in refused.json()["errors"]["access_reason"][0]
    start["access_reason"] = "Aangemeld aan ons loket door de persoon zelf."
    started = client.post("/api/v1/trajectories/", start, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    assert started.status_code == 201, started.content
    trajectory = started.json()
    assert started["Location"] == f"/api/v1/trajectories/{trajectory['id']}/"
    again = client.post("/api/v1/trajectories/", start, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == trajectory["id"] and Trajectory.objects.count() == 1

    # 3. Add an internship.
    internship = client.post(
        "/api/v1/internships/",
        {"trajectory": trajectory["id"], "host": "0403170701", "sector": "logistiek", "start_date": "2026-02-02"},
        format="json",
    )
    assert internship.status_code == 201, internship.content

    # 4. End the trajectory with a job: If-Match with the trajectory's ETag.
    etag = client.get(f"/api/v1/trajectories/{trajectory['id']}/")["ETag"]
    end = {
        "end_date": "2026-03-31",
        "end_reason": "job_regular",
        "job_employer": "0403170701",
        "job_start_date": "2026-04-01",
        "end_internships": True,
    }
    assert client.post(f"/api/v1/trajectories/{trajectory['id']}/end/", end, format="json").status_code == 428
    ended = client.post(f"/api/v1/trajectories/{trajectory['id']}/end/", end, format="json", HTTP_IF_MATCH=etag)
    assert ended.status_code == 200, ended.content
    assert ended.json()["trajectory"]["end_reason"] == "job_regular"
    assert ended.json()["job"]["employer"] == employer.pk
    assert Internship.objects.get().end_date == datetime.date(2026, 3, 31)
    # The old ETag no longer matches: a lost update is refused.
    late = client.patch(f"/api/v1/trajectories/{trajectory['id']}/", {"notes": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert late.status_code == 412
    history = Trajectory.objects.get().history.order_by("history_date")
    assert len(history) >= 2 and {h.history_user for h in history} == {partner_staff}
