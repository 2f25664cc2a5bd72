"""Trajectories that stay consistent (issue 15, point 3): each rule through the service, the form and the import.

1. No internship is added to an ended trajectory, nor starts after its end.
2. Ending a trajectory with running internships ends them the same day, in the same step, once confirmed.
3. The end reason "found a job" asks for the job; without a known employer the trajectory stays on the
   partner's follow-up list until the job is recorded.
4. The phase dates follow the records: the first internship sets the phase "internship".
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.identifiers import make_insz
from employees.models import Employment
from imports.services import import_file
from tests import factories
from trajectories import services
from trajectories.models import EndReason, Internship, Trajectory

D = datetime.date
INSZ = make_insz(D(1980, 5, 17), 11)
INTERNSHIP_HEADER = "insz,partner_kbo,trajectory_start_date,host_kbo,sector,start_date,end_date"
TRAJECTORY_HEADER = "insz,partner_kbo,call_number,start_date,end_date,end_reason"


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def run(kind, *lines, user=None):
    return import_file(kind=kind, content=csv(*lines), file_name="bestand.csv", user=user)


def reason(code):
    return EndReason.objects.get(code=code)


@pytest.fixture
def person(db):
    return factories.EmployeeFactory(insz=INSZ, birth_date=D(1980, 5, 17))


@pytest.fixture
def trajectory(person, partner):
    return factories.TrajectoryFactory(employee=person, partner=partner, start_date=D(2019, 4, 1))


@pytest.fixture
def host(db):
    return factories.RegularEmployerFactory(name="Colruyt")


def end(trajectory, day=D(2019, 9, 30), code="completed"):
    trajectory.end_date, trajectory.end_reason = day, reason(code)
    trajectory.save()
    return trajectory


def post_form(client, url, data):
    form = client.get(url).context["form"]
    values = {"version": form.initial.get("version", ""), **data}
    return client.post(url, values)


# 1. No internship on an ended trajectory, none starting after its end.


def test_service_refuses_an_internship_on_an_ended_trajectory(trajectory, host):
    end(trajectory)
    internship = Internship(trajectory=trajectory, host=host, sector="retail", start_date=D(2019, 5, 1))
    with pytest.raises(ValidationError) as caught:
        services.internship_save(internship)
    assert "beëindigd op 30/09/2019" in " ".join(caught.value.messages)
    assert not Internship.objects.exists()


def test_service_refuses_an_internship_moved_after_the_end(trajectory, host):
    internship = factories.InternshipFactory(trajectory=trajectory, host=host, start_date=D(2019, 5, 1))
    end(trajectory, D(2019, 6, 30))
    internship.start_date = D(2019, 7, 1)
    with pytest.raises(ValidationError) as caught:
        services.internship_save(internship)
    assert caught.value.message_dict["start_date"] == [
        "Een stage kan niet starten nadat haar traject eindigde (30/06/2019)."
    ]


def test_form_offers_no_internship_on_an_ended_trajectory_and_refuses_one(client, partner_staff, trajectory, host):
    end(trajectory)
    client.force_login(partner_staff)
    detail = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    add_url = reverse("trajectories:internship_create", args=[trajectory.pk])
    assert add_url not in detail
    response = client.post(
        add_url, {"host": host.kbo_number, "sector": "retail", "start_date": "2019-05-01", "end_date": ""}, follow=True
    )
    assert "geen stage meer aan toegevoegd worden" in response.content.decode()
    assert not Internship.objects.exists()


def test_form_refuses_an_internship_start_after_the_end(client, partner_staff, trajectory, host):
    internship = factories.InternshipFactory(trajectory=trajectory, host=host, start_date=D(2019, 5, 1))
    end(trajectory, D(2019, 6, 30))
    client.force_login(partner_staff)
    url = reverse("trajectories:internship_update", args=[internship.pk])
    response = post_form(
        client,
        url,
        {"host": host.kbo_number, "sector": "retail", "start_date": "2019-07-01", "end_date": "2019-07-31"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [
        "Een stage kan niet starten nadat haar traject eindigde (30/06/2019)."
    ]
    internship.refresh_from_db()
    assert internship.start_date == D(2019, 5, 1)


def test_import_refuses_an_internship_starting_after_the_trajectory_ended(trajectory, partner, host):
    end(trajectory, D(2019, 6, 30))
    result = run(
        "internships",
        INTERNSHIP_HEADER,
        f"{INSZ},{partner.kbo_number},2019-04-01,{host.kbo_number},retail,2019-07-01,2019-07-31",
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "start_date", "Een stage kan niet starten nadat haar traject eindigde (30/06/2019).")
    ]
    assert not Internship.objects.exists()


# 2. Ending a trajectory ends its running internships, the same day, once confirmed.


def test_service_asks_to_confirm_then_ends_running_internships_in_the_same_step(trajectory, host):
    running = factories.InternshipFactory(trajectory=trajectory, host=host, start_date=D(2019, 5, 1))
    later = factories.InternshipFactory(
        trajectory=trajectory,
        host=factories.RegularEmployerFactory(),
        start_date=D(2019, 6, 1),
        end_date=D(2019, 12, 1),
    )
    done = factories.InternshipFactory(
        trajectory=trajectory,
        host=factories.RegularEmployerFactory(),
        start_date=D(2019, 4, 2),
        end_date=D(2019, 4, 30),
    )
    with pytest.raises(ValidationError) as caught:
        services.trajectory_end(trajectory=trajectory, end_date=D(2019, 9, 30), end_reason=reason("completed"))
    assert "de stage bij Colruyt sinds 01/05/2019" in caught.value.message_dict["end_internships"][0]
    trajectory.refresh_from_db()
    assert trajectory.end_date is None
    services.trajectory_end(
        trajectory=trajectory, end_date=D(2019, 9, 30), end_reason=reason("completed"), end_internships=True
    )
    ends = {i.pk: i.end_date for i in Internship.objects.all()}
    assert ends == {running.pk: D(2019, 9, 30), later.pk: D(2019, 9, 30), done.pk: D(2019, 4, 30)}
    assert Trajectory.objects.get().end_date == D(2019, 9, 30)
    assert running.history.first().history_type == "~"


def test_service_refuses_an_end_before_an_internship_starts(trajectory, host):
    factories.InternshipFactory(trajectory=trajectory, host=host, start_date=D(2019, 10, 1))
    with pytest.raises(ValidationError) as caught:
        services.trajectory_end(
            trajectory=trajectory, end_date=D(2019, 9, 30), end_reason=reason("completed"), end_internships=True
        )
    assert "start op 01/10/2019, na deze einddatum" in caught.value.message_dict["end_date"][0]


def test_end_form_says_which_internships_run_and_ends_them_when_confirmed(client, partner_staff, trajectory, host):
    internship = factories.InternshipFactory(trajectory=trajectory, host=host, start_date=D(2019, 5, 1))
    client.force_login(partner_staff)
    url = reverse("trajectories:end", args=[trajectory.pk])
    page = client.get(url).content.decode()
    assert "de stage bij Colruyt sinds 01/05/2019" in page
    data = {"end_date": "2019-09-30", "end_reason": reason("completed").pk}
    refused = post_form(client, url, data)
    assert refused.status_code == 200 and "end_internships" in refused.context["form"].errors
    trajectory.refresh_from_db()
    internship.refresh_from_db()
    assert trajectory.end_date is None and internship.end_date is None
    assert post_form(client, url, {**data, "end_internships": "on"}).status_code == 302
    internship.refresh_from_db()
    assert internship.end_date == D(2019, 9, 30)


def test_import_of_an_end_ends_running_internships_and_refuses_an_end_before_one(trajectory, partner, host):
    internship = factories.InternshipFactory(trajectory=trajectory, host=host, start_date=D(2019, 5, 1))
    refused = run("trajectories", TRAJECTORY_HEADER, f"{INSZ},{partner.kbo_number},432,2019-04-01,2019-04-30,completed")
    assert [(e.row, e.column) for e in refused.errors] == [(2, "end_date")]
    assert "01/05/2019" in refused.errors[0].message
    result = run("trajectories", TRAJECTORY_HEADER, f"{INSZ},{partner.kbo_number},432,2019-04-01,2019-09-30,completed")
    assert result.ok, result.errors
    internship.refresh_from_db()
    assert internship.end_date == D(2019, 9, 30)
    assert internship.history.first().history_change_reason == "import van bestand.csv"


# 3. "Found a job" asks for the job; without a known employer, the follow-up list.


def test_service_asks_for_the_job_or_puts_the_trajectory_on_the_follow_up_list(trajectory):
    with pytest.raises(ValidationError) as caught:
        services.trajectory_end(trajectory=trajectory, end_date=D(2019, 9, 30), end_reason=reason("job_regular"))
    assert "job_employer" in caught.value.message_dict
    services.trajectory_end(
        trajectory=trajectory, end_date=D(2019, 9, 30), end_reason=reason("job_regular"), job_unknown=True
    )
    assert list(Trajectory.objects.awaiting_job()) == [trajectory]
    factories.EmploymentFactory(
        employee=trajectory.employee,
        employer=factories.RegularEmployerFactory(),
        instrument=None,
        start_date=D(2019, 10, 1),
    )
    assert not Trajectory.objects.awaiting_job().exists()


def test_end_form_with_job_regular_needs_the_job_or_the_unknown_box(client, partner_staff, trajectory):
    client.force_login(partner_staff)
    url = reverse("trajectories:end", args=[trajectory.pk])
    data = {"end_date": "2019-09-30", "end_reason": reason("job_regular").pk}
    refused = post_form(client, url, data)
    assert "job_employer" in refused.context["form"].errors
    assert Trajectory.objects.get().end_date is None
    assert post_form(client, url, {**data, "job_unknown": "on"}).status_code == 302
    listed = client.get(reverse("trajectories:awaiting_job")).content.decode()
    assert reverse("trajectories:end", args=[trajectory.pk]) in listed
    employer = factories.RegularEmployerFactory()
    recorded = post_form(client, url, {**data, "job_employer": employer.kbo_number, "job_start_date": "2019-10-01"})
    assert recorded.status_code == 302
    assert Employment.objects.get(employee=trajectory.employee).employer == employer
    assert not Trajectory.objects.awaiting_job().exists()


def test_import_of_a_job_end_without_the_job_puts_it_on_the_follow_up_list(trajectory, partner, partner_staff):
    result = run(
        "trajectories",
        TRAJECTORY_HEADER,
        f"{INSZ},{partner.kbo_number},432,2019-04-01,2019-09-30,job_regular",
        user=partner_staff,
    )
    assert result.ok, result.errors
    assert list(Trajectory.objects.visible_to(partner_staff).awaiting_job()) == [trajectory]
    employment = run(
        "employments",
        "insz,employer_kbo,start_date",
        f"{INSZ},{factories.RegularEmployerFactory().kbo_number},2019-10-01",
    )
    assert employment.ok, employment.errors
    assert not Trajectory.objects.awaiting_job().exists()


# 4. The first internship sets the phase "internship".


def test_service_sets_the_internship_phase_from_the_first_internship(trajectory, host):
    services.internship_save(Internship(trajectory=trajectory, host=host, sector="retail", start_date=D(2019, 6, 1)))
    trajectory.refresh_from_db()
    assert trajectory.stage_start == D(2019, 6, 1)
    services.internship_save(
        Internship(
            trajectory=trajectory, host=factories.RegularEmployerFactory(), sector="zorg", start_date=D(2019, 7, 1)
        )
    )
    trajectory.refresh_from_db()
    assert trajectory.stage_start == D(2019, 6, 1)


def test_form_sets_the_internship_phase(client, partner_staff, trajectory, host):
    client.force_login(partner_staff)
    response = client.post(
        reverse("trajectories:internship_create", args=[trajectory.pk]),
        {"host": host.kbo_number, "sector": "retail", "start_date": "2019-05-01", "end_date": "", "outcome": ""},
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.stage_start == D(2019, 5, 1)
    detail = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "stage: 01/05/2019" in detail


def test_import_sets_the_internship_phase(trajectory, partner, host):
    result = run(
        "internships",
        INTERNSHIP_HEADER,
        f"{INSZ},{partner.kbo_number},2019-04-01,{host.kbo_number},retail,2019-05-02,2019-06-30",
    )
    assert result.ok, result.errors
    trajectory.refresh_from_db()
    assert trajectory.stage_start == D(2019, 5, 2)
