"""The work lists on each role's home page (issue 15, point 1): each count equals the rows of the list it
links to, for the role that sees it, and the home page costs the same number of queries however much waits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from evaluations.constants import ADVICE_NOT_READY
from evaluations.models import Referral
from imports.models import ImportRun
from partners.constants import OrganisationStatus
from people.worklists import work_lists
from tests import factories
from trajectories.services import months_before

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def referral(partner, registered_on, evaluation_date=datetime.date(2019, 3, 15)):
    evaluation = factories.EvaluationFactory(evaluation_date=evaluation_date)
    return Referral.objects.create(
        evaluation=evaluation, employee=evaluation.employee, partner=partner, registered_on=registered_on
    )


def job_after_trajectory(partner, months_ago, regular=True):
    trajectory = factories.TrajectoryFactory(partner=partner, start_date=months_before(TODAY, months_ago + 6))
    start = months_before(TODAY, months_ago) - datetime.timedelta(days=1)
    traits = {"regular": True} if regular else {}
    return factories.EmploymentFactory(employee=trajectory.employee, start_date=start, registered_on=start, **traits)


def fill(partner, other_partner, staff):
    """Records in every work list, some of them the other partner's."""
    factories.EvaluationFactory(evaluation_date=datetime.date(2018, 5, 1))  # ready, not referred
    factories.EvaluationFactory(evaluation_date=datetime.date(2019, 1, 1))  # ready, not referred
    superseded = factories.EvaluationFactory(evaluation_date=datetime.date(2018, 1, 1))
    factories.EvaluationFactory(
        employee=superseded.employee,
        evaluation_date=datetime.date(2018, 6, 1),
        advice=factories.advice(ADVICE_NOT_READY),
    )
    referral(partner, days_ago(40))  # waiting, not taken up after 30 days, overdue
    referral(partner, days_ago(5))  # waiting
    referral(other_partner, days_ago(20))  # the other partner's, overdue
    for months in (3, 6, 12, 20):
        job_after_trajectory(partner, months)
    # Past the planned end: one running (listed), one ended, one planned later, one of the other partner.
    factories.TrajectoryFactory(partner=partner, planned_end_date=days_ago(10))
    factories.TrajectoryFactory(partner=partner, planned_end_date=days_ago(10), ended=True)
    factories.TrajectoryFactory(partner=partner, planned_end_date=TODAY + datetime.timedelta(days=10))
    factories.TrajectoryFactory(partner=other_partner, planned_end_date=days_ago(10))
    # Internships of a call allowing 13 weeks: running 100 days (listed), 50 days, and ended.
    short = factories.CallFactory(number="ESF-13w", max_internship_weeks=13)
    trajectory = factories.TrajectoryFactory(partner=partner, call=short)
    for started, ended in [(100, None), (50, None), (200, days_ago(10))]:
        factories.InternshipFactory(trajectory=trajectory, start_date=days_ago(started), end_date=ended)
    job_after_trajectory(partner, 3, regular=False)  # a social-economy job: nothing to follow up
    job_after_trajectory(other_partner, 6)
    factories.OrganisationFactory(status=OrganisationStatus.PROPOSED)
    factories.TrajectoryFactory(partner=partner, access_reason="Zelf aangemeld")
    for status in ("rejected", "rejected", "imported"):
        ImportRun.objects.create(user=staff, kind="trajectories", file_name="t.csv", content=b"x", status=status)


def rows_of(response):
    context = response.context
    if "table" in context:
        return len(context["table"].page.object_list)
    if "object_list" in context:
        return len(context["object_list"])
    if "kinds" in context:  # the data-quality page: the records listed under each kind
        return sum(len(item["records"]) for item in context["kinds"])
    return len(context["runs"])


def home_lists(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["work_lists"], response.content.decode()


@pytest.mark.parametrize("role", ["evaluator", "partner_staff", "administrator"])
def test_each_count_is_the_number_of_rows_of_the_list_it_links_to(client, request, role, partner, other_partner):
    user = request.getfixturevalue(role)
    fill(partner, other_partner, request.getfixturevalue("partner_staff"))
    items, page = home_lists(client, user)
    assert items
    for item in items:
        assert f'href="{item.url}"' in page.replace("&amp;", "&")
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert rows_of(response) == item.count, (item.label, item.url)


def test_the_counts_are_those_the_data_asks_for(
    client, evaluator, partner_staff, administrator, partner, other_partner
):
    fill(partner, other_partner, partner_staff)
    counts = {
        role: [item.count for item in home_lists(client, user)[0]]
        for role, user in [("evaluator", evaluator), ("partner", partner_staff), ("administrator", administrator)]
    }
    # Evaluator: two ready and not referred (not the superseded one, nor those with a waiting referral);
    # one referral waiting 40 days.
    assert counts["evaluator"] == [2, 1]
    # Partner: two waiting referrals, one trajectory past its planned end, one internship running too long,
    # no job awaiting, ten records to fix (its ten trajectories carry no ESF characteristics), and the regular
    # jobs whose mark passed without a follow-up: jobs of 3, 6, 12 and 20 months at the 3-month mark, of 6,
    # 12 and 20 months at the 6-month mark, of 12 and 20 at 12 months.
    assert counts["partner"] == [2, 1, 1, 0, 10, 4, 3, 2]
    # Administrator: one proposed organisation, one trajectory without referral, two overdue, two rejected
    # imports, and twelve records to fix (the ESF characteristics of the twelve trajectories of the data).
    assert counts["administrator"] == [1, 1, 2, 2, 12]


def test_ready_persons_are_listed_oldest_first(client, evaluator, partner, other_partner, partner_staff):
    fill(partner, other_partner, partner_staff)
    client.force_login(evaluator)
    response = client.get(reverse("evaluations:ready_unreferred"))
    dates = [row.record.evaluation_date for row in response.context["table"].page.object_list]
    assert dates == sorted(dates)


def test_an_analyst_and_a_user_without_role_have_no_work_lists(client, analyst):
    items, _page = home_lists(client, analyst)
    assert items == []


@pytest.mark.parametrize("role", ["evaluator", "partner_staff", "administrator"])
def test_the_home_page_costs_the_same_queries_however_much_waits(
    client, request, role, partner, other_partner, django_assert_num_queries
):
    user = request.getfixturevalue(role)
    staff = request.getfixturevalue("partner_staff")
    fill(partner, other_partner, staff)
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    fill(partner, other_partner, staff)
    fill(partner, other_partner, staff)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


# Each work list says its order in a sentence above its rows (issue 15, point 3): (role, list, the sentence).
ORDERS = [
    ("evaluator", reverse_lazy("evaluations:ready_unreferred"), "Wie het langst wacht eerst (op datum van evaluatie)."),
    (
        "evaluator",
        reverse_lazy("evaluations:referral_not_taken_up"),
        "Langst wachtende eerst (op datum van toeleiding).",
    ),
    (
        "partner_staff",
        f"{reverse_lazy('evaluations:referral_list')}?status=waiting",
        "Wachtende toeleidingen eerst, daarna de nieuwste eerst (op datum van toeleiding).",
    ),
    (
        "partner_staff",
        reverse_lazy("trajectories:past_planned_end"),
        "Langst voorbij de geplande einddatum eerst (op geplande einddatum).",
    ),
    (
        "partner_staff",
        reverse_lazy("trajectories:internships_too_long"),
        "Langst lopende eerst (op start van de stage).",
    ),
    ("partner_staff", reverse_lazy("trajectories:awaiting_job"), "de langst beëindigde eerst"),
    *[
        ("partner_staff", reverse_lazy("trajectories:job_follow_up", kwargs={"months": m}), "Oudste job eerst")
        for m in (3, 6, 12)
    ],
    ("administrator", reverse_lazy("partners:organisation_proposed"), "de oudste eerst"),
    ("administrator", reverse_lazy("trajectories:access_review"), "de nieuwste eerst"),
    (
        "administrator",
        reverse_lazy("evaluations:referral_overdue"),
        "Langst wachtende eerst (op datum van toeleiding).",
    ),
    ("administrator", reverse_lazy("imports:rejected"), "de nieuwste eerst"),
    ("partner_staff", reverse_lazy("data_quality"), "per soort het laatst geregistreerde record eerst"),
    ("administrator", reverse_lazy("data_quality"), "per soort het laatst geregistreerde record eerst"),
]


@pytest.mark.parametrize("role, url, sentence", ORDERS, ids=[str(url) for _role, url, _s in ORDERS])
def test_each_work_list_says_its_order(client, request, role, url, sentence):
    client.force_login(request.getfixturevalue(role))
    page = client.get(str(url)).content.decode()
    assert " ".join(sentence.split()) in " ".join(page.split())


def test_every_work_list_of_the_home_pages_has_its_order_checked(evaluator, partner_staff, administrator):
    checked = {str(url).split("?")[0] for _role, url, _sentence in ORDERS}
    for user in (evaluator, partner_staff, administrator):
        assert {item.url.split("?")[0] for item in work_lists(user)} <= checked


def test_a_list_re_sorted_by_a_column_no_longer_claims_its_fixed_order(client, evaluator):
    client.force_login(evaluator)
    url = reverse("evaluations:ready_unreferred")
    assert "Wie het langst wacht eerst" in client.get(url).content.decode()
    assert "Wie het langst wacht eerst" not in client.get(f"{url}?sort=-evaluation_date").content.decode()


def test_a_count_past_the_cap_says_more_than_and_stops_counting(
    client, evaluator, partner_staff, partner, other_partner, monkeypatch
):
    """The home page counts a backlog up to COUNT_CAP only (issue 17: counting 40,000 to the last cost 265 ms)."""
    from people import worklists

    fill(partner, other_partner, partner_staff)
    monkeypatch.setattr(worklists, "COUNT_CAP", 1)
    items, page = home_lists(client, evaluator)
    ready, waiting = items
    assert (ready.count, ready.more) == (2, True)  # two ready and not referred: counted up to 1 + 1
    assert (waiting.count, waiting.more) == (1, False)
    assert "1+" in page and "meer dan 1" in page
