"""No lost updates (a stale form is refused, showing what changed meanwhile) and per-record history."""

import datetime

from django.urls import reverse
from django.utils.html import escape

from tests import factories


def _edit_form(client, trajectory):
    return client.get(reverse("trajectories:update", args=[trajectory.pk])).context["form"]


def _post_data(form, **changes):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = "" if value is None else value
    data["se_employer"] = form.fields["se_employer"].prepare_value(form.initial.get("se_employer")) or ""
    data.update(changes)
    return data


def test_a_second_save_over_a_change_made_meanwhile_is_refused_and_shows_the_change(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner, notes="")
    client.force_login(partner_staff)
    mine = _edit_form(client, trajectory)
    theirs = _edit_form(client, trajectory)
    first = client.post(
        reverse("trajectories:update", args=[trajectory.pk]), _post_data(theirs, notes="called the employer")
    )
    assert first.status_code == 302
    second = client.post(reverse("trajectories:update", args=[trajectory.pk]), _post_data(mine, notes="my own note"))
    assert second.status_code == 200
    body = second.content.decode()
    assert "called the employer" in body  # what changed meanwhile
    assert "my own note" in body  # what I typed is kept
    assert second.context["conflict"]["changes"][0]["new"] == "called the employer"
    trajectory.refresh_from_db()
    assert trajectory.notes == "called the employer"


def test_saving_again_after_seeing_the_conflict_succeeds(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    client.force_login(partner_staff)
    mine = _edit_form(client, trajectory)
    client.post(
        reverse("trajectories:update", args=[trajectory.pk]), _post_data(_edit_form(client, trajectory), notes="a")
    )
    refused = client.post(reverse("trajectories:update", args=[trajectory.pk]), _post_data(mine, notes="b"))
    fresh_version = refused.context["form"]["version"].value()
    again = client.post(
        reverse("trajectories:update", args=[trajectory.pk]), _post_data(mine, notes="b", version=fresh_version)
    )
    assert again.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.notes == "b"


def test_an_unchanged_record_saves_without_a_conflict(client, evaluator):
    employee = factories.EmployeeFactory()
    client.force_login(evaluator)
    form = client.get(reverse("employees:update", args=[employee.pk])).context["form"]
    response = client.post(
        reverse("employees:update", args=[employee.pk]),
        {
            "insz": employee.insz,
            "first_name": "Nieuw",
            "last_name": employee.last_name,
            "birth_date": employee.birth_date.isoformat(),
            "gender": "f",
            "registered_on": "2018-01-01",
            "version": form.initial["version"],
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.first_name == "Nieuw"


def test_administrator_sees_who_changed_what_and_when(client, administrator, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner, notes="")
    client.force_login(partner_staff)
    client.post(
        reverse("trajectories:update", args=[trajectory.pk]), _post_data(_edit_form(client, trajectory), notes="x")
    )
    client.force_login(administrator)
    response = client.get(reverse("trajectories:history", args=[trajectory.pk]))
    entries = response.context["entries"]
    assert entries[0]["version"].history_user == partner_staff
    assert [(c["old"], c["new"]) for c in entries[0]["changes"]] == [("—", "x")]
    assert escape(str(partner_staff)) in response.content.decode()  # escaped as the page shows it (D'hondt)


def test_history_pages_answer_404_to_everyone_but_administrators(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    client.force_login(partner_staff)
    assert client.get(reverse("trajectories:history", args=[trajectory.pk])).status_code == 404


def test_history_shows_a_related_field_change_by_its_name(client, administrator):
    evaluation = factories.EvaluationFactory(evaluation_date=datetime.date(2019, 3, 15))
    evaluation.advice = factories.advice("not_ready")
    evaluation.save()
    client.force_login(administrator)
    entries = client.get(reverse("evaluations:history", args=[evaluation.pk])).context["entries"]
    change = next(c for c in entries[0]["changes"] if c["old"] != c["new"])
    assert change["new"] == str(factories.advice("not_ready"))
