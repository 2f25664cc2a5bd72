"""End-to-end: the daily work of evaluators, partner staff and administrators, in a real browser."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from evaluations.constants import ADVICE_READY, ReferralStatus
from evaluations.models import Advice, Referral
from tests import factories
from tests.browser.conftest import PASSWORD
from trajectories.models import EndReason, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(role, **kwargs):
    user = factories.UserFactory(password=PASSWORD, **kwargs)
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def cast():
    partner = factories.PartnerFactory(name="Trajectwerk vzw")
    other = factories.PartnerFactory(name="Andere Partner vzw")
    employer = factories.OrganisationFactory(name="Maatwerkbedrijf De Schakel", postcode=9000)
    spell = factories.EmploymentFactory(
        employer=employer,
        start_date=datetime.date(2018, 1, 1),
        employee__first_name="Lotte",
        employee__last_name="Verhulst",
    )
    return {
        "partner": partner,
        "other": other,
        "employee": spell.employee,
        "employer": employer,
        "evaluator": _user(Role.EVALUATOR, username="evaluator", office="VDAB Gent"),
        "staff": _user(Role.PARTNER_STAFF, username="partner", organisation=partner),
        "other_staff": _user(Role.PARTNER_STAFF, username="andere", organisation=other),
        "admin": _user(Role.ADMINISTRATOR, username="beheerder", is_staff=True),
    }


def test_evaluator_refers_then_partner_runs_the_trajectory_to_its_end(page, login, shot, cast):
    employee = cast["employee"]
    factories.GrantFactory(partner=cast["partner"])
    factories.GrantFactory(partner=cast["other"])

    # The evaluator records an evaluation with advice doorstroomklaar and refers the person.
    login(cast["evaluator"])
    page.goto(f"/personen/{employee.pk}/")
    shot("person-page")
    page.click(f"a[href='/evaluaties/nieuw/{employee.pk}/']")
    assert page.input_value("#id_employer") == "Maatwerkbedrijf De Schakel"  # pre-filled from the job
    page.select_option("#id_advice", value=str(Advice.objects.get(code=ADVICE_READY).pk))
    shot("evaluation-form")
    page.click("form.case-form button[type=submit]")
    page.wait_for_url("**/doorverwijzen/")
    # The partner is chosen from a list, narrowed by typing part of its name.
    page.fill("input.select-filter", "Trajectwerk")
    assert page.input_value("#id_partner") == str(cast["partner"].pk)
    assert page.locator("#id_partner option:not([hidden])").count() == 2  # "— kies —" and the match
    shot("referral-form")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    referral = Referral.objects.get()
    assert referral.partner == cast["partner"] and referral.status == ReferralStatus.WAITING

    # The partner finds the person in the work queue and starts the trajectory.
    login(cast["staff"])
    page.goto("/evaluaties/doorverwijzingen/")
    assert "Verhulst" in page.inner_text("table")
    shot("work-queue")
    page.click(f"a[href='/trajecten/starten/doorverwijzing/{referral.pk}/']")
    page.fill("#id_start_date", datetime.date.today().isoformat())
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    trajectory = Trajectory.objects.get()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED and referral.trajectory == trajectory
    assert trajectory.se_employer == cast["employer"]
    shot("trajectory-detail")

    # ... adds an internship ...
    host = factories.RegularEmployerFactory(name="Logistiek Noord nv")
    page.click(f"a[href='/trajecten/{trajectory.pk}/stages/nieuw/']")
    page.fill("#id_host", host.kbo_number)
    page.fill("#id_sector", "logistiek")
    page.fill("#id_start_date", datetime.date.today().isoformat())
    shot("internship-form")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert trajectory.internships.get().host == host

    # ... and ends the trajectory with its reason.
    page.click(f"a[href='/trajecten/{trajectory.pk}/beeindigen/']")
    page.select_option("#id_end_reason", value=str(EndReason.objects.get(code="completed").pk))
    # The internship still runs: the form names it and ends it on the same day once this is ticked.
    assert "Logistiek Noord nv" in page.inner_text("form.case-form")
    page.check("#id_end_internships")
    shot("trajectory-end-form")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    trajectory.refresh_from_db()
    assert trajectory.end_reason.code == "completed" and trajectory.end_date == datetime.date.today()
    assert str(trajectory.end_reason) in page.inner_text("#end-reason")
    assert trajectory.internships.get().end_date == datetime.date.today()


def test_partner_declines_a_referral_and_the_evaluator_refers_the_person_elsewhere(page, login, shot, cast):
    factories.GrantFactory(partner=cast["partner"])
    factories.GrantFactory(partner=cast["other"])
    evaluation = factories.EvaluationFactory(employee=cast["employee"])
    referral = Referral.objects.create(
        evaluation=evaluation, employee=evaluation.employee, partner=cast["partner"], referred_by=cast["evaluator"]
    )

    # The partner declines from the work queue, with a reason from the list.
    login(cast["staff"])
    page.goto("/evaluaties/doorverwijzingen/")
    page.click(f"a[href='/evaluaties/doorverwijzingen/{referral.pk}/weigeren/']")
    page.select_option("#id_decline_reason", label="geen capaciteit")
    page.fill("#id_answer_note", "Volzet tot maart.")
    shot("referral-decline-form")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason.code == "no_capacity"

    # The evaluator sees the answer on the referral's page and refers the person to another partner.
    login(cast["evaluator"])
    page.goto(f"/evaluaties/doorverwijzingen/{referral.pk}/")
    assert "geen capaciteit: Volzet tot maart." in page.inner_text(".referral-decline-reason")
    assert "geweigerd" in page.inner_text(".referral-status")
    shot("referral-answer")
    page.click(f"a[href='/evaluaties/{evaluation.pk}/doorverwijzen/']")
    options = page.locator("#id_partner option").all_inner_texts()
    assert "Trajectwerk vzw" not in options and "Andere Partner vzw" in options
    page.select_option("#id_partner", label="Andere Partner vzw")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    again = Referral.objects.get(partner=cast["other"])
    assert again.status == ReferralStatus.WAITING and again.evaluation == evaluation

    # ... and, the person having moved, withdraws it with a reason.
    page.click(f"a[href='/evaluaties/doorverwijzingen/{again.pk}/intrekken/']")
    page.fill("#id_withdrawal_reason", "De persoon is verhuisd.")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    again.refresh_from_db()
    assert again.status == ReferralStatus.WITHDRAWN and again.withdrawal_reason == "De persoon is verhuisd."

    # Both referrals are on the person's timeline.
    page.goto(f"/personen/{evaluation.employee_id}/")
    assert page.locator(".timeline-referral").count() == 2


def test_a_form_error_is_shown_next_to_its_field_in_the_browser(page, login, cast):
    trajectory = factories.TrajectoryFactory(partner=cast["partner"], employee=cast["employee"])
    login(cast["staff"])
    page.goto(f"/trajecten/{trajectory.pk}/stages/nieuw/")
    page.fill("#id_host", "bestaat-niet")
    page.fill("#id_sector", "zorg")
    page.click("form.case-form button[type=submit]")
    assert page.get_attribute("#id_host", "aria-invalid") == "true"
    assert page.is_visible("#id_host_errors")
    assert page.input_value("#id_sector") == "zorg"


def test_partner_staff_cannot_open_another_partners_trajectory_by_url(page, login, cast):
    theirs = factories.TrajectoryFactory(partner=cast["other"], employee__last_name="Vandeanderepartner")
    login(cast["staff"])
    response = page.goto(f"/trajecten/{theirs.pk}/")
    assert response.status == 404
    assert theirs.employee.last_name not in page.content()
    response = page.goto(f"/trajecten/{theirs.pk}/beeindigen/")
    assert response.status == 404


def test_administrator_filters_a_list_and_downloads_the_xlsx(page, login, shot, cast):
    kept = factories.TrajectoryFactory(partner=cast["partner"], start_date=datetime.date(2019, 4, 1))
    dropped = factories.TrajectoryFactory(partner=cast["other"], start_date=datetime.date(2020, 4, 1))
    login(cast["admin"])
    page.goto("/trajecten/")
    page.fill("#id_year", "2019")
    page.click("form.filter-form button[type=submit]")
    page.wait_for_url("**year=2019**")
    shot("trajectory-list-filtered")
    with page.expect_download() as info:
        page.click("a[href*='_export=xlsx']")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert kept.employee.insz in cells
    assert dropped.employee.insz not in cells


def test_a_caseworker_pages_through_the_persons_with_next_and_back_with_previous(page, login, cast):
    """The "volgende" link reads the next page from the last row shown (a keyset page); "vorige" goes back."""
    for index in range(30):
        factories.EmployeeFactory(last_name=f"Persoon{index:02d}", first_name="An")
    login(cast["admin"])
    page.goto("/personen/")
    first = page.locator("main table tbody tr").all_inner_texts()
    page.click("a[rel=next]")
    page.wait_for_url("**after=**")
    second = page.locator("main table tbody tr").all_inner_texts()
    assert len(first) == 25 and 1 <= len(second) <= 25
    assert not set(first) & set(second)
    assert "Verhulst" in " ".join(second) and "Persoon00" in " ".join(first)  # in name order, A to Z
    page.click("a[rel=prev]")
    page.wait_for_url("**before=**")
    assert page.locator("main table tbody tr").all_inner_texts() == first


def test_a_new_administrator_links_an_app_with_the_code_another_administrator_issues(page, login, cast):
    """Issue 12, item 8: the password alone shows no key; the code issued in the app does, once."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    newcomer = _user(Role.ADMINISTRATOR, username="nieuwe-beheerder", first_name="Nora", is_staff=True)
    login(cast["admin"])
    page.click(f"a[href$='/gebruiker/code/inschrijven/{newcomer.pk}/']")
    page.click("main form button[type=submit]")
    code = page.inner_text("#otp-enrolment-code").strip()

    page.context.clear_cookies()
    page.goto("/gebruiker/aanmelden/")
    page.fill("input[name=username]", newcomer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/gebruiker/code/instellen/**")
    assert page.locator("#otp-secret").count() == 0
    page.fill("input[name=enrolment_code]", code)
    page.click("main form button[type=submit]")
    secret = page.inner_text("#otp-secret").strip()
    totp = TOTP(b32decode(secret))
    page.fill("input[name=code]", f"{totp.token():06d}")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/")
    assert "Welkom" in page.inner_text("main")
