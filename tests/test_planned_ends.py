"""Planned ends and the longest internship a call allows (issue 15, point 1): the service, the forms and the
import share the planned end; the partner's work lists find trajectories past it and internships running
longer than the call allows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.identifiers import make_insz
from imports.kinds import KINDS
from imports.services import import_file
from tests import factories
from trajectories import services
from trajectories.models import Internship, Trajectory

D = datetime.date
TODAY = timezone.localdate()
INSZ = make_insz(D(1980, 5, 17), 11)
HEADER = "insz,partner_kbo,call_number,start_date,planned_end_date"


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def call(db):
    return factories.CallFactory(number="ESF-T", trajectory_months=10, max_internship_weeks=13)


@pytest.mark.parametrize(
    "start, months, planned",
    [
        (D(2019, 4, 1), 10, D(2020, 1, 31)),
        (D(2019, 3, 31), 11, D(2020, 2, 28)),  # 31 February does not exist: the 29th, and the day before
        (D(2019, 5, 31), 1, D(2019, 6, 29)),  # 31 June does not exist: the 30th, and the day before
        (D(2019, 4, 1), None, None),
    ],
)
def test_the_planned_end_is_the_last_day_of_the_calls_duration(db, start, months, planned):
    call = factories.CallFactory(number="ESF-P", trajectory_months=months)
    assert services.planned_end(call, start) == planned


def test_a_trajectory_started_without_a_planned_end_gets_the_calls(call, partner):
    person = factories.EmployeeFactory()
    trajectory = services.trajectory_start(employee=person, partner=partner, call=call, start_date=D(2019, 4, 1))
    assert trajectory.planned_end_date == D(2020, 1, 31)
    given = services.trajectory_start(
        employee=person, partner=partner, call=call, start_date=D(2019, 5, 1), planned_end_date=D(2019, 12, 1)
    )
    assert given.planned_end_date == D(2019, 12, 1)
    without = factories.CallFactory(number="ESF-0")
    other = services.trajectory_start(employee=person, partner=partner, call=without, start_date=D(2019, 6, 1))
    assert other.planned_end_date is None


def test_the_start_form_takes_the_planned_end_from_the_call(client, call, partner, partner_staff):
    evaluation = factories.EvaluationFactory()
    referral = evaluation.referrals.create(employee=evaluation.employee, partner=partner)
    client.force_login(partner_staff)
    url = reverse("trajectories:start_from_referral", args=[referral.pk])
    page = client.get(url).content.decode()
    assert 'name="planned_end_date"' in page
    response = client.post(url, {"call": call.pk, "start_date": "01/04/2019", "planned_end_date": ""})
    assert response.status_code == 302
    assert Trajectory.objects.get(employee=evaluation.employee).planned_end_date == D(2020, 1, 31)


def test_the_edit_form_moves_the_planned_end_and_refuses_one_before_the_start(client, partner, partner_staff):
    trajectory = factories.TrajectoryFactory(partner=partner, start_date=D(2019, 4, 1))
    client.force_login(partner_staff)
    url = reverse("trajectories:update", args=[trajectory.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(call=trajectory.call_id, start_date="01/04/2019", planned_end_date="01/03/2019")
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "De geplande einddatum kan niet vóór de startdatum liggen." in refused.content.decode()
    data["planned_end_date"] = "30/06/2020"
    assert client.post(url, data).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.planned_end_date == D(2020, 6, 30)


def test_past_planned_end_lists_running_trajectories_whose_planned_end_lies_before_today(partner):
    yesterday = factories.TrajectoryFactory(partner=partner, planned_end_date=days_ago(1))
    factories.TrajectoryFactory(partner=partner, planned_end_date=TODAY)
    factories.TrajectoryFactory(partner=partner, planned_end_date=days_ago(30), ended=True)
    factories.TrajectoryFactory(partner=partner)
    assert list(Trajectory.objects.past_planned_end(TODAY)) == [yesterday]


@pytest.mark.parametrize("days, listed", [(91, True), (90, False), (400, True)])
def test_an_open_internship_is_too_long_from_the_day_its_allowed_weeks_are_over(call, partner, days, listed):
    trajectory = factories.TrajectoryFactory(partner=partner, call=call)
    internship = factories.InternshipFactory(trajectory=trajectory, start_date=days_ago(days))
    assert (internship in Internship.objects.running_longer_than_allowed(TODAY)) is listed


def test_ended_internships_and_calls_without_a_limit_are_not_too_long(call, partner):
    factories.InternshipFactory(
        trajectory=factories.TrajectoryFactory(partner=partner, call=call),
        start_date=days_ago(200),
        end_date=days_ago(10),
    )
    unlimited = factories.CallFactory(number="ESF-U")
    factories.InternshipFactory(
        trajectory=factories.TrajectoryFactory(partner=partner, call=unlimited), start_date=days_ago(400)
    )
    assert not Internship.objects.running_longer_than_allowed(TODAY).exists()


def test_the_two_lists_show_the_partners_own_records_with_their_actions(
    client, call, partner, partner_staff, other_partner
):
    own = factories.TrajectoryFactory(partner=partner, call=call, planned_end_date=days_ago(3))
    theirs = factories.TrajectoryFactory(partner=other_partner, call=call, planned_end_date=days_ago(3))
    long = factories.InternshipFactory(trajectory=own, start_date=days_ago(120))
    factories.InternshipFactory(trajectory=theirs, start_date=days_ago(120))
    client.force_login(partner_staff)
    past = client.get(reverse("trajectories:past_planned_end"))
    assert list(past.context["trajectories"]) == [own]
    assert reverse("trajectories:end", args=[own.pk]) in past.content.decode()
    too_long = client.get(reverse("trajectories:internships_too_long"))
    assert list(too_long.context["internships"]) == [long]
    assert "13 weken" in too_long.content.decode()
    assert reverse("trajectories:internship_update", args=[long.pk]) in too_long.content.decode()


def run(*lines):
    return import_file(kind="trajectories", content=("\n".join(lines) + "\n").encode(), file_name="t.csv")


def test_the_import_takes_the_planned_end_or_the_calls(call, partner):
    factories.EmployeeFactory(insz=INSZ, birth_date=D(1980, 5, 17))
    given = run(HEADER, f"{INSZ},{partner.kbo_number},ESF-T,2019-04-01,30/06/2020")
    assert given.ok, given.errors
    derived = run(HEADER, f"{INSZ},{partner.kbo_number},ESF-T,2019-05-01,")
    assert derived.ok, derived.errors
    planned = dict(Trajectory.objects.values_list("start_date", "planned_end_date"))
    assert planned == {D(2019, 4, 1): D(2020, 6, 30), D(2019, 5, 1): D(2020, 2, 29)}
    exported = sorted(KINDS["trajectories"].export_rows(), key=lambda row: row[3])
    assert [row[4] for row in exported] == ["2020-06-30", "2020-02-29"]


def test_the_import_refuses_a_planned_end_before_the_start_on_its_column(call, partner):
    factories.EmployeeFactory(insz=INSZ, birth_date=D(1980, 5, 17))
    result = run(HEADER, f"{INSZ},{partner.kbo_number},ESF-T,2019-04-01,2019-03-01")
    assert not result.ok
    assert [(e.column, e.message) for e in result.errors] == [
        ("planned_end_date", "De geplande einddatum kan niet vóór de startdatum liggen.")
    ]
    assert not Trajectory.objects.exists()
