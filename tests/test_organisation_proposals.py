"""Organisations proposed by partners (issue 15, point 4): added at once with a checked KBO number, marked
"voorgesteld", then confirmed by an administrator or merged into an existing organisation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.identifiers import make_kbo
from employees.models import Employment
from evaluations.models import Evaluation
from partners import services
from partners.constants import OrganisationKind, OrganisationStatus
from partners.models import Organisation
from tests import factories
from trajectories.models import Internship, Trajectory

D = datetime.date
NEW_KBO = make_kbo(7_654_321)


def dotted(kbo):
    return f"BE {kbo[:4]}.{kbo[4:7]}.{kbo[7:]}"


@pytest.fixture
def trajectory(partner):
    return factories.TrajectoryFactory(partner=partner, start_date=D(2019, 4, 1))


def test_internship_form_links_to_the_proposal_when_the_host_is_not_found(client, partner_staff, trajectory):
    client.force_login(partner_staff)
    url = reverse("trajectories:internship_create", args=[trajectory.pk])
    response = client.post(url, {"host": "Colruyt", "sector": "retail", "start_date": "2019-05-01"})
    page = response.content.decode()
    assert "Geen organisatie gevonden voor “Colruyt”" in page and "Stel ze voor" in page
    assert reverse("partners:organisation_propose") + "?next=" in page


def test_partner_proposes_an_organisation_and_uses_it_at_once(client, partner_staff, trajectory):
    client.force_login(partner_staff)
    back = reverse("trajectories:internship_create", args=[trajectory.pk])
    propose = reverse("partners:organisation_propose") + f"?next={back}"
    response = client.post(
        propose, {"kbo_number": dotted(NEW_KBO), "name": "Colruyt", "postcode": "1500", "kind": "regular_employer"}
    )
    assert response.status_code == 302 and response["Location"] == back
    colruyt = Organisation.objects.get(kbo_number=NEW_KBO)
    assert (colruyt.status, colruyt.proposed_by, colruyt.province) == (
        OrganisationStatus.PROPOSED,
        partner_staff,
        "VBR",
    )
    assert colruyt.history.get().history_type == "+"
    created = client.post(back, {"host": "Colruyt", "sector": "retail", "start_date": "2019-05-01"})
    assert created.status_code == 302
    assert Internship.objects.get().host == colruyt
    detail = client.get(reverse("partners:organisation_detail", args=[colruyt.pk])).content.decode()
    assert "voorgesteld" in detail


def test_proposal_with_a_wrong_kbo_or_a_known_one_is_refused_in_dutch(client, partner_staff, partner):
    client.force_login(partner_staff)
    url = reverse("partners:organisation_propose")
    wrong = NEW_KBO[:-1] + str((int(NEW_KBO[-1]) + 1) % 10)
    response = client.post(
        url, {"kbo_number": wrong, "name": "Colruyt", "postcode": "1500", "kind": "regular_employer"}
    )
    assert response.status_code == 200 and "kbo_number" in response.context["form"].errors
    known = client.post(
        url, {"kbo_number": partner.kbo_number, "name": "Dubbel", "postcode": "9000", "kind": "regular_employer"}
    )
    assert "bestaat al" in " ".join(known.context["form"].errors["kbo_number"])
    as_partner = client.post(url, {"kbo_number": NEW_KBO, "name": "X", "postcode": "9000", "kind": "partner"})
    assert "kind" in as_partner.context["form"].errors
    assert not Organisation.objects.filter(kbo_number__in=[wrong, NEW_KBO]).exists()


def test_administrator_sees_the_proposals_and_confirms_one(client, administrator, partner_staff):
    proposed = services.organisation_propose(
        name="Colruyt", kbo_number=NEW_KBO, postcode=1500, kind=OrganisationKind.REGULAR_EMPLOYER, by=partner_staff
    )
    client.force_login(administrator)
    listed = client.get(reverse("partners:organisation_proposed")).content.decode()
    assert "Colruyt" in listed and reverse("partners:organisation_confirm", args=[proposed.pk]) in listed
    response = client.post(reverse("partners:organisation_confirm", args=[proposed.pk]))
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == OrganisationStatus.CONFIRMED
    assert [h.status for h in proposed.history.order_by("history_id")] == ["proposed", "confirmed"]
    assert not client.get(reverse("partners:organisation_proposed")).context["organisations"]


def test_merge_moves_every_record_with_history_and_removes_the_proposal(
    client, administrator, partner_staff, trajectory
):
    existing = factories.RegularEmployerFactory(name="Colruyt Group")
    proposed = services.organisation_propose(
        name="Colruyt", kbo_number=NEW_KBO, postcode=1500, kind=OrganisationKind.REGULAR_EMPLOYER, by=partner_staff
    )
    internship = factories.InternshipFactory(trajectory=trajectory, host=proposed)
    job = factories.EmploymentFactory(employee=trajectory.employee, employer=proposed, instrument=None)
    evaluation = factories.EvaluationFactory(employee=trajectory.employee, employer=proposed)
    Trajectory.objects.filter(pk=trajectory.pk).update_with_history(reason="test", se_employer=proposed)
    client.force_login(administrator)
    url = reverse("partners:organisation_merge", args=[proposed.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"into": existing.kbo_number})
    assert response.status_code == 302, response.context["form"].errors
    assert not Organisation.objects.filter(pk=proposed.pk).exists()
    assert Internship.objects.get(pk=internship.pk).host == existing
    assert Employment.objects.get(pk=job.pk).employer == existing
    assert Evaluation.objects.get(pk=evaluation.pk).employer == existing
    assert Trajectory.objects.get(pk=trajectory.pk).se_employer == existing
    change = internship.history.first()
    assert change.host_id == existing.pk and "samengevoegd met Colruyt Group" in change.history_change_reason
    assert proposed.history.first().history_type == "-"


def test_merge_that_would_duplicate_a_record_changes_nothing(partner_staff, trajectory):
    existing = factories.RegularEmployerFactory()
    proposed = services.organisation_propose(
        name="Colruyt", kbo_number=NEW_KBO, postcode=1500, kind=OrganisationKind.REGULAR_EMPLOYER, by=partner_staff
    )
    factories.InternshipFactory(trajectory=trajectory, host=existing, start_date=D(2019, 5, 1))
    twin = factories.InternshipFactory(trajectory=trajectory, host=proposed, start_date=D(2019, 5, 1))
    with pytest.raises(ValidationError) as caught:
        services.organisation_merge(proposed=proposed, into=existing)
    assert "twee identieke records" in " ".join(caught.value.messages)
    assert Internship.objects.get(pk=twin.pk).host == proposed
    assert Organisation.objects.filter(pk=proposed.pk).exists()


def test_only_a_proposed_organisation_can_be_merged(client, administrator):
    confirmed, other = factories.RegularEmployerFactory(), factories.RegularEmployerFactory()
    client.force_login(administrator)
    assert client.get(reverse("partners:organisation_merge", args=[confirmed.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.organisation_merge(proposed=confirmed, into=other)
