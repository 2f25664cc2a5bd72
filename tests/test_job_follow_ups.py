"""Job follow-ups at 3, 6 and 12 months that close their loop (issue 15, point 1): a regular job after a
trajectory stays on a mark's list until someone records its follow-up, whatever the date; a person who
left ends the job in the same step; the person's timeline shows the follow-ups."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employees.models import Employment
from people.retention import persons_anonymise, retention_cutoff, retention_due
from tests import factories
from trajectories.models import JobFollowUp
from trajectories.services import job_follow_up_record, jobs_to_follow_up, months_before

TODAY = timezone.localdate()


def job(partner, months_ago, **kwargs):
    """A regular job that started `months_ago` months (and a day) ago, after a trajectory of the partner."""
    trajectory = factories.TrajectoryFactory(partner=partner, start_date=months_before(TODAY, months_ago + 6))
    start = months_before(TODAY, months_ago) - datetime.timedelta(days=1)
    return factories.EmploymentFactory(
        employee=trajectory.employee, start_date=start, registered_on=start, regular=True, **kwargs
    )


def listed(user, months):
    return set(jobs_to_follow_up(user, months, TODAY))


def test_a_job_stays_on_a_marks_list_after_the_next_mark_until_it_is_followed_up(partner, partner_staff):
    eight = job(partner, 8)
    twenty = job(partner, 20)
    # Before, the 3-month list dropped a job once its 6-month mark had passed, followed up or not.
    assert {eight, twenty} <= listed(partner_staff, 3)
    assert {eight, twenty} <= listed(partner_staff, 6)
    assert listed(partner_staff, 12) == {twenty}


def test_a_job_that_ended_before_a_mark_is_not_followed_up_at_it(partner, partner_staff):
    left_early = job(partner, 8)
    left_early.end_date = months_before(TODAY, 7)  # two months after its start: before the 3-month mark
    left_early.save()
    left_at_four = job(partner, 8)
    left_at_four.end_date = months_before(TODAY, 4)  # four months after its start
    left_at_four.save()
    assert left_early not in listed(partner_staff, 3)
    assert left_at_four in listed(partner_staff, 3)
    assert left_at_four not in listed(partner_staff, 6)


def test_a_job_before_its_mark_and_the_other_partners_jobs_are_not_listed(partner, partner_staff, other_partner):
    recent = job(partner, 1)
    theirs = job(other_partner, 8)
    assert recent not in listed(partner_staff, 3)
    assert theirs not in listed(partner_staff, 3)


def test_recording_a_follow_up_takes_the_job_off_that_marks_list_only(client, partner, partner_staff):
    employment = job(partner, 8)
    client.force_login(partner_staff)
    page = client.get(reverse("trajectories:job_follow_up", kwargs={"months": 3}))
    link = f"{reverse('trajectories:job_follow_up_record', args=[employment.pk])}?na=3"
    assert link in page.content.decode()
    assert "Opvolging registreren" in page.content.decode()
    form = client.get(link)
    assert form.context["form"].initial["mark"] == 3
    response = client.post(
        link, {"mark": "3", "checked_on": TODAY.strftime("%d/%m/%Y"), "still_in_work": "yes", "note": "Tevreden"}
    )
    assert response.status_code == 302
    assert response.url == reverse("trajectories:job_follow_up", kwargs={"months": 3})
    follow_up = JobFollowUp.objects.get(employment=employment)
    assert (follow_up.mark, follow_up.still_in_work, follow_up.note) == (3, True, "Tevreden")
    assert follow_up.recorded_by == partner_staff
    assert follow_up.history.count() == 1
    assert employment not in listed(partner_staff, 3)
    assert employment in listed(partner_staff, 6)
    employment.refresh_from_db()
    assert employment.end_date is None


def test_a_person_who_left_ends_the_job_in_the_same_step(client, partner, partner_staff):
    employment = job(partner, 8)
    left_on = months_before(TODAY, 4)
    client.force_login(partner_staff)
    response = client.post(
        reverse("trajectories:job_follow_up_record", args=[employment.pk]),
        {
            "mark": "3",
            "checked_on": TODAY.strftime("%d/%m/%Y"),
            "still_in_work": "no",
            "job_end_date": left_on.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.end_date == left_on
    assert employment.history.first().end_date == left_on
    assert not JobFollowUp.objects.get(employment=employment).still_in_work
    # Ended between the 3- and the 6-month mark: no follow-up is asked at 6 months.
    assert employment not in listed(partner_staff, 6)


def test_no_longer_in_work_without_the_last_day_is_refused_in_dutch(client, partner, partner_staff):
    employment = job(partner, 8)
    client.force_login(partner_staff)
    response = client.post(
        reverse("trajectories:job_follow_up_record", args=[employment.pk]),
        {"mark": "3", "checked_on": TODAY.strftime("%d/%m/%Y"), "still_in_work": "no"},
    )
    assert response.status_code == 200
    assert "De persoon werkt er niet meer: geef de laatste dag van de job." in response.content.decode()
    assert not JobFollowUp.objects.exists()


def test_a_job_end_the_job_refuses_leaves_no_follow_up(partner):
    employment = job(partner, 8)
    with pytest.raises(ValidationError) as error:
        job_follow_up_record(
            employment=employment,
            mark=3,
            checked_on=TODAY,
            still_in_work=False,
            job_end_date=employment.start_date - datetime.timedelta(days=5),
        )
    assert "end_date" in error.value.message_dict
    assert not JobFollowUp.objects.exists()
    assert Employment.objects.get(pk=employment.pk).end_date is None


def test_a_mark_is_followed_up_once(partner):
    employment = job(partner, 8)
    job_follow_up_record(employment=employment, mark=3, checked_on=TODAY, still_in_work=True)
    with pytest.raises(ValidationError):
        job_follow_up_record(employment=employment, mark=3, checked_on=TODAY, still_in_work=True)
    job_follow_up_record(employment=employment, mark=6, checked_on=TODAY, still_in_work=True)
    assert JobFollowUp.objects.filter(employment=employment).count() == 2


def test_the_persons_timeline_shows_the_follow_ups(client, partner, partner_staff):
    employment = job(partner, 8)
    job_follow_up_record(
        employment=employment, mark=6, checked_on=TODAY, still_in_work=True, note="Nog steeds aan de slag"
    )
    client.force_login(partner_staff)
    page = client.get(reverse("employees:detail", args=[employment.employee_id])).content.decode()
    assert "Opvolging van een job" in page
    assert "na 6 maanden: werkt er nog" in page
    assert "Nog steeds aan de slag" in page


def test_a_social_economy_job_has_no_follow_up_form(client, partner, partner_staff):
    trajectory = factories.TrajectoryFactory(partner=partner)
    spell = factories.EmploymentFactory(employee=trajectory.employee)
    client.force_login(partner_staff)
    assert client.get(reverse("trajectories:job_follow_up_record", args=[spell.pk])).status_code == 404


def _old_job_followed_up(checked_on):
    person = factories.EmployeeFactory(registered_on=datetime.date(2010, 1, 1))
    spell = factories.EmploymentFactory(
        employee=person,
        regular=True,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2012, 1, 1),
        registered_on=datetime.date(2010, 1, 1),
    )
    job_follow_up_record(
        employment=spell, mark=3, checked_on=checked_on, still_in_work=True, note="Jan Peeters werkt er graag"
    )
    return person


def test_retention_clears_the_note_of_a_follow_up_and_a_recent_follow_up_keeps_the_person(db):
    old = _old_job_followed_up(datetime.date(2010, 4, 2))
    recent = _old_job_followed_up(datetime.date(2018, 4, 2))
    today = datetime.date(2026, 11, 26)
    assert set(retention_due(retention_cutoff(today=today, years=10))) == {old}
    persons_anonymise(years=10, today=today, run_by="test")
    cleared = JobFollowUp.objects.get(employment__employee=old)
    assert cleared.note == "" and set(cleared.history.values_list("note", flat=True)) == {""}
    assert JobFollowUp.objects.get(employment__employee=recent).note == "Jan Peeters werkt er graag"
