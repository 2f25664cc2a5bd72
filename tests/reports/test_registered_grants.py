"""Grants and organisations have a registration date (issue 14, point 5): read as the register stood
on a day (`known_at`), the money of question 2e leaves out the grants, and the grants of partners,
registered after that day; the import's `registered_on` and the forms set it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from common.identifiers import make_kbo
from imports.kinds import KINDS
from imports.services import import_file
from partners.models import Grant, Organisation
from reports.models import SavedReport
from reports.services import run_report
from tests import factories

D = datetime.date
ANSWER = D(2019, 11, 30)
pytestmark = pytest.mark.django_db


def _figures(slug, *, as_of=ANSWER, known_at=None):
    run = run_report(SavedReport.objects.get(slug=slug), as_of=as_of, known_at=known_at)
    return {tuple(labels.values()): value for labels, value in run.rows()}


@pytest.fixture
def grants():
    """A partner registered in 2018 with a grant for 2019 registered in time, and one registered in 2020."""
    partner = factories.PartnerFactory(name="Levanto", registered_on=D(2018, 1, 15))
    factories.GrantFactory(partner=partner, year=2019, registered_on=D(2019, 3, 1))
    factories.GrantFactory(
        partner=partner, year=2020, registered_on=D(2020, 2, 10), esf_amount=Decimal("4000.00"), flemish_amount=0
    )
    return partner


def test_q2e_as_registered_on_the_answers_date_leaves_out_grants_registered_later(grants):
    then = _figures("q2e_call_budget", known_at=ANSWER)
    today = _figures("q2e_call_budget")

    assert then == {("total",): "42000.00", ("esf",): "16800.00", ("flemish_cofinancing",): "25200.00"}
    assert today == {("total",): "46000.00", ("esf",): "20800.00", ("flemish_cofinancing",): "25200.00"}


def test_q2e_by_partner_and_year_leaves_out_grants_registered_later(grants):
    then = _figures("q2e_money_by_partner_year", known_at=ANSWER)
    today = _figures("q2e_money_by_partner_year")

    assert then[("Levanto", "esf", "2019")] == "16800.00"
    assert ("Levanto", "esf", "2020") not in then or then[("Levanto", "esf", "2020")] in (None, "0.00")
    assert today[("Levanto", "esf", "2020")] == "4000.00"


def test_the_grants_of_a_partner_registered_after_known_at_are_left_out():
    late = factories.PartnerFactory(name="Laat vzw", registered_on=D(2020, 1, 6))
    factories.GrantFactory(partner=late, year=2019, registered_on=D(2019, 3, 1))

    then = _figures("q2e_call_budget", known_at=ANSWER)
    today = _figures("q2e_call_budget")

    assert then[("total",)] in (None, "0.00")
    assert today[("total",)] == "42000.00"


def test_a_grant_registered_in_time_counts_with_its_amounts_as_they_stood(grants, later):
    grant = Grant.objects.get(year=2019)
    grant.esf_amount = Decimal("20000.00")
    grant._history_date = later
    grant.save()

    assert _figures("q2e_call_budget", known_at=ANSWER)[("esf",)] == "16800.00"
    assert _figures("q2e_call_budget")[("esf",)] == "24000.00"


def test_grants_and_organisations_registered_on_a_past_day_are_left_out_on_the_live_register_too():
    """known_at today or later reads the live tables: the registration dates still apply."""
    partner = factories.PartnerFactory(registered_on=D(2018, 1, 15))
    factories.GrantFactory(partner=partner, year=2019, registered_on=D(2019, 3, 1))

    assert _figures("q2e_call_budget", known_at=timezone.localdate())[("total",)] == "42000.00"


def test_the_import_sets_the_registration_date_of_organisations_and_grants():
    kbo = make_kbo(7_100_001)
    organisations = import_file(
        kind="organisations",
        content=f"kbo_number,name,kind,registered_on\n{kbo},Oud vzw,partner,2015-03-01\n".encode(),
        file_name="organisaties.csv",
    )
    grants = import_file(
        kind="grants",
        content=(
            "call_number,partner_kbo,year,esf_amount,flemish_amount,registered_on\n"
            f"432,{kbo},2019,16800.00,25200.00,2020-02-10\n"
        ).encode(),
        file_name="subsidies.csv",
    )

    assert organisations.ok and grants.ok
    assert Organisation.objects.get(kbo_number=kbo).registered_on == D(2015, 3, 1)
    assert Grant.objects.get(partner__kbo_number=kbo).registered_on == D(2020, 2, 10)
    assert _figures("q2e_call_budget", known_at=ANSWER)[("total",)] in (None, "0.00")


def test_an_import_corrects_a_registration_date_and_a_file_without_it_leaves_it_as_it_is():
    kbo = make_kbo(7_100_002)
    header = "call_number,partner_kbo,year,esf_amount,flemish_amount"
    import_file(
        kind="organisations", content=f"kbo_number,name,kind\n{kbo},Nieuw vzw,partner\n".encode(), file_name="o"
    )
    import_file(
        kind="grants", content=f"{header},registered_on\n432,{kbo},2019,1,2,2019-05-02\n".encode(), file_name="g"
    )
    import_file(
        kind="grants", content=f"{header},registered_on\n432,{kbo},2019,1,2,2019-04-01\n".encode(), file_name="g"
    )
    import_file(kind="grants", content=f"{header}\n432,{kbo},2019,1,2\n".encode(), file_name="g")

    assert Organisation.objects.get(kbo_number=kbo).registered_on == timezone.localdate()
    assert Grant.objects.get(partner__kbo_number=kbo).registered_on == D(2019, 4, 1)


def test_the_export_of_grants_and_organisations_carries_their_registration_date():
    partner = factories.PartnerFactory(registered_on=D(2018, 1, 15))
    factories.GrantFactory(partner=partner, year=2019, registered_on=D(2019, 3, 1))

    organisation_rows = list(KINDS["organisations"].export_rows())
    grant_rows = list(KINDS["grants"].export_rows())

    registered = {kind: KINDS[kind].column_names.index("registered_on") for kind in ("organisations", "grants")}
    assert organisation_rows[0][registered["organisations"]] == "2018-01-15"
    assert grant_rows[0][registered["grants"]] == "2019-03-01"


def test_a_new_grant_is_registered_today_unless_the_administrator_gives_a_date(client, administrator):
    partner = factories.PartnerFactory()
    client.force_login(administrator)
    data = {"call": factories.CallFactory().pk, "partner": partner.kbo_number, "esf_amount": "1", "flemish_amount": "1"}

    page = client.get(reverse("partners:grant_create")).content.decode()
    client.post(reverse("partners:grant_create"), {**data, "year": "2019"})
    client.post(reverse("partners:grant_create"), {**data, "year": "2020", "registered_on": "10/02/2020"})

    assert 'name="registered_on"' in page
    assert Grant.objects.get(year=2019).registered_on == timezone.localdate()
    assert Grant.objects.get(year=2020).registered_on == D(2020, 2, 10)


def test_a_new_organisation_is_registered_today_unless_the_administrator_gives_a_date(client, administrator):
    client.force_login(administrator)
    data = {"name": "Nieuw vzw", "kind": "partner", "postcode": "9000"}

    client.post(reverse("partners:organisation_create"), {**data, "kbo_number": make_kbo(7_100_003)})
    client.post(
        reverse("partners:organisation_create"),
        {**data, "kbo_number": make_kbo(7_100_004), "registered_on": "15/01/2018"},
    )

    assert Organisation.objects.get(kbo_number=make_kbo(7_100_003)).registered_on == timezone.localdate()
    assert Organisation.objects.get(kbo_number=make_kbo(7_100_004)).registered_on == D(2018, 1, 15)


def test_a_registration_date_in_the_future_is_refused_in_dutch(client, administrator):
    client.force_login(administrator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("partners:organisation_create"),
        {
            "name": "Toekomst vzw",
            "kind": "partner",
            "kbo_number": make_kbo(7_100_005),
            "registered_on": tomorrow.strftime("%d/%m/%Y"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["registered_on"]
    assert not Organisation.objects.filter(kbo_number=make_kbo(7_100_005)).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_existing_grants_and_organisations_by_their_first_history_row():
    before, after = [("partners", "0005_organisation_status")], [("partners", "0006_registered_on")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Organisation_, Grant_ = old.get_model("partners", "Organisation"), old.get_model("partners", "Grant")
        partner = Organisation_.objects.create(name="Oud vzw", kbo_number=make_kbo(7_100_006), kind="partner")
        grant = Grant_.objects.create(
            call=old.get_model("partners", "Call").objects.get(number="432"),
            partner=partner,
            year=2020,
            esf_amount=1,
            flemish_amount=2,
        )
        decided = timezone.make_aware(datetime.datetime(2019, 12, 3, 0, 30))  # 3 December in Brussels
        for record, name in ((partner, "Organisation"), (grant, "Grant")):
            fields = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
            history = old.get_model("partners", f"Historical{name}")
            history.objects.create(**fields, history_date=decided, history_type="+")

        executor = MigrationExecutor(connection)
        executor.migrate(after)

        assert Organisation.objects.get(pk=partner.pk).registered_on == D(2019, 12, 3)
        assert Organisation.history.get(id=partner.pk).registered_on == D(2019, 12, 3)
        assert Grant.objects.get(pk=grant.pk).registered_on == D(2019, 12, 3)
        assert _figures("q2e_call_budget", known_at=ANSWER)[("total",)] in (None, "0.00")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
