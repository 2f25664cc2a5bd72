"""Referrals you can follow, from sending to answer (issue 15, point 2).

The partner is chosen from those with a grant of a call running on the day, never typed; the
partner accepts (starts the trajectory) or declines with a reason from a managed list; the
evaluator sees the answer, refers elsewhere, or withdraws a referral not yet answered; the days to
answer are kept; referrals left unanswered appear on the administrators' list; a referral shows on
the person's timeline; the reports count them (measure `referrals`).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.constants import ReferralStatus
from evaluations.models import DeclineReason, Referral
from people.services import timeline
from reports.measures import MEASURES
from tests import factories
from tests.reports.conftest import cells
from trajectories.services import trajectory_start

D = datetime.date
TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def _granted(partner, *, call=None):
    """The partner with a grant of call 432 (no dates: open on every day), or of the call given."""
    factories.GrantFactory(partner=partner, call=call or factories.CallFactory())
    return partner


def _waiting(partner, *, registered_on=TODAY, **kwargs):
    evaluation = factories.EvaluationFactory(**kwargs)
    return Referral.objects.create(
        evaluation=evaluation, employee=evaluation.employee, partner=partner, registered_on=registered_on
    )


def _reason(code):
    return DeclineReason.objects.get(code=code)


# --- the partner: chosen from those with a running grant ---------------------------------------------


def test_the_referral_form_offers_a_select_of_the_partners_with_a_grant_of_a_running_call(client, evaluator):
    granted = _granted(factories.PartnerFactory(name="Groeipunt"))
    ended_call = factories.CallFactory(number="380", start_date=D(2015, 1, 1), end_date=D(2018, 12, 31))
    _granted(factories.PartnerFactory(name="Oud Partner"), call=ended_call)
    factories.PartnerFactory(name="Zonder Subsidie")
    evaluation = factories.EvaluationFactory()
    client.force_login(evaluator)

    response = client.get(reverse("evaluations:refer", args=[evaluation.pk]))

    field = response.context["form"].fields["partner"]
    assert list(field.queryset) == [granted]
    body = response.content.decode()
    assert '<select name="partner"' in body and "data-filter=" in body
    assert "Oud Partner" not in body and "Zonder Subsidie" not in body
    assert "— kies —" in body


def test_a_partner_typed_as_text_or_without_a_running_grant_is_refused_in_dutch(client, evaluator):
    ended_call = factories.CallFactory(number="380", start_date=D(2015, 1, 1), end_date=D(2018, 12, 31))
    old = _granted(factories.PartnerFactory(name="Oud Partner"), call=ended_call)
    evaluation = factories.EvaluationFactory()
    client.force_login(evaluator)

    for value in ("Gent", old.kbo_number, str(old.pk)):
        response = client.post(reverse("evaluations:refer", args=[evaluation.pk]), {"partner": value})
        assert response.status_code == 200
        assert response.context["form"].errors["partner"] == ["Kies een partner uit de lijst."]
    with pytest.raises(ValidationError) as refused:
        services.referral_create(evaluation=evaluation, partner=old, referred_by=evaluator)
    assert "heeft geen subsidie van een oproep die loopt op" in str(refused.value)
    assert not Referral.objects.exists()


def test_the_evaluator_refers_with_the_select_and_lands_on_the_referral(client, evaluator, partner):
    _granted(partner)
    evaluation = factories.EvaluationFactory()
    client.force_login(evaluator)

    response = client.post(reverse("evaluations:refer", args=[evaluation.pk]), {"partner": partner.pk})

    referral = Referral.objects.get()
    assert response["Location"] == reverse("evaluations:referral_detail", args=[referral.pk])
    assert (referral.partner, referral.status, referral.registered_on) == (partner, ReferralStatus.WAITING, TODAY)


def test_a_person_waiting_for_an_answer_is_not_referred_a_second_time(evaluator, partner, other_partner):
    _granted(partner), _granted(other_partner)
    referral = _waiting(partner)

    with pytest.raises(ValidationError) as refused:
        services.referral_create(evaluation=referral.evaluation, partner=other_partner, referred_by=evaluator)

    assert "wacht al op een antwoord van" in str(refused.value)
    assert Referral.objects.count() == 1


# --- the partner's answer: accept by starting the trajectory, or decline with a reason ----------------


def test_starting_the_trajectory_accepts_the_referral_and_keeps_the_days_to_answer(partner, partner_staff):
    referral = _waiting(partner, registered_on=TODAY - datetime.timedelta(days=6))

    trajectory = trajectory_start(
        employee=referral.employee,
        partner=partner,
        call=factories.CallFactory(),
        start_date=TODAY,
        caseworker=partner_staff,
        referral=referral,
    )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED and referral.trajectory == trajectory
    assert referral.answered_by == partner_staff and referral.answered_at is not None
    assert referral.days_to_answer == 6


def test_the_decline_reasons_are_a_managed_list_seeded_with_four_reasons():
    assert list(DeclineReason.objects.values_list("code", "label_nl")) == [
        ("no_capacity", "geen capaciteit"),
        ("not_eligible", "niet in aanmerking"),
        ("person_declined", "persoon weigert"),
        ("other", "andere reden"),
    ]


def test_the_partner_declines_with_a_reason_and_the_evaluator_sees_the_answer(
    client, partner, partner_staff, evaluator
):
    referral = _waiting(partner, registered_on=TODAY - datetime.timedelta(days=3))
    client.force_login(partner_staff)
    queue = client.get(reverse("evaluations:referral_list")).content.decode()
    assert reverse("evaluations:referral_decline", args=[referral.pk]) in queue

    response = client.post(
        reverse("evaluations:referral_decline", args=[referral.pk]),
        {"decline_reason": _reason("no_capacity").pk, "answer_note": "Volzet tot maart."},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert (referral.decline_reason.code, referral.answer_note, referral.answered_by) == (
        "no_capacity",
        "Volzet tot maart.",
        partner_staff,
    )
    assert referral.days_to_answer == 3
    client.force_login(evaluator)
    page = client.get(reverse("evaluations:referral_detail", args=[referral.pk])).content.decode()
    assert "geen capaciteit" in page and "Volzet tot maart." in page
    assert reverse("evaluations:refer", args=[referral.evaluation_id]) in page  # refer elsewhere
    evaluation_page = client.get(reverse("evaluations:detail", args=[referral.evaluation_id])).content.decode()
    assert "geweigerd: geen capaciteit" in evaluation_page


def test_declining_for_another_reason_needs_an_explanation(client, partner, partner_staff):
    referral = _waiting(partner)
    client.force_login(partner_staff)

    response = client.post(
        reverse("evaluations:referral_decline", args=[referral.pk]), {"decline_reason": _reason("other").pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["answer_note"] == ["Licht de reden toe als u 'andere reden' kiest."]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_an_answered_referral_cannot_be_declined_or_withdrawn_again(partner, partner_staff, evaluator):
    referral = _waiting(partner)
    services.referral_decline(referral=referral, reason=_reason("not_eligible"), by=partner_staff)

    with pytest.raises(ValidationError, match="al beantwoord"):
        services.referral_decline(referral=referral, reason=_reason("no_capacity"), by=partner_staff)
    with pytest.raises(ValidationError, match="niet beantwoord"):
        services.referral_withdraw(referral=referral, reason="verhuisd", by=evaluator)


def test_after_a_decline_the_evaluator_refers_elsewhere_but_not_to_the_same_partner(
    client, evaluator, partner, other_partner, partner_staff
):
    _granted(partner), _granted(other_partner)
    referral = _waiting(partner)
    services.referral_decline(referral=referral, reason=_reason("no_capacity"), by=partner_staff)
    client.force_login(evaluator)

    form = client.get(reverse("evaluations:refer", args=[referral.evaluation_id])).context["form"]
    assert list(form.fields["partner"].queryset) == [other_partner]
    client.post(reverse("evaluations:refer", args=[referral.evaluation_id]), {"partner": other_partner.pk})

    assert Referral.objects.get(evaluation=referral.evaluation, partner=other_partner).status == ReferralStatus.WAITING


# --- the evaluator withdraws a referral not yet answered, with a reason ---------------------------------


def test_the_evaluator_withdraws_an_unanswered_referral_with_a_reason(client, evaluator, partner):
    referral = _waiting(partner)
    client.force_login(evaluator)

    refused = client.post(reverse("evaluations:referral_withdraw", args=[referral.pk]), {"withdrawal_reason": " "})
    assert refused.status_code == 200 and refused.context["form"].errors["withdrawal_reason"]
    client.post(reverse("evaluations:referral_withdraw", args=[referral.pk]), {"withdrawal_reason": "Verhuisd."})

    referral.refresh_from_db()
    assert (referral.status, referral.withdrawal_reason, referral.withdrawn_by) == (
        ReferralStatus.WITHDRAWN,
        "Verhuisd.",
        evaluator,
    )
    assert referral.withdrawn_at is not None and referral.answered_at is None
    # Answered referrals have no withdraw page: 404.
    assert client.get(reverse("evaluations:referral_withdraw", args=[referral.pk])).status_code == 404


# --- unanswered for too long: the administrators' list ------------------------------------------------


def test_referrals_unanswered_after_the_set_days_appear_on_the_administrators_list(
    client, administrator, partner, settings
):
    late = _waiting(partner, registered_on=TODAY - datetime.timedelta(days=14))
    recent = _waiting(partner, registered_on=TODAY - datetime.timedelta(days=13))
    client.force_login(administrator)

    response = client.get(reverse("evaluations:referral_overdue"))
    assert [r.pk for r in response.context["table"].data] == [late.pk]
    assert "Toeleidingen zonder antwoord na 14 dagen" in response.content.decode()

    settings.DOORSTROOM_REFERRAL_ANSWER_DAYS = 10
    response = client.get(reverse("evaluations:referral_overdue"))
    assert {r.pk for r in response.context["table"].data} == {late.pk, recent.pk}


# --- the lists: newest first, and they say so -------------------------------------------------------


def test_the_referral_list_is_newest_first_and_says_its_order(client, evaluator, partner):
    old = _waiting(partner, registered_on=D(2020, 1, 6))
    new = _waiting(partner, registered_on=D(2024, 5, 2))
    client.force_login(evaluator)

    response = client.get(reverse("evaluations:referral_list"))

    assert [r.pk for r in response.context["table"].data][:2] == [new.pk, old.pk]
    assert "Nieuwste eerst" in response.content.decode()


# --- the person's timeline and page -----------------------------------------------------------------


def test_a_referral_shows_on_the_persons_timeline_and_page(client, evaluator, partner, partner_staff):
    referral = _waiting(partner, registered_on=D(2024, 5, 2))
    services.referral_decline(referral=referral, reason=_reason("person_declined"), by=partner_staff)

    events = timeline(employee=referral.employee, user=evaluator)

    shown = [e for e in events if e["kind"] == "referral"]
    assert [e["object"] for e in shown] == [referral]
    assert shown[0]["date"] == D(2024, 5, 2) and shown[0]["end"] == TODAY
    client.force_login(evaluator)
    page = client.get(reverse("employees:detail", args=[referral.employee_id])).content.decode()
    assert "02/05/2024" in page and "Toeleiding" in page and "persoon weigert" in page
    assert reverse("evaluations:referral_detail", args=[referral.pk]) in page


# --- the reports: measure `referrals` ---------------------------------------------------------------


def _answered(referral, status, days, **fields):
    """Give a referral its answer `days` after it was sent (at noon)."""
    moment = timezone.make_aware(datetime.datetime.combine(referral.registered_on, datetime.time(12)))
    moment += datetime.timedelta(days=days)
    for name, value in {"status": status, **fields}.items():
        setattr(referral, name, value)
    if status == ReferralStatus.WITHDRAWN:
        referral.withdrawn_at = moment
    else:
        referral.answered_at = moment
    referral.save()
    return referral


def test_the_referrals_measure_counts_sent_accepted_declined_by_reason_withdrawn_and_open(partner, other_partner):
    sent = D(2024, 3, 1)
    _answered(_waiting(partner, registered_on=sent), ReferralStatus.STARTED, 4)
    _answered(_waiting(partner, registered_on=sent), ReferralStatus.STARTED, 10)
    _answered(
        _waiting(other_partner, registered_on=sent), ReferralStatus.DECLINED, 7, decline_reason=_reason("no_capacity")
    )
    _answered(_waiting(partner, registered_on=sent), ReferralStatus.WITHDRAWN, 2)
    _waiting(partner, registered_on=sent)  # open
    # Declined only after D: still open on D.
    _answered(
        _waiting(partner, registered_on=D(2024, 6, 20)),
        ReferralStatus.DECLINED,
        20,
        decline_reason=_reason("not_eligible"),
    )
    _waiting(partner, registered_on=D(2024, 7, 1))  # sent after D: not counted

    status = cells("referrals", ["status"], as_of=D(2024, 6, 30))

    assert status == {
        "sent": 6,
        "accepted": 2,
        "declined": 1,
        "withdrawn": 1,
        "open": 2,
        "median_days_to_answer": pytest.approx(7),
    }
    by_reason = cells("referrals", ["decline_reason"], as_of=D(2024, 12, 31), population="declined")
    assert by_reason == {"no_capacity": 1, "not_eligible": 1}
    by_partner = cells("referrals", ["partner", "status"], as_of=D(2024, 6, 30))
    assert by_partner[(partner.name, "open")] == 2 and by_partner[(other_partner.name, "declined")] == 1


def test_the_median_days_to_answer_is_the_middle_of_an_even_count_and_empty_without_answers(partner):
    for days in (2, 5):
        _answered(_waiting(partner, registered_on=D(2023, 2, 1)), ReferralStatus.STARTED, days)
    _waiting(partner, registered_on=D(2024, 2, 1))

    by_year = cells("referrals", ["year"], as_of=D(2024, 6, 30), population="median_days_to_answer")

    assert by_year["2023"] == pytest.approx(3.5)
    assert by_year.get("2024") is None  # sent, not answered: no median


def test_the_referrals_measure_has_the_usual_dimensions():
    assert set(cells("referrals", ["province"], as_of=TODAY)) >= {"Antwerpen", "Limburg"}
    names = {d.name for d in MEASURES["referrals"].dimensions}
    assert names >= {"year", "partner", "province", "age_band", "gender", "instrument", "decline_reason"}
