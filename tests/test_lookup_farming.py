"""Look-ups by INSZ that cannot be farmed (issue 12, item 5).

A partner POSTed every valid INSZ of one birth date to the look-up, learnt the names of persons never
referred to them, and by starting a trajectory for one of them opened that person's whole page. Now:
a per-user limit per hour and per day; the look-up shows only name and birth year of a person not
referred; a trajectory without a referral needs a written reason, is listed for administrators, who
can withdraw the access; administrators see, per user, the look-ups that led to no trajectory.
"""

import datetime

from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AccessEvent
from common.identifiers import make_insz
from employees.models import Employee
from evaluations.models import Referral
from tests import factories
from trajectories.models import Trajectory

REFUSED = "insz_lookup_refused"


def _lookup(client, insz):
    return client.post(reverse("employees:lookup"), {"insz": insz})


def _past_lookups(user, count, ago):
    """`count` look-ups by `user`, the newest `ago` back, one minute apart."""
    now = timezone.now()
    for i in range(count):
        AccessEvent.objects.create(
            user=user,
            role="partner_staff",
            organisation_id=user.organisation_id,
            action="insz_lookup",
            occurred_at=now - ago - datetime.timedelta(minutes=i),
        )


def _start_data(**extra):
    return {"call": factories.CallFactory().pk, "start_date": "2024-02-01", **extra}


# --- the limits --------------------------------------------------------------------------------


def test_the_limits_have_their_documented_defaults():
    assert (django_settings.DOORSTROOM_LOOKUP_LIMIT_PER_HOUR, django_settings.DOORSTROOM_LOOKUP_LIMIT_PER_DAY) == (
        30,
        100,
    )


def test_the_31st_lookup_in_an_hour_is_refused_in_dutch_and_logged(client, partner_staff, settings, caplog):
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_HOUR = 30
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_DAY = 100
    client.force_login(partner_staff)
    for serial in range(1, 31):
        assert _lookup(client, make_insz(datetime.date(1980, 1, 1), serial)).status_code == 200
    person = factories.EmployeeFactory(last_name="Nietgetoond")  # a name no generated user carries
    response = _lookup(client, person.insz)
    assert response.status_code == 429
    body = response.content.decode()
    assert "30 opzoekingen per uur" in body
    assert response.context["form"] is not None and 'name="insz"' in body  # the form is shown again
    assert str(person) not in body and person.last_name not in body
    assert AccessEvent.objects.filter(user=partner_staff, action="insz_lookup").count() == 30
    refused = AccessEvent.objects.get(user=partner_staff, action=REFUSED)
    assert (refused.insz, refused.employee, refused.organisation) == (person.insz, None, partner_staff.organisation)
    assert any("refused" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_the_day_limit_counts_the_last_24_hours(client, partner_staff, settings):
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_HOUR = 30
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_DAY = 100
    person = factories.EmployeeFactory(last_name="Nietgetoond")  # a name no generated user carries
    client.force_login(partner_staff)
    _past_lookups(partner_staff, 100, ago=datetime.timedelta(hours=2))
    response = _lookup(client, person.insz)
    assert response.status_code == 429
    assert "100 opzoekingen per dag" in response.content.decode()
    assert person.last_name not in response.content.decode()
    assert AccessEvent.objects.filter(action=REFUSED).count() == 1
    # Look-ups older than 24 hours no longer count.
    other = factories.UserFactory(organisation=partner_staff.organisation)
    other.groups.set(partner_staff.groups.all())
    _past_lookups(other, 100, ago=datetime.timedelta(hours=25))
    client.force_login(other)
    assert _lookup(client, person.insz).status_code == 200


def test_the_limit_is_per_user(client, partner_staff, settings):
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_HOUR = 2
    _past_lookups(partner_staff, 2, ago=datetime.timedelta(minutes=1))
    colleague = factories.UserFactory(organisation=partner_staff.organisation)
    colleague.groups.set(partner_staff.groups.all())
    person = factories.EmployeeFactory()
    client.force_login(partner_staff)
    assert _lookup(client, person.insz).status_code == 429
    client.force_login(colleague)
    assert _lookup(client, person.insz).status_code == 200


# --- what the look-up shows ----------------------------------------------------------------------


def test_the_lookup_of_a_person_not_referred_shows_only_name_and_birth_year(client, partner_staff):
    person = factories.EmployeeFactory(birth_date=datetime.date(1983, 7, 14))
    job = factories.EmploymentFactory(
        employee=person, employer=factories.OrganisationFactory(name="Geheim Maatwerk vzw")
    )
    factories.EvaluationFactory(employee=person, notes="Vertrouwelijke evaluatienota", employer=job.employer)
    client.force_login(partner_staff)
    response = _lookup(client, person.insz)
    body = response.content.decode()
    assert escape(person.last_name) in body and "1983" in body
    for secret in ("14/07/1983", "1983-07-14", "14 juli 1983", "Geheim Maatwerk", "Vertrouwelijke evaluatienota"):
        assert secret not in body
    assert reverse("employees:detail", args=[person.pk]) not in body
    # Nothing in the page's context holds the person itself (a template could show any field of it).
    flat = {key: value for layer in response.context for key, value in layer.flatten().items()}
    assert not [key for key, value in flat.items() if isinstance(value, (Employee, AccessEvent))]
    # Nor does the form that starts the trajectory give away the person's job.
    lookup = AccessEvent.objects.get(action="insz_lookup")
    start = client.get(reverse("trajectories:start_from_lookup", args=[lookup.pk])).content.decode()
    assert "Geheim Maatwerk" not in start and "14/07/1983" not in start


def test_the_lookup_of_a_referred_person_links_to_their_page(client, partner_staff, partner):
    evaluation = factories.EvaluationFactory()
    Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
    client.force_login(partner_staff)
    body = _lookup(client, evaluation.employee.insz).content.decode()
    assert reverse("employees:detail", args=[evaluation.employee.pk]) in body


# --- a trajectory without a referral: a written reason, reviewed, withdrawable ---------------


def _looked_up(client, user, person):
    client.force_login(user)
    _lookup(client, person.insz)
    return AccessEvent.objects.filter(user=user, action="insz_lookup").latest("occurred_at", "id")


def test_a_trajectory_for_a_person_not_referred_needs_a_written_reason(client, partner_staff, administrator):
    person = factories.EmployeeFactory()
    lookup = _looked_up(client, partner_staff, person)
    url = reverse("trajectories:start_from_lookup", args=[lookup.pk])
    assert client.get(reverse("employees:detail", args=[person.pk])).status_code == 404
    refused = client.post(url, _start_data())
    assert refused.status_code == 200
    assert refused.context["form"].errors["access_reason"] == [
        "Geef de reden waarom uw organisatie deze persoon zonder doorverwijzing begeleidt."
    ]
    assert not Trajectory.objects.exists()
    reason = "Zelf aangemeld aan het loket, nog geen evaluatie van VDAB."
    client.post(url, _start_data(access_reason=reason))
    trajectory = Trajectory.objects.get()
    assert (trajectory.employee, trajectory.access_reason) == (person, reason)
    assert trajectory.history.latest().access_reason == reason
    assert client.get(reverse("employees:detail", args=[person.pk])).status_code == 200
    client.force_login(administrator)
    review = client.get(reverse("trajectories:access_review")).content.decode()
    assert reason in review and escape(person.last_name) in review


def test_a_referred_person_needs_no_reason(client, partner_staff, partner):
    evaluation = factories.EvaluationFactory()
    Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
    lookup = _looked_up(client, partner_staff, evaluation.employee)
    url = reverse("trajectories:start_from_lookup", args=[lookup.pk])
    assert "access_reason" not in client.get(url).context["form"].fields
    client.post(url, _start_data())
    assert Trajectory.objects.get().access_reason == ""


def test_the_review_lists_trajectories_without_referral_newest_first(client, partner_staff, administrator, partner):
    older = factories.TrajectoryFactory(partner=partner, access_reason="Eerste reden, aan het loket.")
    newer = factories.TrajectoryFactory(partner=partner, access_reason="Tweede reden, via het OCMW.")
    factories.TrajectoryFactory(partner=partner)  # started from a referral or imported: not for review
    client.force_login(administrator)
    response = client.get(reverse("trajectories:access_review"))
    assert [t.pk for t in response.context["trajectories"]] == [newer.pk, older.pk]
    assert "Trajecten zonder doorverwijzing" in response.content.decode()


def test_an_administrator_withdraws_the_access_and_the_person_is_gone_for_that_partner(
    client, partner_staff, administrator, other_partner, other_partner_staff
):
    person = factories.EmployeeFactory()
    factories.EmploymentFactory(employee=person)
    lookup = _looked_up(client, partner_staff, person)
    client.post(
        reverse("trajectories:start_from_lookup", args=[lookup.pk]),
        _start_data(access_reason="Zelf aangemeld aan het loket."),
    )
    trajectory = Trajectory.objects.get()
    assert client.get(reverse("employees:detail", args=[person.pk])).status_code == 200
    # Another partner's trajectory for the same person is not touched by the withdrawal.
    theirs = factories.TrajectoryFactory(employee=person, partner=other_partner, start_date=datetime.date(2019, 1, 1))
    client.force_login(administrator)
    response = client.post(reverse("trajectories:withdraw_access", args=[trajectory.pk]))
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.access_withdrawn_by == administrator and trajectory.access_withdrawn_at is not None
    assert trajectory.history.latest().access_withdrawn_by_id == administrator.pk
    review = client.get(reverse("trajectories:access_review")).content.decode()
    assert "Toegang ingetrokken door" in review
    client.force_login(partner_staff)
    for url in (
        reverse("employees:detail", args=[person.pk]),
        reverse("trajectories:detail", args=[trajectory.pk]),
        reverse("employees:employment_create", args=[person.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert person not in Employee.objects.visible_to(partner_staff)
    assert not Trajectory.objects.visible_to(partner_staff).exists()
    assert theirs in Trajectory.objects.visible_to(other_partner_staff)
    assert person in Employee.objects.visible_to(other_partner_staff)
    assert Employee.objects.visible_to(administrator).filter(pk=person.pk).exists()


def test_a_referral_keeps_the_person_visible_after_a_withdrawal(partner_staff, partner, administrator):
    from trajectories.services import withdraw_access

    evaluation = factories.EvaluationFactory()
    Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
    trajectory = factories.TrajectoryFactory(employee=evaluation.employee, partner=partner)
    withdraw_access(trajectory=trajectory, by=administrator)
    assert evaluation.employee in Employee.objects.visible_to(partner_staff)


def test_only_administrators_withdraw(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner, access_reason="Zelf aangemeld aan het loket.")
    client.force_login(partner_staff)
    assert client.post(reverse("trajectories:withdraw_access", args=[trajectory.pk])).status_code == 404
    trajectory.refresh_from_db()
    assert trajectory.access_withdrawn_at is None


# --- look-ups that led to no trajectory -------------------------------------------------------


def test_administrators_see_per_user_the_lookups_that_led_to_no_trajectory(
    client, partner_staff, other_partner_staff, administrator
):
    # Names no generated user or organisation carries, so that the page can be searched for them.
    first = factories.EmployeeFactory(last_name="Eerstopgezocht")
    started = factories.EmployeeFactory(last_name="Gestartmettraject")
    unknown = make_insz(datetime.date(1975, 2, 3), 501)
    theirs = factories.EmployeeFactory(last_name="Vananderepartner")
    _looked_up(client, partner_staff, first)
    lookup = _looked_up(client, partner_staff, started)
    client.post(
        reverse("trajectories:start_from_lookup", args=[lookup.pk]),
        _start_data(access_reason="Zelf aangemeld aan het loket."),
    )
    _lookup(client, unknown)
    _looked_up(client, other_partner_staff, theirs)
    client.force_login(administrator)
    url = reverse("employees:lookups_without_trajectory")
    summary = client.get(url)
    counts = {row["user"]: row["count"] for row in summary.context["users"]}
    assert counts == {partner_staff: 2, other_partner_staff: 1}
    assert "Opzoekingen zonder traject" in summary.content.decode()
    detail = client.get(url, {"user": partner_staff.pk})
    events = list(detail.context["events"])
    assert [(e.insz, e.employee) for e in events] == [(unknown, None), (first.insz, first)]
    body = detail.content.decode()
    assert first.last_name in body
    assert started.last_name not in body and theirs.last_name not in body
