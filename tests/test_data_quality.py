"""The data-quality page (people.data_quality): every kind on hand-made data, who sees what, the links that
fix each record, the daily counts and the cost in queries."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.access import as_administrator, as_partner
from people import data_quality
from people.models import DataQualitySnapshot
from tests import factories
from trajectories.models import EndReason

D = datetime.date
pytestmark = pytest.mark.django_db

COMPLETE = {"esf_labour_status": "employed", "esf_education": "isced_3_4", "esf_household": "other"}


def _good(partner):
    """A trajectory that breaks no rule: complete ESF data, an employer, ended with a reason."""
    return factories.TrajectoryFactory(partner=partner, ended=True, **COMPLETE)


def _one_of_each(partner):
    """One record of every kind at `partner` (the person of each is guided there, so the partner sees them)."""
    made = {}
    made["evaluation_without_date"] = factories.EvaluationFactory(
        employee=_good(partner).employee, undated=True, registered_on=D(2019, 3, 15)
    )
    nobody = factories.EmployeeFactory(unknown_birth_date=True)
    factories.TrajectoryFactory(employee=nobody, partner=partner, ended=True, **COMPLETE)
    made["person_without_birth_date"] = nobody
    made["trajectory_without_se_employer"] = factories.TrajectoryFactory(
        partner=partner, se_employer=None, ended=True, **COMPLETE
    )
    made["ended_without_reason"] = factories.TrajectoryFactory(
        partner=partner, end_date=D(2019, 10, 1), end_reason=None, **COMPLETE
    )
    made["job_found_without_job"] = factories.TrajectoryFactory(
        partner=partner, ended=True, end_reason=EndReason.objects.get(code="job_regular"), **COMPLETE
    )
    made["esf_incomplete"] = factories.TrajectoryFactory(partner=partner, ended=True, esf_education="refused")
    return made


def _codes(user):
    return {code: count for code, count in data_quality.counts(user).items()}


def test_every_kind_finds_its_record_and_nothing_else(partner):
    made = _one_of_each(partner)

    found = {kind.code: list(kind.records(as_administrator())) for kind in data_quality.KINDS}

    assert found["evaluation_without_date"] == [made["evaluation_without_date"]]
    assert found["person_without_birth_date"] == [made["person_without_birth_date"]]
    assert found["trajectory_without_se_employer"] == [made["trajectory_without_se_employer"]]
    assert found["ended_without_reason"] == [made["ended_without_reason"]]
    assert found["job_found_without_job"] == [made["job_found_without_job"]]
    # The person without a birth date fails the completeness rule too.
    nobody = made["person_without_birth_date"].trajectories.get()
    assert sorted(t.pk for t in found["esf_incomplete"]) == sorted([made["esf_incomplete"].pk, nobody.pk])


def test_a_job_recorded_after_found_a_job_leaves_the_list(partner):
    trajectory = _one_of_each(partner)["job_found_without_job"]
    factories.EmploymentFactory(employee=trajectory.employee, regular=True, start_date=D(2019, 10, 15))

    assert _codes(as_administrator())["job_found_without_job"] == 0


def test_a_re_entry_is_judged_on_the_entry_only(partner):
    person = factories.EmployeeFactory()
    factories.TrajectoryFactory(employee=person, partner=partner, start_date=D(2019, 1, 1), **COMPLETE)
    factories.TrajectoryFactory(employee=person, partner=partner, start_date=D(2019, 6, 1))  # re-entry, blank

    assert _codes(as_administrator())["esf_incomplete"] == 0


def test_partners_see_their_own_records_and_administrators_all(partner, other_partner):
    _one_of_each(partner)
    _one_of_each(other_partner)

    mine = _codes(as_partner(partner.pk))
    everyone = _codes(as_administrator())
    assert mine == {
        "evaluation_without_date": 1,
        "person_without_birth_date": 1,
        "trajectory_without_se_employer": 1,
        "ended_without_reason": 1,
        "job_found_without_job": 1,
        "esf_incomplete": 2,
    }
    assert everyone == {code: 2 * count for code, count in mine.items()}


def test_the_page_of_a_partner_lists_its_records_with_the_links_that_fix_them(client, partner, partner_staff):
    made = _one_of_each(partner)
    _one_of_each(factories.PartnerFactory())
    client.force_login(partner_staff)

    page = client.get(reverse("data_quality")).content.decode()

    assert reverse("trajectories:update", args=[made["trajectory_without_se_employer"].pk]) in page
    assert reverse("trajectories:end", args=[made["ended_without_reason"].pk]) in page
    assert reverse("trajectories:end", args=[made["job_found_without_job"].pk]) in page
    assert reverse("trajectories:update", args=[made["esf_incomplete"].pk]) in page
    # Partners do not edit persons nor evaluations: the link opens their page.
    assert reverse("employees:detail", args=[made["person_without_birth_date"].pk]) in page
    assert reverse("evaluations:detail", args=[made["evaluation_without_date"].pk]) in page
    assert 'data-kind="esf_incomplete">2<' in page
    assert "choose-organisation" not in page


def test_the_administrator_links_to_the_edit_pages_and_may_look_through_a_partner(client, partner, administrator):
    made = _one_of_each(partner)
    other = factories.PartnerFactory()
    _one_of_each(other)
    client.force_login(administrator)

    page = client.get(reverse("data_quality")).content.decode()
    chosen = client.get(reverse("data_quality"), {"organisation": other.pk}).content.decode()

    assert reverse("employees:update", args=[made["person_without_birth_date"].pk]) in page
    assert reverse("evaluations:update", args=[made["evaluation_without_date"].pk]) in page
    assert 'data-kind="esf_incomplete">4<' in page
    assert 'data-kind="esf_incomplete">2<' in chosen
    assert reverse("trajectories:update", args=[made["esf_incomplete"].pk]) not in chosen


def test_the_page_writes_todays_counts_when_missing_and_shows_them_over_time(client, partner, partner_staff):
    _one_of_each(partner)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DataQualitySnapshot.objects.create(day=yesterday, organisation=partner, kind="esf_incomplete", count=7)
    client.force_login(partner_staff)

    page = client.get(reverse("data_quality")).content.decode()
    client.get(reverse("data_quality"))

    today = DataQualitySnapshot.objects.filter(day=timezone.localdate())
    assert {(s.organisation_id, s.kind, s.count) for s in today} == {
        (partner.pk, code, count) for code, count in _codes(as_partner(partner.pk)).items()
    }
    assert yesterday.strftime("%d/%m/%Y") in page and ">7<" in page


def test_the_command_writes_the_total_and_each_partners_counts(partner, other_partner):
    _one_of_each(partner)
    call_command("snapshot_data_quality", stdout=open("/dev/null", "w"))
    call_command("snapshot_data_quality", stdout=open("/dev/null", "w"))  # the same day again: replaced

    today = DataQualitySnapshot.objects.filter(day=timezone.localdate())
    assert today.count() == 3 * len(data_quality.KINDS)
    assert today.get(organisation=None, kind="esf_incomplete").count == 2
    assert today.get(organisation=partner, kind="esf_incomplete").count == 2
    assert today.get(organisation=other_partner, kind="esf_incomplete").count == 0


def test_a_partner_never_sees_another_partners_counts(client, partner, other_partner, partner_staff):
    DataQualitySnapshot.objects.create(day=timezone.localdate(), organisation=other_partner, kind="x", count=99)
    DataQualitySnapshot.objects.create(day=timezone.localdate(), organisation=None, kind="x", count=98)

    assert list(DataQualitySnapshot.objects.visible_to(partner_staff).values_list("count", flat=True)) == []


@pytest.mark.parametrize("role", ["partner_staff", "administrator"])
def test_the_page_costs_the_same_queries_with_5_and_with_50_records(client, request, role, partner):
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = reverse("data_quality")
    _one_of_each(partner)
    client.get(url)  # today's counts written
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(9):
        _one_of_each(partner)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_home_work_lists_count_the_records_to_fix(client, partner, partner_staff, administrator):
    _one_of_each(partner)
    client.force_login(partner_staff)
    items = {str(item.label): item for item in client.get(reverse("home")).context["work_lists"]}

    item = items["Gegevens te verbeteren voor de cijfers vertrekken"]
    assert (item.count, item.url) == (7, reverse("data_quality"))
