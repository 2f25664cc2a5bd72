"""List pages: scoped to the user, filtered, exported as filtered, and a constant number of queries."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employees.filters import EmployeeFilter
from employees.models import Employee
from evaluations.filters import EvaluationFilter
from evaluations.models import Evaluation, Referral
from tests import factories
from tests.conftest import security_queries


def _body(response) -> bytes:
    """The whole body of a response, streamed (exports) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def _queries(client, url, params=None):
    # A streamed export runs its queries while the body is read, so the body is read inside.
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
        _body(response)
    assert response.status_code == 200
    return len(context.captured_queries)


def _make_rows(name, count, partner):
    for _ in range(count):
        if name == "employees:list":
            factories.TrajectoryFactory(partner=partner)
        elif name == "evaluations:list":  # of a person the partner guides, so that partner staff see it too
            factories.EvaluationFactory(employee=factories.TrajectoryFactory(partner=partner).employee)
        elif name == "evaluations:referral_list":
            evaluation = factories.EvaluationFactory()
            Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
        elif name == "trajectories:list":
            factories.InternshipFactory(trajectory=factories.TrajectoryFactory(partner=partner))
        elif name == "trajectories:internship_list":
            factories.InternshipFactory(trajectory__partner=partner)
        elif name == "employees:access_log":
            person = factories.EmployeeFactory()
            from people.services import person_lookup

            person_lookup(user=factories.UserFactory(organisation=partner), insz=person.insz)
        elif name == "partners:organisation_list":
            factories.OrganisationFactory()
        elif name == "partners:grant_list":
            factories.GrantFactory(partner=partner, year=2000 + factories.Grant.objects.count())
        elif name == "partners:pilot_list":
            factories.PilotFactory().organisations.add(factories.OrganisationFactory())


LISTS = [
    "employees:list",
    "employees:access_log",
    "evaluations:list",
    "evaluations:referral_list",
    "trajectories:list",
    "trajectories:internship_list",
    "partners:organisation_list",
    "partners:grant_list",
    "partners:pilot_list",
]


# The access log is for administrators only (partner staff get 404: tests/test_url_matrix.py).
LIST_ROLES = [
    (name, role)
    for name in LISTS
    for role in ("administrator", "partner_staff")
    if not (name == "employees:access_log" and role == "partner_staff")
]


@pytest.mark.parametrize("name, role", LIST_ROLES)
def test_a_list_page_runs_the_same_number_of_queries_for_few_and_many_rows(name, role, request, client, partner):
    client.force_login(request.getfixturevalue(role))
    url = reverse(name)
    _make_rows(name, 2, partner)
    _queries(client, url)  # the process's first list page reads which tables note their changes (common/changes.py)
    few = _queries(client, url)
    _make_rows(name, 30, partner)
    many = _queries(client, url)
    assert few == many
    # 13: the page is read in two queries, its ids and then its rows (the deferred join of common/tables.py).
    assert many <= 13 + security_queries(role)


@pytest.mark.parametrize("name, role", LIST_ROLES)
def test_the_page_behind_next_runs_the_same_number_of_queries_for_few_and_many_rows(
    name, role, request, client, partner
):
    """The "next" link of page 1 (a keyset page where the order allows it, else by number)."""
    client.force_login(request.getfixturevalue(role))
    url = reverse(name)

    def next_page():
        link = _next_link(client.get(url))
        assert link, "a second page"
        return url + link

    _make_rows(name, 27, partner)
    few = _queries(client, next_page())
    _make_rows(name, 30, partner)
    assert _queries(client, next_page()) == few
    # One more than page 1 at most: the cursor row's sort keys, read by id.
    assert few <= 14 + security_queries(role)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_export_runs_the_same_number_of_queries_for_few_and_many_rows(name, client, administrator, partner):
    client.force_login(administrator)
    url = reverse(name)
    _make_rows(name, 2, partner)
    few = _queries(client, url, {"_export": "csv"})
    _make_rows(name, 20, partner)
    assert _queries(client, url, {"_export": "csv"}) == few


def test_trajectory_list_shows_only_the_partners_own_trajectories(client, partner_staff, partner, other_partner):
    own = factories.TrajectoryFactory(partner=partner)
    other = factories.TrajectoryFactory(partner=other_partner)
    client.force_login(partner_staff)
    content = _body(client.get(reverse("trajectories:list"))).decode()
    assert reverse("trajectories:detail", args=[own.pk]) in content
    assert reverse("trajectories:detail", args=[other.pk]) not in content
    # Partner staff see the INSZ masked: the check digits only.
    assert own.employee.insz not in content and f"••.••.••-•••.{own.employee.insz[-2:]}" in content


def test_trajectory_export_contains_only_the_filtered_rows(client, administrator):
    kept = factories.TrajectoryFactory(start_date=datetime.date(2019, 4, 1))
    dropped = factories.TrajectoryFactory(start_date=datetime.date(2020, 4, 1))
    client.force_login(administrator)
    response = client.get(reverse("trajectories:list"), {"year": 2019, "_export": "csv"})
    body = _body(response).decode()
    assert kept.employee.insz in body
    assert dropped.employee.insz not in body


def test_partner_export_never_contains_another_partners_trajectory(client, partner_staff, partner, other_partner):
    factories.TrajectoryFactory(partner=partner)
    other = factories.TrajectoryFactory(partner=other_partner)
    client.force_login(partner_staff)
    response = client.get(reverse("trajectories:list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert other.employee.insz not in cells
    assert sheet.max_row == 2  # header and the partner's own trajectory


def test_search_finds_a_person_by_insz_and_by_name(client, evaluator):
    anna = factories.EmployeeFactory(first_name="Anna", last_name="Xanthopoulou")
    factories.EmployeeFactory(first_name="Bert", last_name="Qwertzuiop")
    client.force_login(evaluator)
    # The search form posts; an INSZ comes back as a session token in the list's address (common/insz_search.py).
    redirect = client.post(reverse("employees:list"), {"q": anna.insz})
    assert redirect.status_code == 302 and anna.insz not in redirect["Location"]
    by_insz = _body(client.get(redirect["Location"])).decode()
    assert "Xanthopoulou" in by_insz and "Qwertzuiop" not in by_insz
    # The same INSZ in a GET address is not acted on: the list says where to search.
    in_address = client.get(reverse("employees:list"), {"q": anna.insz})
    assert "Qwertzuiop" in _body(in_address).decode()
    assert any("zoekvak" in str(m) for m in in_address.context["messages"])
    by_name = _body(client.get(reverse("employees:list"), {"q": "qwertz"})).decode()
    assert "Qwertzuiop" in by_name and "Xanthopoulou" not in by_name


def test_status_on_a_date_keeps_the_trajectories_running_that_day(client, administrator):
    running = factories.TrajectoryFactory(start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2019, 12, 31))
    ended = factories.TrajectoryFactory(start_date=datetime.date(2018, 1, 1), end_date=datetime.date(2018, 6, 30))
    client.force_login(administrator)
    body = _body(
        client.get(reverse("trajectories:list"), {"status": "running", "on": "2019-06-01", "_export": "csv"})
    ).decode()
    assert running.employee.insz in body
    assert ended.employee.insz not in body
    body = _body(
        client.get(reverse("trajectories:list"), {"status": "ended", "on": "2019-06-01", "_export": "csv"})
    ).decode()
    assert ended.employee.insz in body and running.employee.insz not in body


def test_with_internship_filter_separates_trajectories(client, administrator):
    with_one = factories.InternshipFactory().trajectory
    without = factories.TrajectoryFactory()
    client.force_login(administrator)
    body = _body(client.get(reverse("trajectories:list"), {"with_internship": "true", "_export": "csv"})).decode()
    assert with_one.employee.insz in body and without.employee.insz not in body
    body = _body(client.get(reverse("trajectories:list"), {"with_internship": "false", "_export": "csv"})).decode()
    assert without.employee.insz in body and with_one.employee.insz not in body


def test_age_band_filter_uses_the_age_at_the_evaluation(client, evaluator):
    young = factories.EvaluationFactory(employee__birth_date=datetime.date(2000, 1, 1))
    older = factories.EvaluationFactory(employee__birth_date=datetime.date(1960, 1, 1))
    client.force_login(evaluator)
    body = _body(client.get(reverse("evaluations:list"), {"age_band": "<25", "_export": "csv"})).decode()
    assert young.employee.insz in body and older.employee.insz not in body


def test_province_filter_uses_the_employer_province(client, evaluator):
    ghent = factories.EvaluationFactory(employer__postcode=9000)
    hasselt = factories.EvaluationFactory(employer__postcode=3500)
    client.force_login(evaluator)
    body = _body(client.get(reverse("evaluations:list"), {"province": "VOV", "_export": "csv"})).decode()
    assert ghent.employee.insz in body and hasselt.employee.insz not in body


def test_office_filter_finds_a_part_of_the_office_name_in_any_case(client, evaluator):
    hasselt = factories.EvaluationFactory(office="VDAB Hasselt")
    ghent = factories.EvaluationFactory(office="VDAB Gent")
    client.force_login(evaluator)
    body = _body(client.get(reverse("evaluations:list"), {"office": "hassel", "_export": "csv"})).decode()
    assert hasselt.employee.insz in body and ghent.employee.insz not in body


# The filters that read the whole table at 1,000,000 persons until issue 17 added an index for each
# (employees 0016, evaluations 0011 and 0012). The index must match the filter's SQL exactly (the
# office's UPPER(office) LIKE), or PostgreSQL scans the table again: with sequential scans priced
# out, the plan of the filtered list names the index.
INDEXED_FILTERS = [
    (EmployeeFilter, Employee, {"gender": "x"}, "employees_emp_gender_idx"),
    (EmployeeFilter, Employee, {"age_band": "55+"}, "employees_emp_birth_date_idx"),
    (EmployeeFilter, Employee, {"registered": "2014"}, "employees_emp_registered_idx"),
    (EvaluationFilter, Evaluation, {"age_band": "<25"}, "evaluations_eval_age_date_idx"),
    (EvaluationFilter, Evaluation, {"office": "Hasselt"}, "evaluations_eval_office_trgm"),
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes and plans of PostgreSQL")
@pytest.mark.parametrize("filterset, model, data, index", INDEXED_FILTERS)
def test_a_filter_of_a_big_list_can_be_answered_from_its_index(filterset, model, data, index, db):
    filtered = filterset(data, queryset=model.objects.order_by())
    assert filtered.is_valid()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = filtered.qs.values("pk").explain()
    assert index in plan


def test_no_filter_offers_a_dropdown_of_more_than_200_options(client, administrator):
    for _ in range(5):
        factories.OrganisationFactory()
    client.force_login(administrator)
    for name in LISTS:
        form = client.get(reverse(name)).context["filter"].form
        for field_name, field in form.fields.items():
            choices = getattr(field, "choices", None)
            if choices is not None:
                assert len(list(choices)) <= 200, f"{name}.{field_name}"
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                assert queryset.model._meta.model_name not in {"organisation", "employee"}, f"{name}.{field_name}"


def test_analyst_gets_no_person_level_list(client, analyst):
    client.force_login(analyst)
    for name in ("employees:list", "evaluations:list", "trajectories:list", "trajectories:internship_list"):
        assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("partners:organisation_list")).status_code == 200


def _fill_case(employee, partner, first, count):
    for index in range(first, first + count):
        factories.EmploymentFactory(employee=employee, start_date=datetime.date(2000 + index, 1, 1))
        factories.EvaluationFactory(employee=employee)
        trajectory = factories.TrajectoryFactory(
            employee=employee, partner=partner, start_date=datetime.date(2000 + index, 2, 1)
        )
        factories.InternshipFactory(trajectory=trajectory)


def test_the_person_page_runs_the_same_number_of_queries_however_long_the_story(client, administrator, partner):
    employee = factories.EmployeeFactory()
    _fill_case(employee, partner, 0, 1)
    client.force_login(administrator)
    url = reverse("employees:detail", args=[employee.pk])
    few = _queries(client, url)
    _fill_case(employee, partner, 1, 8)
    assert len(client.get(url).context["timeline"]) == 9 * 4
    assert _queries(client, url) == few
    # On a chosen date (the person's work situation then), still the same.
    assert _queries(client, url, {"on": "2004-06-01"}) == few
    assert _queries(client, url, {"on": "1999-06-01"}) == few


def test_the_trajectory_page_runs_the_same_number_of_queries_however_many_internships(client, administrator):
    trajectory = factories.TrajectoryFactory()
    factories.InternshipFactory(trajectory=trajectory)
    client.force_login(administrator)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    few = _queries(client, url)
    for days in range(31, 39):
        factories.InternshipFactory(
            trajectory=trajectory, start_date=trajectory.start_date + datetime.timedelta(days=days)
        )
    assert _queries(client, url) == few


@pytest.mark.parametrize("name", LISTS)
def test_every_sortable_column_sorts_both_ways(name, client, administrator, partner):
    _make_rows(name, 2, partner)
    client.force_login(administrator)
    table = client.get(reverse(name)).context["table"]
    sortable = [column.name for column in table.columns if column.orderable]
    assert sortable
    for column in sortable:
        for direction in ("", "-"):
            response = client.get(reverse(name), {"sort": f"{direction}{column}"})
            assert response.status_code == 200, f"{name} sort={direction}{column}"


def test_sorting_by_start_date_orders_the_trajectories(client, administrator):
    late = factories.TrajectoryFactory(start_date=datetime.date(2020, 1, 1))
    early = factories.TrajectoryFactory(start_date=datetime.date(2018, 1, 1))
    client.force_login(administrator)
    rows = list(client.get(reverse("trajectories:list"), {"sort": "start_date"}).context["table"].page.object_list)
    assert [row.record for row in rows] == [early, late]
    rows = list(client.get(reverse("trajectories:list"), {"sort": "-start_date"}).context["table"].page.object_list)
    assert [row.record for row in rows] == [late, early]


def _csv_field(value: str) -> str:
    """The value as the CSV writer writes it (quoted when it must be)."""
    out = io.StringIO()
    csv.writer(out).writerow([value])
    return out.getvalue()[: -len("\r\n")]


def _xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_export_holds_exactly_the_filtered_rows_with_the_list_headings(client, administrator):
    kept = [factories.TrajectoryFactory(start_date=datetime.date(2019, 4, day)) for day in (1, 2, 3)]
    dropped = factories.TrajectoryFactory(start_date=datetime.date(2020, 4, 1))
    client.force_login(administrator)
    response = client.get(reverse("trajectories:list"), {"year": 2019, "_export": "xlsx"})
    assert response.status_code == 200
    from django.utils import timezone
    from django.utils.text import slugify

    from trajectories.models import Trajectory

    name = f"{slugify(str(Trajectory._meta.verbose_name_plural))}-{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    rows = _xlsx_rows(response)
    csv_header = (
        _body(client.get(reverse("trajectories:list"), {"year": 2019, "_export": "csv"})).decode().splitlines()[0]
    )
    assert ",".join(str(value) for value in rows[0]) == csv_header
    cells = {str(value) for row in rows[1:] for value in row}
    assert len(rows) == 1 + len(kept)
    assert all(trajectory.employee.insz in cells for trajectory in kept)
    assert dropped.employee.insz not in cells


def test_xlsx_export_above_the_sheet_limit_is_refused_with_a_message_and_no_file(client, administrator, monkeypatch):
    from common import export

    monkeypatch.setattr(export, "XLSX_MAX_DATA_ROWS", 2)
    for day in (1, 2, 3):
        factories.TrajectoryFactory(start_date=datetime.date(2019, 4, day))
    client.force_login(administrator)
    response = client.get(reverse("trajectories:list"), {"year": 2019, "_export": "xlsx"})
    assert response.status_code == 302
    assert "_export" not in response["Location"] and "year=2019" in response["Location"]
    assert "Content-Disposition" not in response
    page = client.get(response["Location"]).content.decode()
    assert "meer dan 2 rijen" in page


def test_xlsx_export_at_the_sheet_limit_is_made(client, administrator, monkeypatch):
    from common import export

    monkeypatch.setattr(export, "XLSX_MAX_DATA_ROWS", 2)
    for day in (1, 2):
        factories.TrajectoryFactory(start_date=datetime.date(2019, 4, day))
    client.force_login(administrator)
    response = client.get(reverse("trajectories:list"), {"year": 2019, "_export": "xlsx"})
    assert response.status_code == 200
    assert len(_xlsx_rows(response)) == 3


def test_a_csv_export_of_many_rows_is_streamed(client, administrator):
    factories.TrajectoryFactory()
    client.force_login(administrator)
    response = client.get(reverse("trajectories:list"), {"_export": "csv"})
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="')


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_export_cells_that_a_spreadsheet_would_read_as_a_formula_get_an_apostrophe(text, client, administrator):
    factories.EmployeeFactory(last_name=text, first_name="Formule")
    client.force_login(administrator)
    rows = _xlsx_rows(client.get(reverse("employees:list"), {"_export": "xlsx"}))
    # XML (inside an XLSX file) reads a carriage return back as a line feed.
    cells = {value.replace("\n", "\r") if isinstance(value, str) else value for row in rows for value in row}
    assert "'" + text in cells
    assert text not in cells
    body = _body(client.get(reverse("employees:list"), {"_export": "csv"})).decode()
    assert _csv_field("'" + text) in body
    assert "," + _csv_field(text) not in body and "\n" + _csv_field(text) not in body


def test_export_cells_that_are_plain_text_are_left_as_they_are(client, administrator):
    factories.EmployeeFactory(last_name="Peeters-Janssens", first_name="Formule")
    client.force_login(administrator)
    rows = _xlsx_rows(client.get(reverse("employees:list"), {"_export": "xlsx"}))
    cells = {value for row in rows for value in row}
    assert "Peeters-Janssens" in cells
    assert "'Peeters-Janssens" not in cells


# --- Paging and search at scale (issue 6) ------------------------------------------------------------


def _records(response):
    return [row.record for row in response.context["table"].page.object_list]


def test_a_page_is_read_by_its_ids_first_then_its_rows_by_id_without_offset(client, administrator):
    """The deferred join: the ids of page 2 with OFFSET (the id alone), then those rows with their joins by id."""
    for day in range(30):
        factories.EvaluationFactory(evaluation_date=datetime.date(2019, 1, 1) + datetime.timedelta(days=day))
    client.force_login(administrator)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("evaluations:list"), {"page": 2})
    page_queries = [
        q["sql"]
        for q in context.captured_queries
        if 'FROM "evaluations_evaluation"' in q["sql"] and "COUNT(" not in q["sql"]
    ]
    ids, rows = page_queries
    assert ids.startswith('SELECT "evaluations_evaluation"."id"') and "OFFSET 25" in ids and "JOIN" not in ids
    assert "OFFSET" not in rows and '"evaluations_evaluation"."id" IN (' in rows and "JOIN" in rows
    dates = [record.evaluation_date for record in _records(response)]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    assert dates[0] == datetime.date(2019, 1, 5)  # newest first: page 2 starts with the 26th newest


def test_rows_with_the_same_sort_key_neither_repeat_nor_go_missing_between_pages(client, administrator):
    people = [factories.EmployeeFactory(first_name="An", last_name="Peeters") for _ in range(30)]
    client.force_login(administrator)
    first = _records(client.get(reverse("employees:list")))
    second = _records(client.get(reverse("employees:list"), {"page": 2}))
    assert len(first) == 25 and len(second) == 5
    assert sorted(p.pk for p in first + second) == sorted(p.pk for p in people)
    assert [p.pk for p in first + second] == sorted(p.pk for p in people)  # the id breaks the tie


def _page_link(response, rel):
    """The address of a page's "next" or "prev" link, as the browser follows it."""
    import html
    import re

    found = re.search(rf'<a href="([^"]*)" class="page-link" rel="{rel}">', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def _next_link(response):
    return _page_link(response, "next")


def _prev_link(response):
    return _page_link(response, "prev")


def test_following_next_and_previous_reads_keyset_pages_with_every_row_once(client, administrator):
    """The "next" link carries the page's last row, and the next page is read from it by the sort keys
    (last name, first name, id) without OFFSET; every row comes once, in the order of the page numbers."""
    people = [factories.EmployeeFactory(first_name=f"Voornaam{i % 4}", last_name=f"Naam{i % 7}") for i in range(60)]
    expected = [p.pk for p in sorted(people, key=lambda p: (p.last_name, p.first_name, p.pk))]
    client.force_login(administrator)
    url = reverse("employees:list")
    response = client.get(url)
    seen = [p.pk for p in _records(response)]
    link = _next_link(response)
    assert "after=" in link and "page=2" in link
    assert "volgende" in response.content.decode()  # the link's text, in Dutch
    with CaptureQueriesContext(connection) as context:
        response = client.get(url + link)
    ids_query = [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].startswith('SELECT "employees_employee"."id"') and "LIMIT 25" in q["sql"]
    ]
    assert ids_query and "OFFSET" not in ids_query[0]
    if connection.vendor == "postgresql":  # a row comparison, which the index on the sort keys seeks
        assert (
            '("employees_employee"."last_name", "employees_employee"."first_name", "employees_employee"."id") > ('
            in ids_query[0]
        )
    assert response.context["table"].page.number == 2
    seen += [p.pk for p in _records(response)]
    response = client.get(url + _next_link(response))
    assert response.context["table"].page.number == 3
    third = [p.pk for p in _records(response)]
    seen += third
    assert seen == expected and len(third) == 10
    back = client.get(url + _prev_link(response))
    assert "before=" in _prev_link(response)
    assert back.context["table"].page.number == 2
    assert [p.pk for p in _records(back)] == expected[25:50]


def test_a_keyset_page_follows_the_chosen_sort_and_the_filter(client, administrator):
    for i in range(60):
        factories.EmployeeFactory(first_name="An", last_name=f"Naam{i:02d}", gender="f" if i % 2 else "m")
    client.force_login(administrator)
    url = reverse("employees:list")
    first = client.get(url, {"sort": "-last_name", "gender": "f"})
    second = client.get(url + _next_link(first))
    names = [p.last_name for p in _records(first) + _records(second)]
    assert "gender=f" in _next_link(first) and "sort=-last_name" in _next_link(first)
    assert names == [f"Naam{i:02d}" for i in range(59, 0, -2)]


def test_a_cursor_the_user_may_not_see_or_that_makes_no_sense_falls_back_to_the_page_number(
    client, partner_staff, partner, other_partner
):
    """A cursor is only a row id: it is looked up in the user's own scope, so another partner's person
    reveals nothing and the page is read by its number; a cursor that is not a number is ignored."""
    for i in range(30):
        factories.TrajectoryFactory(partner=partner, employee__last_name=f"Eigen{i:02d}")
    stranger = factories.TrajectoryFactory(partner=other_partner, employee__last_name="Aaa").employee
    client.force_login(partner_staff)
    url = reverse("employees:list")
    by_number = [p.pk for p in _records(client.get(url, {"page": 2}))]
    assert len(by_number) == 5
    for cursor in (stranger.pk, "abc", "-1", "9" * 40):
        response = client.get(url, {"page": 2, "after": cursor})
        assert response.status_code == 200
        assert [p.pk for p in _records(response)] == by_number


def test_sorting_or_choosing_a_page_number_forgets_the_cursor(client, administrator):
    factories.EmployeeFactory.create_batch(30)
    client.force_login(administrator)
    url = reverse("employees:list")
    second = client.get(url + _next_link(client.get(url)))
    text = second.content.decode()
    import html
    import re

    sort_links = [html.unescape(h) for h in re.findall(r'<th[^>]*>\s*<a href="([^"]*)"', text)]
    assert sort_links and all("after=" not in h and "page=" not in h for h in sort_links)
    number_links = [html.unescape(h) for h in re.findall(r'<a class="page-link" href="([^"]*)"', text)]
    assert number_links and all("after=" not in h and "before=" not in h for h in number_links)


def test_a_filtered_page_is_in_the_same_order_as_the_whole_list(client, administrator):
    """A search sorts its matches itself (COALESCE(column, column), no index); the order must not change."""
    for last, first in [("Claes", "Bert"), ("Claes", "Anna"), ("Aerts", "Claes"), ("Wouters", "Jan")]:
        factories.EmployeeFactory(first_name=first, last_name=last)
    client.force_login(administrator)
    found = _records(client.get(reverse("employees:list"), {"q": "claes"}))
    assert [(p.last_name, p.first_name) for p in found] == [("Aerts", "Claes"), ("Claes", "Anna"), ("Claes", "Bert")]
    backwards = _records(client.get(reverse("employees:list"), {"q": "claes", "sort": "-last_name"}))
    assert [p.last_name for p in backwards] == ["Claes", "Claes", "Aerts"]


def test_the_evaluation_search_finds_by_person_and_by_employer_and_every_word_must_match(client, administrator):
    by_person = factories.EvaluationFactory(employee__last_name="Vandenbroucke")
    by_employer = factories.EvaluationFactory(employer=factories.OrganisationFactory(name="Vandenbroucke Bouw nv"))
    both = factories.EvaluationFactory(
        employee__first_name="Mira", employer=factories.OrganisationFactory(name="Vandenbroucke Zorg vzw")
    )
    factories.EvaluationFactory(employee__last_name="Janssens")
    client.force_login(administrator)
    found = _records(client.get(reverse("evaluations:list"), {"q": "vandenbroucke"}))
    assert {e.pk for e in found} == {by_person.pk, by_employer.pk, both.pk}
    assert _records(client.get(reverse("evaluations:list"), {"q": "Mira vandenbroucke"})) == [both]
    assert _records(client.get(reverse("evaluations:list"), {"q": "Mira Janssens"})) == []


@pytest.mark.parametrize(
    ("name", "make", "word"),
    [
        ("evaluations:referral_list", "referral", "Vandenbroucke"),  # through one relation only
        ("trajectories:internship_list", "internship", "Vandenbroucke"),  # two steps away: trajectory, person
        ("partners:pilot_list", "pilot", "Vandenbroucke"),  # the pilot's own name and its many organisations
    ],
)
def test_the_search_reaches_through_relations(name, make, word, client, administrator, partner):
    if make == "referral":
        evaluation = factories.EvaluationFactory(employee__last_name=word)
        wanted = Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
        factories.EvaluationFactory()
    elif make == "internship":
        wanted = factories.InternshipFactory(trajectory__employee__last_name=word)
        factories.InternshipFactory()
    else:
        wanted = factories.PilotFactory()
        wanted.organisations.add(factories.OrganisationFactory(name=f"{word} Groen"))
        factories.PilotFactory(name=f"Proeftuin {word}")
        factories.PilotFactory()
    client.force_login(administrator)
    found = _records(client.get(reverse(name), {"q": word.lower()}))
    assert wanted in found
    assert len(found) == (2 if make == "pilot" else 1)


def test_django_tables2_keeps_a_compiled_template_and_a_signature_instead_of_one_per_cell():
    """common.tables.speed_up_django_tables2: the same compiled template for the same text, and the
    arguments of a bound render method without self."""
    from django_tables2 import utils
    from django_tables2.columns import templatecolumn

    assert templatecolumn.Template("{{ value }}") is templatecolumn.Template("{{ value }}")

    class Column:
        def render(self, value, record):
            return value

    assert utils.signature(Column().render) == (("value", "record"), None)
    assert utils.call_with_appropriate(Column().render, {"value": 1, "record": 2, "table": 3}) == 1


def test_dates_in_the_lists_still_read_day_month_year(client, administrator):
    factories.EvaluationFactory(evaluation_date=datetime.date(2019, 3, 15))
    client.force_login(administrator)
    assert "15/03/2019" in client.get(reverse("evaluations:list")).content.decode()


def test_a_search_counts_its_matches_and_pages_through_them(client, administrator):
    """On PostgreSQL a search expected to leave few rows counts them in the page's own query
    (COUNT(*) OVER ()); anywhere the count, the pages and the page past the end are the same."""
    for day in range(30):
        factories.EvaluationFactory(
            employee__last_name="Vandenbroucke",
            evaluation_date=datetime.date(2019, 1, 1) + datetime.timedelta(days=day),
        )
    # Named outright: a random company name could hold "Vandenbroucke" too.
    factories.EvaluationFactory(
        employee__first_name="Els", employee__last_name="Janssens", employer__name="Werkplaats Noord"
    )
    client.force_login(administrator)
    url = reverse("evaluations:list")
    with CaptureQueriesContext(connection) as context:
        first = client.get(url, {"q": "vandenbroucke"})
    assert first.context["table"].paginator.count == 30
    assert "30 gegevens" in first.content.decode()
    if connection.vendor == "postgresql":
        assert not any("COUNT(*)" in q["sql"] for q in context.captured_queries)
        assert any("OVER ()" in q["sql"] for q in context.captured_queries)
    second = _records(client.get(url, {"q": "vandenbroucke", "page": 2}))
    assert [e.evaluation_date.day for e in second] == [5, 4, 3, 2, 1]
    assert {e.pk for e in _records(first)}.isdisjoint(e.pk for e in second)
    past = client.get(url, {"q": "vandenbroucke", "page": 9})  # past the end: django-tables2 shows the last page
    assert past.status_code == 200 and _records(past) == second


def test_a_search_sorted_by_a_relation_follows_the_related_order(client, administrator):
    """Sorting by a foreign-key column without order_by sorts by the related model's order (Instrument: name)."""
    from employees.models import Instrument

    names = sorted(Instrument.objects.values_list("name", flat=True))[:2]
    for name in reversed(names):
        factories.EvaluationFactory(employee__last_name="Vandenbroucke", instrument=Instrument.objects.get(name=name))
    client.force_login(administrator)
    found = _records(client.get(reverse("evaluations:list"), {"q": "vandenbroucke", "sort": "instrument"}))
    assert [e.instrument.name for e in found] == names
    found = _records(client.get(reverse("evaluations:list"), {"q": "vandenbroucke", "sort": "-instrument"}))
    assert [e.instrument.name for e in found] == names[::-1]


def test_a_list_of_nothing_pages_without_asking_the_database(rf, db):
    """visible_to() answers .none() to a user who may see no record: the paginator must not plan or count it."""
    from django_tables2 import RequestConfig

    from common.tables import EstimatedCountPaginator
    from employees.models import Employee
    from employees.tables import EmployeeTable

    table = EmployeeTable(Employee.objects.none())
    with CaptureQueriesContext(connection) as context:
        RequestConfig(
            rf.get("/", {"q": "x"}), paginate={"per_page": 25, "paginator_class": EstimatedCountPaginator}
        ).configure(table)
        assert list(table.page.object_list) == []
    assert context.captured_queries == []
