"""The access log (issue 7, item 3): every person page opened and every export is recorded, an
administrator answers "who looked at this person", and nobody edits or deletes the log."""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from audit.services import record_access
from employees.models import AnonymisationRun
from tests import factories

pytestmark = pytest.mark.django_db


def test_opening_a_person_page_records_who_with_role_and_organisation(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    client.force_login(partner_staff)
    before = timezone.now()
    assert client.get(reverse("employees:detail", args=[trajectory.employee.pk])).status_code == 200
    event = AccessEvent.objects.get()
    assert (event.user, event.role, event.organisation, event.action, event.employee) == (
        partner_staff,
        "Partnermedewerker",
        partner,
        "person_viewed",
        trajectory.employee,
    )
    assert event.occurred_at >= before


def test_opening_a_persons_change_history_is_recorded_too(client, administrator):
    """The history page shows every earlier name and INSZ of the person: it counts as looking at them."""
    person = factories.EmployeeFactory()
    client.force_login(administrator)
    assert client.get(reverse("employees:history", args=[person.pk])).status_code == 200
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.employee) == (administrator, "history_viewed", person)
    page = client.get(reverse("employees:access", args=[person.pk])).content.decode()
    assert "wijzigingsgeschiedenis van de persoon geopend" in page


def test_a_person_page_that_answers_404_records_nothing(client, partner_staff):
    stranger = factories.EmployeeFactory()  # not in this partner's caseload
    client.force_login(partner_staff)
    assert client.get(reverse("employees:detail", args=[stranger.pk])).status_code == 404
    assert not AccessEvent.objects.exists()


def test_the_role_and_organisation_are_those_at_the_moment_of_access(client, partner_staff, partner, other_partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    client.force_login(partner_staff)
    client.get(reverse("employees:detail", args=[trajectory.employee.pk]))
    partner_staff.organisation = other_partner
    partner_staff.save()
    assert AccessEvent.objects.get().organisation == partner


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_export_is_one_event_with_the_list_format_filters_and_row_count(client, evaluator, export_format):
    factories.EmployeeFactory.create_batch(3, gender="f")
    factories.EmployeeFactory(gender="m")
    client.force_login(evaluator)
    response = client.get(reverse("employees:list"), {"gender": "f", "page": "2", "_export": export_format})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AccessEvent.objects.get()
    assert (event.user, event.role, event.action, event.employee) == (
        evaluator,
        "VDAB-evaluator",
        "list_exported",
        None,
    )
    assert (event.list_name, event.export_format, event.filters, event.row_count) == (
        "employees:list",
        export_format,
        "gender=f",
        3,
    )


def test_the_row_count_is_the_number_of_rows_in_the_file(client, administrator):
    for _ in range(4):
        factories.EvaluationFactory()
    client.force_login(administrator)
    response = client.get(reverse("evaluations:list"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert AccessEvent.objects.get(action="list_exported").row_count == len(rows) - 1 == 4


def test_a_refused_xlsx_export_records_nothing(client, evaluator, monkeypatch):
    from common import export

    monkeypatch.setattr(export, "XLSX_MAX_DATA_ROWS", 1)
    factories.EmployeeFactory.create_batch(2)
    client.force_login(evaluator)
    assert client.get(reverse("employees:list"), {"_export": "xlsx"}).status_code == 302
    assert not AccessEvent.objects.exists()


def _event(employee, user, minutes_ago, action="person_viewed"):
    event = record_access(user=user, action=action, employee=employee)
    AccessEvent.objects.filter(pk=event.pk).update(occurred_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return event


def test_an_administrator_sees_who_looked_at_a_person_newest_first(client, administrator, evaluator, partner_staff):
    person, someone_else = factories.EmployeeFactory(), factories.EmployeeFactory()
    _event(person, evaluator, 30)
    _event(person, partner_staff, 10, action="insz_lookup")
    _event(someone_else, evaluator, 5)
    client.force_login(administrator)
    response = client.get(reverse("employees:access", args=[person.pk]))
    events = list(response.context["events"])
    assert [(e.user, e.action) for e in events] == [(partner_staff, "insz_lookup"), (evaluator, "person_viewed")]
    body = response.content.decode()
    assert str(partner_staff.organisation) in body and "VDAB-evaluator" in body
    assert "Lijsten die geëxporteerd werden" in body  # says where exports are (by their filters, not per person)
    # Reading the page itself records nothing about the person.
    assert AccessEvent.objects.filter(employee=person).count() == 2


def test_who_looked_at_a_person_is_paginated(client, administrator, evaluator):
    person = factories.EmployeeFactory()
    AccessEvent.objects.bulk_create(
        AccessEvent(user=evaluator, action="person_viewed", employee=person) for _ in range(60)
    )
    client.force_login(administrator)
    url = reverse("employees:access", args=[person.pk])
    assert len(client.get(url).context["events"]) == 50
    assert len(client.get(url, {"page": 2}).context["events"]) == 10


def test_only_administrators_find_the_link_on_the_person_page(client, administrator, evaluator):
    person = factories.EmployeeFactory()
    link = reverse("employees:access", args=[person.pk])
    client.force_login(administrator)
    assert link in client.get(reverse("employees:detail", args=[person.pk])).content.decode()
    client.force_login(evaluator)
    assert link not in client.get(reverse("employees:detail", args=[person.pk])).content.decode()
    assert client.get(link).status_code == 404


def test_the_access_log_filters_by_user_action_and_dates(client, administrator, evaluator, partner_staff):
    person = factories.EmployeeFactory()
    old = _event(person, evaluator, 60 * 24 * 40)
    recent = _event(person, partner_staff, 5, action="insz_lookup")
    client.force_login(administrator)
    url = reverse("employees:access_log")

    def shown(**params):
        return {row.record.pk for row in client.get(url, params).context["table"].page.object_list}

    assert shown() == {old.pk, recent.pk}
    assert shown(user=evaluator.username) == {old.pk}
    assert shown(action="insz_lookup") == {recent.pk}
    today = timezone.localdate()
    assert shown(since=(today - datetime.timedelta(days=1)).isoformat()) == {recent.pk}
    assert shown(until=(today - datetime.timedelta(days=30)).isoformat()) == {old.pk}


def test_the_navigation_offers_the_access_log_to_administrators_only(client, administrator, evaluator):
    url = reverse("employees:access_log")
    client.force_login(administrator)
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    client.force_login(evaluator)
    assert f'href="{url}"' not in client.get(reverse("home")).content.decode()


def test_the_log_is_append_only_in_code(evaluator):
    event = record_access(user=evaluator, action="person_viewed", employee=factories.EmployeeFactory())
    event.role = "Beheerder"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert AccessEvent.objects.get().role == "VDAB-evaluator"


@pytest.mark.parametrize("model", [AccessEvent, AnonymisationRun])
def test_not_even_a_superuser_adds_changes_or_deletes_log_rows_in_the_admin(client, model, evaluator):
    from accounts.otp import give_confirmed_device

    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    give_confirmed_device(superuser)
    if model is AccessEvent:
        row = record_access(user=evaluator, action="person_viewed", employee=factories.EmployeeFactory())
    else:
        row = AnonymisationRun.objects.create(
            run_by="test", retention_years=10, cutoff=datetime.date(2015, 1, 1), persons=1
        )
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
    assert not model_admin.get_actions(request)  # no "delete selected"
    client.force_login(superuser)
    opts = model._meta
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert model.objects.filter(pk=row.pk).exists()
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])).status_code == 200


def test_a_report_export_and_the_pack_export_are_recorded_with_their_dates(client, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("reports:export", kwargs={"slug": "q2a_trajectories_by_partner_year", "fmt": "csv"}),
        {"as_of": "2019-11-30"},
    )
    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert (event.user, event.role, event.action, event.list_name, event.export_format, event.filters) == (
        analyst,
        "Analist",
        "list_exported",
        "reports:q2a_trajectories_by_partner_year",
        "csv",
        "as_of=2019-11-30",
    )
    assert event.row_count == len(response.content.decode().strip().splitlines()) - 1
    assert client.get(reverse("reports:pack_export")).status_code == 200
    assert AccessEvent.objects.filter(list_name="reports:pack", export_format="xlsx").count() == 1
