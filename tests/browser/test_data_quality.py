"""End-to-end: an administrator opens the data-quality page from the menu, looks through one partner and
follows a link to fix a record (issue 16, point 4)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.roles import Role
from people.models import DataQualitySnapshot
from tests import factories
from tests.browser.conftest import PASSWORD
from trajectories.models import EndReason

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
COMPLETE = {"esf_labour_status": "employed", "esf_education": "isced_3_4", "esf_household": "other"}


@pytest.fixture
def administrator():
    user = factories.UserFactory(password=PASSWORD, username="beheerder", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    return user


@pytest.fixture
def records():
    """Two partners' records, some breaking a rule, and a week of earlier counts."""
    first = factories.PartnerFactory(name="Werkkracht vzw")
    second = factories.PartnerFactory(name="Stap Vooruit vzw")
    for partner in (first, second):
        factories.TrajectoryFactory(partner=partner, ended=True, **COMPLETE)
        factories.TrajectoryFactory(partner=partner, se_employer=None, **COMPLETE)
        factories.TrajectoryFactory(partner=partner, end_date=D(2019, 10, 1), end_reason=None, **COMPLETE)
        factories.TrajectoryFactory(partner=partner, ended=True, esf_education="refused")
    factories.TrajectoryFactory(
        partner=first, ended=True, end_reason=EndReason.objects.get(code="job_regular"), **COMPLETE
    )
    nobody = factories.EmployeeFactory(unknown_birth_date=True, first_name="Noor", last_name="Peeters")
    factories.TrajectoryFactory(employee=nobody, partner=first, **COMPLETE)
    call_command("snapshot_data_quality", stdout=open("/dev/null", "w"))
    today = datetime.date.today()
    for days, count in ((7, 9), (6, 8), (5, 8), (4, 6), (3, 5), (2, 4), (1, 4)):
        DataQualitySnapshot.objects.create(
            day=today - datetime.timedelta(days=days), kind="esf_incomplete", count=count
        )
    return first, second


def test_administrator_finds_the_records_to_fix_and_opens_one(page, login, shot, administrator, records):
    first, _second = records
    login(administrator)
    page.click("nav >> text=Datakwaliteit")
    page.wait_for_url("**/datakwaliteit/")
    assert "ESF-deelnemers die niet aan de volledigheidsregel voldoen" in page.inner_text("main")
    shot("data-quality")

    page.select_option("#id_organisation", label=str(first))
    page.click("#choose-organisation button")
    page.wait_for_url("**/datakwaliteit/?organisation=*")
    assert "Stap Vooruit" not in page.inner_text(".data-quality-records[data-kind='trajectory_without_se_employer']")

    page.click(".data-quality-records[data-kind='trajectory_without_se_employer'] a")
    page.wait_for_url("**/trajecten/*/bewerken/")
    assert page.is_visible("#id_esf_education")
