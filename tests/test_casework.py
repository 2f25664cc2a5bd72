"""Forms and workflows of the casework screens: evaluations, referrals, trajectories, jobs, look-ups."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AccessEvent
from common.identifiers import make_insz
from employees.models import Employment
from evaluations.constants import ADVICE_NOT_READY, ReferralStatus
from evaluations.models import Evaluation, Referral
from people.services import CurrentState, employee_current_state
from tests import factories
from trajectories.models import EndReason, Trajectory
from trajectories.services import trajectory_start

TODAY = timezone.localdate()


def _referral(partner, **kwargs):
    evaluation = factories.EvaluationFactory(**kwargs)
    return Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)


def test_new_evaluation_is_prefilled_with_the_current_social_economy_job(client, evaluator):
    spell = factories.EmploymentFactory(start_date=datetime.date(2016, 1, 1))
    client.force_login(evaluator)
    form = client.get(reverse("evaluations:create", args=[spell.employee.pk])).context["form"]
    assert form.initial["employer"] == spell.employer
    assert form.initial["instrument"] == spell.instrument
    assert form.initial["office"] == "VDAB Gent"


def test_new_evaluation_is_not_prefilled_from_a_regular_job(client, evaluator):
    spell = factories.EmploymentFactory(regular=True)
    client.force_login(evaluator)
    form = client.get(reverse("evaluations:create", args=[spell.employee.pk])).context["form"]
    assert "employer" not in form.initial


def test_evaluation_with_advice_ready_leads_to_the_referral_form(client, evaluator):
    employee = factories.EmployeeFactory()
    client.force_login(evaluator)
    response = client.post(
        reverse("evaluations:create", args=[employee.pk]),
        {
            "evaluation_date": "2024-03-01",
            "advice": factories.advice().pk,
            "registered_on": "2024-03-01",
        },
    )
    evaluation = Evaluation.objects.get(employee=employee)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:refer", args=[evaluation.pk])
    assert evaluation.evaluator == evaluator


def test_evaluation_form_with_errors_shows_them_by_their_fields_and_keeps_what_was_typed(client, evaluator):
    employee = factories.EmployeeFactory()
    client.force_login(evaluator)
    future = (TODAY + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        reverse("evaluations:create", args=[employee.pk]),
        {
            "evaluation_date": future,
            "advice": "",
            "office": "VDAB Brugge",
            "notes": "typed notes",
            "registered_on": TODAY.isoformat(),
            "employer": "no such organisation",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"evaluation_date", "advice", "employer"}
    body = response.content.decode()
    assert "typed notes" in body and "VDAB Brugge" in body and "no such organisation" in body
    assert 'aria-invalid="true"' in body
    assert not Evaluation.objects.exists()


def test_evaluator_refers_a_person_advised_ready_to_a_partner(client, evaluator, partner):
    factories.GrantFactory(partner=partner)
    evaluation = factories.EvaluationFactory()
    client.force_login(evaluator)
    response = client.post(reverse("evaluations:refer", args=[evaluation.pk]), {"partner": partner.pk})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.partner, referral.employee, referral.referred_by) == (partner, evaluation.employee, evaluator)
    assert referral.status == ReferralStatus.WAITING


def test_a_person_not_advised_ready_cannot_be_referred(client, evaluator, partner):
    factories.GrantFactory(partner=partner)
    evaluation = factories.EvaluationFactory(advice=factories.advice(ADVICE_NOT_READY))
    client.force_login(evaluator)
    response = client.post(reverse("evaluations:refer", args=[evaluation.pk]), {"partner": partner.pk})
    assert response.status_code == 200
    assert "doorstroomklaar" in response.content.decode()
    assert not Referral.objects.exists()


def test_referral_to_an_organisation_that_is_no_partner_is_refused(client, evaluator):
    evaluation = factories.EvaluationFactory()
    employer = factories.OrganisationFactory()
    client.force_login(evaluator)
    response = client.post(reverse("evaluations:refer", args=[evaluation.pk]), {"partner": employer.kbo_number})
    assert response.context["form"].errors["partner"]
    assert not Referral.objects.exists()


def test_administrator_reassigns_a_waiting_referral(client, administrator, partner, other_partner):
    factories.GrantFactory(partner=other_partner)
    referral = _referral(partner)
    client.force_login(administrator)
    client.post(reverse("evaluations:referral_reassign", args=[referral.pk]), {"partner": other_partner.pk})
    referral.refresh_from_db()
    assert referral.partner == other_partner


def test_a_started_referral_cannot_be_reassigned(client, administrator, partner, other_partner):
    referral = _referral(partner)
    referral.status = ReferralStatus.STARTED
    referral.save()
    factories.GrantFactory(partner=other_partner)
    client.force_login(administrator)
    response = client.post(reverse("evaluations:referral_reassign", args=[referral.pk]), {"partner": other_partner.pk})
    assert response.status_code == 404  # only a waiting referral has a re-assign page
    referral.refresh_from_db()
    assert referral.partner == partner


def test_partner_queue_shows_their_waiting_referrals_and_not_others(client, partner_staff, partner, other_partner):
    mine = _referral(partner)
    theirs = _referral(other_partner)
    client.force_login(partner_staff)
    response = client.get(reverse("evaluations:referral_list"), {"status": "waiting"})
    body = response.content.decode()
    assert reverse("employees:detail", args=[mine.employee_id]) in body
    assert reverse("employees:detail", args=[theirs.employee_id]) not in body
    assert mine.employee.insz not in body  # masked for partner staff (accounts.access.sees_full_insz)
    assert reverse("trajectories:start_from_referral", args=[mine.pk]) in body
    assert response.context["waiting_count"] == 1


def test_partner_starts_a_trajectory_from_the_queue_and_the_referral_is_linked(client, partner_staff, partner):
    referral = _referral(partner)
    spell = factories.EmploymentFactory(employee=referral.employee, start_date=datetime.date(2015, 1, 1))
    client.force_login(partner_staff)
    response = client.post(
        reverse("trajectories:start_from_referral", args=[referral.pk]),
        {
            "call": factories.CallFactory().pk,
            "start_date": "2024-02-01",
        },
    )
    trajectory = Trajectory.objects.get()
    assert response["Location"] == reverse("trajectories:detail", args=[trajectory.pk])
    assert (trajectory.partner, trajectory.caseworker) == (partner, partner_staff)
    assert (trajectory.se_employer, trajectory.instrument) == (spell.employer, spell.instrument)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED and referral.trajectory == trajectory


def test_another_partner_cannot_start_a_trajectory_from_a_referral(client, other_partner_staff, partner):
    referral = _referral(partner)
    client.force_login(other_partner_staff)
    response = client.post(
        reverse("trajectories:start_from_referral", args=[referral.pk]),
        {
            "call": factories.CallFactory().pk,
            "start_date": "2024-02-01",
        },
    )
    assert response.status_code == 404
    assert not Trajectory.objects.exists()


def test_trajectory_start_takes_employer_and_instrument_of_the_job_on_the_start_date(partner):
    employee = factories.EmployeeFactory()
    factories.EmploymentFactory(
        employee=employee, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2017, 12, 31)
    )
    later = factories.EmploymentFactory(
        employee=employee,
        start_date=datetime.date(2018, 1, 1),
        instrument=factories.instrument("lokale-diensteneconomie"),
    )
    trajectory = trajectory_start(
        employee=employee, partner=partner, call=factories.CallFactory(), start_date=datetime.date(2019, 5, 1)
    )
    assert (trajectory.se_employer, trajectory.instrument) == (later.employer, later.instrument)


def test_partner_ends_a_trajectory_with_its_reason_and_records_the_next_job(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    employer = factories.RegularEmployerFactory()
    client.force_login(partner_staff)
    form = client.get(reverse("trajectories:end", args=[trajectory.pk])).context["form"]
    response = client.post(
        reverse("trajectories:end", args=[trajectory.pk]),
        {
            "end_date": "2019-09-30",
            "end_reason": EndReason.objects.get(code="job_regular").pk,
            "job_employer": employer.kbo_number,
            "job_start_date": "2019-10-01",
            "job_with_support_package": "on",
            "version": form.initial["version"],
        },
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.end_date == datetime.date(2019, 9, 30) and trajectory.end_reason.code == "job_regular"
    job = Employment.objects.get(employee=trajectory.employee)
    assert job.employer == employer and job.is_regular and job.with_support_package


def test_ending_a_trajectory_needs_a_reason_and_writes_nothing_half(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    employer = factories.RegularEmployerFactory()
    client.force_login(partner_staff)
    form = client.get(reverse("trajectories:end", args=[trajectory.pk])).context["form"]
    response = client.post(
        reverse("trajectories:end", args=[trajectory.pk]),
        {
            "end_date": "2019-09-30",
            "end_reason": "",
            "job_employer": employer.kbo_number,
            "version": form.initial["version"],
        },
    )
    assert set(response.context["form"].errors) == {"end_reason", "job_start_date"}
    trajectory.refresh_from_db()
    assert trajectory.end_date is None
    assert not Employment.objects.exists()


def test_partner_adds_an_internship_to_their_trajectory(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    host = factories.RegularEmployerFactory()
    client.force_login(partner_staff)
    response = client.post(
        reverse("trajectories:internship_create", args=[trajectory.pk]),
        {
            "host": host.kbo_number,
            "sector": "logistiek",
            "start_date": "2019-05-01",
        },
    )
    assert response.status_code == 302
    assert trajectory.internships.get().host == host


def test_an_internship_before_its_trajectory_is_refused_next_to_the_date(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    client.force_login(partner_staff)
    response = client.post(
        reverse("trajectories:internship_create", args=[trajectory.pk]),
        {
            "host": factories.RegularEmployerFactory().kbo_number,
            "sector": "zorg",
            "start_date": "2019-01-01",
        },
    )
    assert "start_date" in response.context["form"].errors
    assert not trajectory.internships.exists()


def test_partner_looks_a_person_up_by_exact_insz_and_the_lookup_is_recorded(client, partner_staff, partner):
    person = factories.EmployeeFactory()
    factories.EmployeeFactory()
    client.force_login(partner_staff)
    response = client.post(reverse("employees:lookup"), {"insz": person.insz})
    lookup = AccessEvent.objects.get(action="insz_lookup")
    assert (lookup.user, lookup.role, lookup.organisation, lookup.insz, lookup.found, lookup.employee) == (
        partner_staff,
        "Partnermedewerker",
        partner,
        person.insz,
        True,
        person,
    )
    assert escape(str(person)) in response.content.decode()  # escaped as the page shows it (D'hondt)
    # Not referred to the partner: the trajectory needs a written reason (tests/test_lookup_farming.py).
    client.post(
        reverse("trajectories:start_from_lookup", args=[lookup.pk]),
        {
            "call": factories.CallFactory().pk,
            "start_date": "2024-02-01",
            "access_reason": "Zelf aangemeld aan het loket.",
        },
    )
    assert Trajectory.objects.get().employee == person


def test_a_lookup_of_an_unknown_or_partial_insz_shows_no_one_and_is_recorded(client, partner_staff):
    person = factories.EmployeeFactory()
    client.force_login(partner_staff)
    unknown = make_insz(datetime.date(1975, 2, 3), 500)
    response = client.post(reverse("employees:lookup"), {"insz": unknown})
    assert str(person) not in response.content.decode()
    assert AccessEvent.objects.get(action="insz_lookup").insz == unknown
    partial = client.post(reverse("employees:lookup"), {"insz": person.insz[:6]})
    assert partial.context["form"].errors["insz"]
    assert str(person) not in partial.content.decode()
    # the invalid number was never looked up
    assert AccessEvent.objects.filter(action="insz_lookup", employee__isnull=True).count() == 1


def test_another_user_cannot_use_someone_elses_lookup(client, partner_staff, other_partner_staff):
    person = factories.EmployeeFactory()
    lookup = AccessEvent.objects.create(user=partner_staff, insz=person.insz, employee=person, action="insz_lookup")
    client.force_login(other_partner_staff)
    assert client.get(reverse("trajectories:start_from_lookup", args=[lookup.pk])).status_code == 404


@pytest.mark.parametrize(
    "setup, expected",
    [
        ("se", CurrentState.SOCIAL_ECONOMY),
        ("trajectory", CurrentState.IN_TRAJECTORY),
        ("regular", CurrentState.REGULAR_EXTERNAL),
        ("nothing", CurrentState.NONE),
    ],
)
def test_current_state_of_a_person(setup, expected, db):
    employee = factories.EmployeeFactory()
    on = datetime.date(2019, 6, 1)
    if setup in ("se", "trajectory", "regular"):
        factories.EmploymentFactory(employee=employee, start_date=datetime.date(2016, 1, 1))
    if setup in ("trajectory", "regular"):
        factories.TrajectoryFactory(employee=employee, start_date=datetime.date(2019, 4, 1))
    if setup == "regular":
        factories.EmploymentFactory(employee=employee, regular=True, start_date=datetime.date(2019, 5, 1))
    assert employee_current_state(employee=employee, on=on).state == expected


def test_person_page_shows_one_timeline_but_not_partner_trajectories_to_evaluators(client, evaluator, administrator):
    trajectory = factories.TrajectoryFactory()
    employee = trajectory.employee
    factories.EmploymentFactory(employee=employee)
    factories.EvaluationFactory(employee=employee)
    factories.InternshipFactory(trajectory=trajectory)
    factories.EmploymentFactory(employee=employee, regular=True, start_date=datetime.date(2020, 1, 1))
    client.force_login(administrator)
    kinds = [e["kind"] for e in client.get(reverse("employees:detail", args=[employee.pk])).context["timeline"]]
    assert kinds == ["se_job", "evaluation", "trajectory", "internship", "regular_job"]
    client.force_login(evaluator)
    kinds = [e["kind"] for e in client.get(reverse("employees:detail", args=[employee.pk])).context["timeline"]]
    assert kinds == ["se_job", "evaluation", "regular_job"]


def test_a_trajectory_started_on_an_earlier_date_takes_the_job_of_that_date(client, partner_staff, partner):
    referral = _referral(partner)
    employee = referral.employee
    earlier = factories.EmploymentFactory(
        employee=employee, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2019, 12, 31)
    )
    factories.EmploymentFactory(
        employee=employee,
        start_date=datetime.date(2020, 1, 1),
        instrument=factories.instrument("lokale-diensteneconomie"),
    )
    client.force_login(partner_staff)
    form = client.get(reverse("trajectories:start_from_referral", args=[referral.pk])).context["form"]
    assert form.initial["instrument"] == factories.instrument("lokale-diensteneconomie")  # today's job
    client.post(
        reverse("trajectories:start_from_referral", args=[referral.pk]),
        {
            "call": factories.CallFactory().pk,
            "start_date": "2019-06-01",
            "se_employer": form.initial["se_employer"].name,
            "instrument": form.initial["instrument"].pk,
        },
    )
    trajectory = Trajectory.objects.get()
    assert (trajectory.se_employer, trajectory.instrument) == (earlier.employer, earlier.instrument)


def test_an_employer_chosen_by_hand_is_kept_whatever_the_start_date(client, partner_staff, partner):
    referral = _referral(partner)
    factories.EmploymentFactory(employee=referral.employee, start_date=datetime.date(2015, 1, 1))
    chosen = factories.OrganisationFactory(name="Zelfgekozen Maatwerk")
    client.force_login(partner_staff)
    client.post(
        reverse("trajectories:start_from_referral", args=[referral.pk]),
        {
            "call": factories.CallFactory().pk,
            "start_date": "2019-06-01",
            "se_employer": chosen.kbo_number,
        },
    )
    assert Trajectory.objects.get().se_employer == chosen


def test_administrator_audits_the_lookups_by_insz(client, administrator, partner_staff):
    person = factories.EmployeeFactory()
    client.force_login(partner_staff)
    client.post(reverse("employees:lookup"), {"insz": person.insz})
    client.force_login(administrator)
    body = client.get(reverse("employees:access_log"), {"action": "insz_lookup"}).content.decode()
    assert person.insz in body and str(partner_staff) in body
    assert person.insz not in client.get(reverse("employees:access_log"), {"action": "person_viewed"}).content.decode()
