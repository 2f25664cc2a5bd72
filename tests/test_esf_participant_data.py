"""ESF participant data on the trajectory (docs/esf.md): the form, the special categories behind their legal
basis, the import columns and the history."""

import datetime

import pytest
from django.urls import reverse

from common.identifiers import make_insz
from imports.services import import_file
from tests import factories
from trajectories.models import Trajectory

D = datetime.date
pytestmark = pytest.mark.django_db
BASIS = "Decreet van 12 juli 2013, art. 5, en de toestemming van de deelnemer"
INSZ = make_insz(D(1980, 5, 17), 11)


def _form_fields(client, trajectory):
    return set(client.get(reverse("trajectories:update", args=[trajectory.pk])).context["form"].fields)


def test_the_partner_enters_the_characteristics_on_the_trajectory_and_the_history_keeps_them(
    client, partner, partner_staff
):
    trajectory = factories.TrajectoryFactory(partner=partner)
    client.force_login(partner_staff)
    url = reverse("trajectories:update", args=[trajectory.pk])
    data = {
        **{k: v for k, v in client.get(url).context["form"].initial.items() if v is not None},
        "start_date": "01/04/2019",
        "call": trajectory.call_id,
        "se_employer": trajectory.se_employer.kbo_number,
        "instrument": trajectory.instrument_id,
        "esf_labour_status": "employed",
        "esf_education": "refused",
        "esf_household": "jobless_with_children",
        "esf_leaving_situation": "",
    }

    response = client.post(url, {k: v for k, v in data.items() if v is not None})

    assert response.status_code == 302, response.context["form"].errors
    trajectory.refresh_from_db()
    assert (trajectory.esf_labour_status, trajectory.esf_education, trajectory.esf_household) == (
        "employed",
        "refused",
        "jobless_with_children",
    )
    assert trajectory.history.first().esf_education == "refused"
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "wil niet zeggen" in page and "handicap" not in page


def test_without_a_legal_basis_the_special_categories_are_neither_asked_nor_stored(client, administrator, settings):
    settings.DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS = ""
    trajectory = factories.TrajectoryFactory(esf_disability="yes", esf_migrant_background="no")
    client.force_login(administrator)

    assert (trajectory.esf_disability, trajectory.esf_migrant_background) == ("", "")
    assert "esf_disability" not in _form_fields(client, trajectory)
    assert Trajectory.objects.filter(esf_disability="").count() == 1


def test_with_a_legal_basis_administrators_alone_see_the_special_categories(
    client, administrator, partner, partner_staff, settings
):
    settings.DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS = BASIS
    trajectory = factories.TrajectoryFactory(partner=partner, esf_disability="yes")
    trajectory.refresh_from_db()
    assert trajectory.esf_disability == "yes"

    client.force_login(administrator)
    assert {"esf_disability", "esf_migrant_background"} <= _form_fields(client, trajectory)
    assert "handicap" in client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    client.force_login(partner_staff)
    assert "esf_disability" not in _form_fields(client, trajectory)
    assert "handicap" not in client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()


def _import(content, user=None):
    return import_file(kind="trajectories", content=content.encode(), file_name="t.csv", user=user)


def test_the_import_reads_the_esf_columns_and_a_column_left_out_keeps_the_stored_value(partner):
    factories.EmployeeFactory(insz=INSZ, birth_date=D(1980, 5, 17))
    head = "insz,partner_kbo,call_number,start_date"
    first = _import(
        f"{head},esf_labour_status,esf_education,esf_household\n"
        f"{INSZ},{partner.kbo_number},432,2019-04-01,EMPLOYED,isced_3_4,unknown\n"
    )
    again = _import(f"{head},esf_household\n{INSZ},{partner.kbo_number},432,2019-04-01,other\n")

    assert first.ok and again.ok, (first.errors, again.errors)
    trajectory = Trajectory.objects.get()
    assert (trajectory.esf_labour_status, trajectory.esf_education, trajectory.esf_household) == (
        "employed",
        "isced_3_4",
        "other",
    )
    assert trajectory.history.count() == 2


def test_the_import_refuses_a_value_that_is_not_a_code(partner):
    factories.EmployeeFactory(insz=INSZ, birth_date=D(1980, 5, 17))
    result = _import(
        f"insz,partner_kbo,call_number,start_date,esf_education\n{INSZ},{partner.kbo_number},432,2019-04-01,hoog\n"
    )

    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(2, "esf_education")]
    assert Trajectory.objects.count() == 0


def test_the_django_admin_asks_the_special_categories_only_with_a_legal_basis(client, administrator, settings):
    trajectory = factories.TrajectoryFactory()
    client.force_login(administrator)
    url = reverse("admin:trajectories_trajectory_change", args=[trajectory.pk])

    settings.DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS = ""
    without = client.get(url).context["adminform"].form.fields
    settings.DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS = BASIS
    with_basis = client.get(url).context["adminform"].form.fields

    assert "esf_disability" not in without and "esf_education" in without
    assert {"esf_disability", "esf_migrant_background"} <= set(with_basis)


@pytest.mark.parametrize("role", ["partner_staff", "administrator"])
def test_no_list_export_nor_import_file_carries_the_special_categories(client, request, role, partner, settings):
    settings.DOORSTROOM_ESF_SPECIAL_CATEGORIES_BASIS = BASIS
    factories.TrajectoryFactory(partner=partner, esf_disability="yes", esf_migrant_background="yes")
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("trajectories:list"), {"_export": "csv"})
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    header = body.splitlines()[0].lower()
    template = client.get(reverse("imports:template", kwargs={"kind": "trajectories", "fmt": "csv"}))

    assert response.status_code == 200 and "handicap" not in header and "migratie" not in header
    assert b"esf_disability" not in template.content and b"esf_education" in template.content
