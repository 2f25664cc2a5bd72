"""The REST API under /api/v1/ (docs/api.md): keys, the same rules as the screens, the conventions."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import APIToken, APITokenScope
from accounts.tokens import issue_token
from audit.constants import AccessAction
from audit.models import AccessEvent
from demo.data import load_demo
from evaluations.models import DeclineReason, Referral
from tests import factories
from trajectories.forms import InternshipForm
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
    refused = api(None).get("/api/v1/schema/")
    assert refused.status_code == 401 and refused.json()["detail"].startswith("Stuur een persoonlijke API-sleutel")
    assert refused["WWW-Authenticate"].startswith("Bearer")
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


def test_with_the_demo_create_api_token_prints_a_key_that_opens_the_schema(db):
    load_demo()
    call_command("create_demo_accounts", stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_api_token", "partner", "--days", "7", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("ds_") and " " not in key
    token = APIToken.objects.get(user__username="partner")
    assert token.key_digest != key and key not in token.key_digest  # only its digest is kept
    assert (token.expires_at - timezone.now()).days == 6
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/schema/").status_code == 200
    trajectories = client.get("/api/v1/trajectories/")
    assert trajectories.status_code == 200 and trajectories.json()["results"]
    # Read-only by default: a write is refused.
    assert client.post("/api/v1/internships/", {}, format="json").status_code == 403


def test_messages_are_the_screens_in_the_users_language(partner_staff):
    trajectory = factories.TrajectoryFactory(partner=partner_staff.organisation)
    body = {"trajectory": trajectory.pk, "start_date": "x"}

    def screen(language):
        with translation.override(language):
            return {field: list(messages) for field, messages in InternshipForm(data=body).errors.items()}

    dutch = api(partner_staff).post("/api/v1/internships/", body, format="json").json()
    assert dutch["errors"] == screen("nl") and dutch["errors"]["start_date"][0].startswith("Schrijf de datum")
    partner_staff.language = "en"
    partner_staff.save()
    english = api(partner_staff).post("/api/v1/internships/", body, format="json").json()
    assert english["errors"] == screen("en") and english["errors"]["host"] == ["This field is required."]


def test_lists_come_in_cursor_pages_and_since_a_moment(partner_staff):
    own = [factories.TrajectoryFactory(partner=partner_staff.organisation) for _ in range(3)]
    factories.TrajectoryFactory()  # another organisation's: never listed
    client = api(partner_staff)
    first = client.get("/api/v1/trajectories/", {"page_size": 2}).json()
    assert [t["id"] for t in first["results"]] == [own[0].pk, own[1].pk]
    second = client.get(first["next"]).json()
    assert [t["id"] for t in second["results"]] == [own[2].pk] and second["next"] is None
    Trajectory.objects.filter(pk=own[0].pk).update_with_history(
        updated_at=timezone.now() - datetime.timedelta(days=2), reason="test"
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    recent = client.get("/api/v1/trajectories/", {"modified_since": since}).json()
    assert {t["id"] for t in recent["results"]} == {own[1].pk, own[2].pk}
    wrong = client.get("/api/v1/trajectories/", {"modified_since": "gisteren"})
    assert wrong.status_code == 400 and "ISO 8601" in wrong.json()["errors"]["modified_since"][0]


def test_the_lookup_keeps_the_screens_limits(partner_staff, settings):
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_HOUR = 1
    person = factories.EmployeeFactory()
    client = api(partner_staff)
    assert client.post("/api/v1/lookups/", {"insz": person.insz}, format="json").status_code == 201
    refused = client.post("/api/v1/lookups/", {"insz": person.insz}, format="json")
    assert refused.status_code == 429 and "per uur" in refused.json()["detail"]
    assert AccessEvent.objects.filter(action=AccessAction.INSZ_LOOKUP_REFUSED).count() == 1
    assert client.get("/api/v1/lookups/").status_code == 405  # never a list of look-ups


def test_an_idempotency_key_is_not_reused_for_another_request(partner_staff):
    trajectory = factories.TrajectoryFactory(partner=partner_staff.organisation)
    host = factories.RegularEmployerFactory()
    client = api(partner_staff)
    body = {"trajectory": trajectory.pk, "host": host.kbo_number, "sector": "zorg", "start_date": "2026-01-10"}
    assert client.post("/api/v1/internships/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    other = client.post("/api/v1/internships/", {**body, "sector": "bouw"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 422
    assert Internship.objects.count() == 1


def test_the_rate_limit_counts_per_key(partner_staff, settings):
    settings.DOORSTROOM_API_RATE = "2/minute"
    client, other = api(partner_staff), api(partner_staff)
    assert [client.get("/api/v1/organisations/").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/api/v1/organisations/").status_code == 200


def test_keys_are_made_on_their_page_shown_once_and_revoked_by_an_administrator(client, partner_staff, administrator):
    client.force_login(partner_staff)
    page = client.post(reverse("accounts:api_tokens"), {"name": "Ons systeem", "days": "30", "scope": "read_write"})
    key = page.context["key"]
    assert key in page.content.decode()
    assert key not in client.get(reverse("accounts:api_tokens")).content.decode()  # shown once
    token = APIToken.objects.get(user=partner_staff)
    assert token.may_write and api_with(key).get("/api/v1/trajectories/").status_code == 200
    client.force_login(administrator)
    assert "Ons systeem" in client.get(reverse("accounts:api_tokens")).content.decode()  # everyone's keys
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == administrator
    assert api_with(key).get("/api/v1/trajectories/").status_code == 401


def api_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_partner_declines_a_referral_to_their_organisation_and_not_anothers(partner_staff, other_partner):
    evaluation = factories.EvaluationFactory()
    own = Referral.objects.create(
        evaluation=evaluation, employee=evaluation.employee, partner=partner_staff.organisation
    )
    other = factories.EvaluationFactory()
    foreign = Referral.objects.create(evaluation=other, employee=other.employee, partner=other_partner)
    reason = DeclineReason.objects.filter(active=True).exclude(code="other").first()
    client = api(partner_staff)
    body = {"decline_reason": reason.code}
    assert client.post(f"/api/v1/referrals/{foreign.pk}/decline/", body, format="json").status_code == 404
    answer = client.post(f"/api/v1/referrals/{own.pk}/decline/", body, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "declined"
    assert answer.json()["decline_reason"] == reason.code
    assert client.post(f"/api/v1/referrals/{own.pk}/decline/", body, format="json").status_code == 404


@pytest.mark.parametrize("path", ["trajectories", "internships", "jobs", "evaluations", "referrals", "persons"])
def test_a_list_page_runs_the_same_queries_for_few_and_many_records(path, administrator):
    client = api(administrator)

    def queries():
        client.get(f"/api/v1/{path}/")  # the key's last use is written once a minute: not counted below
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/{path}/").status_code == 200
        return len(captured)

    def add(n):
        for _ in range(n):
            trajectory = factories.TrajectoryFactory()
            factories.InternshipFactory(trajectory=trajectory)
            factories.EmploymentFactory(employee=trajectory.employee)
            evaluation = factories.EvaluationFactory(employee=trajectory.employee)
            Referral.objects.create(evaluation=evaluation, employee=trajectory.employee, partner=trajectory.partner)

    add(2)
    few = queries()
    add(6)
    assert queries() == few


def test_the_reference_page_lists_every_operation_from_the_schema(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("api:reference")).content.decode()
    for operation in (
        "POST /api/v1/lookups/",
        "POST /api/v1/trajectories/{id}/end/",
        "PATCH /api/v1/internships/{id}/",
    ):
        assert operation in page
    assert "<script" not in page.split("<main", 1)[1]  # nothing from elsewhere: no script at all
