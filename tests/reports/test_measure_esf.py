"""The ESF participant measure (docs/measures.md, "ESF participants") on small hand-made data."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from tests import factories
from tests.reports.conftest import cells

D = datetime.date
pytestmark = pytest.mark.django_db

AS_OF = D(2020, 12, 31)
COMPLETE = {"esf_labour_status": "employed", "esf_education": "isced_0_2", "esf_household": "other"}


def _trajectory(person, start, end=None, **fields):
    values = {**COMPLETE, **fields}
    if end:
        return factories.TrajectoryFactory(employee=person, start_date=start, ended=True, end_date=end, **values)
    return factories.TrajectoryFactory(employee=person, start_date=start, **values)


def _regular_job(person, start, end=None):
    return factories.EmploymentFactory(employee=person, regular=True, start_date=start, end_date=end)


def test_a_participant_who_re_enters_the_call_is_one_participant_from_first_start_to_last_exit():
    person = factories.EmployeeFactory()
    _trajectory(person, D(2019, 1, 1), D(2019, 3, 31))
    _trajectory(person, D(2019, 6, 1), D(2020, 2, 29))  # re-entry, same call: one participant
    other_call = factories.CallFactory(number="999")
    _trajectory(person, D(2019, 2, 1), D(2019, 4, 30), call=other_call)  # another operation: another one

    result = cells("esf_participants", ["status"], as_of=AS_OF)
    by_year = cells("esf_participants", ["year"], as_of=AS_OF, population="left")
    by_entry = cells("esf_participants", ["entry_year", "call"], as_of=AS_OF)

    assert result["participants"] == 2
    assert result["left"] == 2
    assert by_year == {"2019": 1, "2020": 1}
    assert by_entry[("2019", "432")] == 1 and by_entry[("2019", "999")] == 1


def test_a_participant_with_a_trajectory_still_running_has_not_left():
    person = factories.EmployeeFactory()
    _trajectory(person, D(2019, 1, 1), D(2019, 3, 31))
    _trajectory(person, D(2020, 6, 1))  # running on D
    ended_after_d = factories.EmployeeFactory()
    _trajectory(ended_after_d, D(2020, 1, 1), D(2020, 12, 31))

    result = cells("esf_participants", ["status"], as_of=D(2020, 12, 30))
    by_year = cells("esf_participants", ["year"], as_of=D(2020, 12, 30))

    assert result["participants"] == 2
    assert result["left"] == 0
    assert by_year == {"still_participating": 2}


def test_employment_upon_leaving_counts_a_job_within_four_weeks_not_later():
    within = factories.EmployeeFactory()
    _trajectory(within, D(2019, 1, 1), D(2019, 6, 30))
    _regular_job(within, D(2019, 7, 28))  # day 28 after leaving
    later = factories.EmployeeFactory()
    _trajectory(later, D(2019, 1, 1), D(2019, 6, 30))
    _regular_job(later, D(2019, 7, 29))  # day 29: not upon leaving
    social = factories.EmployeeFactory()
    _trajectory(social, D(2019, 1, 1), D(2019, 6, 30))
    factories.EmploymentFactory(employee=social, start_date=D(2016, 1, 1))  # stays in the social economy

    result = cells("esf_participants", ["status"], as_of=AS_OF)

    assert result["left_4_weeks_ago"] == 3
    assert result["employed_upon_leaving"] == 2  # the first and the social-economy worker
    assert result["regular_job_upon_leaving"] == 1


def test_upon_leaving_waits_four_weeks_after_the_exit():
    person = factories.EmployeeFactory()
    _trajectory(person, D(2020, 1, 1), D(2020, 12, 10))
    _regular_job(person, D(2020, 12, 11))

    result = cells("esf_participants", ["status"], as_of=AS_OF)

    assert result["left"] == 1
    assert result["left_4_weeks_ago"] == 0
    assert result["employed_upon_leaving"] == 0


def test_education_and_job_searching_upon_leaving_come_from_the_last_trajectory():
    student = factories.EmployeeFactory()
    _trajectory(student, D(2019, 1, 1), D(2019, 2, 28), esf_leaving_situation="job_searching")
    _trajectory(student, D(2019, 3, 1), D(2019, 6, 30), esf_leaving_situation="education")
    searching = factories.EmployeeFactory()
    _trajectory(searching, D(2019, 1, 1), D(2019, 6, 30), esf_leaving_situation="job_searching")
    found = factories.EmployeeFactory()  # says job searching, but a job began within four weeks
    _trajectory(found, D(2019, 1, 1), D(2019, 6, 30), esf_leaving_situation="job_searching")
    _regular_job(found, D(2019, 7, 15))

    result = cells("esf_participants", ["status"], as_of=AS_OF)

    assert result["education_upon_leaving"] == 1
    assert result["job_searching_upon_leaving"] == 1
    assert result["employed_upon_leaving"] == 1


def test_employment_six_months_after_leaving_needs_a_job_on_that_day_and_that_the_day_has_passed():
    kept = factories.EmployeeFactory()
    _trajectory(kept, D(2019, 1, 1), D(2019, 6, 30))
    _regular_job(kept, D(2019, 7, 1))
    lost = factories.EmployeeFactory()
    _trajectory(lost, D(2019, 1, 1), D(2019, 6, 30))
    _regular_job(lost, D(2019, 7, 1), D(2019, 11, 30))  # ended before six months
    recent = factories.EmployeeFactory()
    _trajectory(recent, D(2020, 1, 1), D(2020, 9, 30))  # six months not yet passed on D
    _regular_job(recent, D(2020, 10, 1))

    result = cells("esf_participants", ["status"], as_of=AS_OF)

    assert result["left_6_months_ago"] == 2
    assert result["employed_6_months_after"] == 1
    assert result["regular_job_6_months_after"] == 1
    assert result["employed_upon_leaving"] == 3


def test_incomplete_participants_count_in_the_grand_total_only():
    complete = factories.EmployeeFactory(gender="m")
    _trajectory(complete, D(2019, 1, 1), D(2019, 6, 30))
    no_birth = factories.EmployeeFactory(unknown_birth_date=True)
    _trajectory(no_birth, D(2019, 1, 1), D(2019, 6, 30))
    no_gender = factories.EmployeeFactory(gender="")
    _trajectory(no_gender, D(2019, 1, 1), D(2019, 6, 30))
    for field, value in (("esf_education", "refused"), ("esf_household", "unknown"), ("esf_labour_status", "")):
        _trajectory(factories.EmployeeFactory(), D(2019, 1, 1), D(2019, 6, 30), **{field: value})

    result = cells("esf_participants", ["status"], as_of=AS_OF)
    by_gender = cells("esf_participants", ["gender"], as_of=AS_OF)
    by_education = cells("esf_participants", ["education"], as_of=AS_OF)

    assert result["participants"] == 6
    assert result["incomplete"] == 5
    assert result["complete"] == 1
    assert result["left"] == 1
    assert result["men"] == 1 and result["women"] == 0
    assert by_gender == {"m": 1, "incomplete": 5}
    assert by_education == {"isced_0_2": 1, "incomplete": 5}


def test_output_indicators_of_the_characteristics_on_entry():
    young = factories.EmployeeFactory(birth_date=D(1998, 1, 1))
    _trajectory(young, D(2019, 1, 1), esf_labour_status="long_term_unemployed", esf_education="isced_3_4")
    old = factories.EmployeeFactory(birth_date=D(1960, 1, 1))
    _trajectory(old, D(2019, 1, 1), esf_labour_status="inactive", esf_household="single_adult_with_children")
    _trajectory(factories.EmployeeFactory(), D(2019, 1, 1), esf_household="jobless_with_children")

    result = cells("esf_participants", ["status"], as_of=AS_OF)

    assert result["long_term_unemployed"] == 1 and result["unemployed"] == 1
    assert result["inactive"] == 1 and result["inactive_not_in_education"] == 0
    assert result["employed"] == 1
    assert result["below_25"] == 1 and result["above_54"] == 1 and result["above_54_unemployed_or_inactive"] == 1
    assert (result["isced_0_2"], result["isced_3_4"], result["isced_5_8"]) == (2, 1, 0)
    assert result["jobless_household"] == 1 and result["jobless_household_with_children"] == 1
    assert result["single_adult_with_children"] == 1


def test_the_entry_carries_the_characteristics():
    person = factories.EmployeeFactory()
    _trajectory(person, D(2019, 1, 1), D(2019, 3, 31), esf_education="isced_5_8")
    _trajectory(person, D(2019, 6, 1), esf_education="isced_0_2")

    assert cells("esf_participants", ["education"], as_of=AS_OF) == {"isced_5_8": 1}


def test_the_register_of_a_past_day_gives_the_participants_as_then_known(later):
    person = factories.EmployeeFactory()
    trajectory = _trajectory(person, D(2019, 1, 1), esf_education="")
    trajectory.esf_education = "isced_3_4"
    trajectory._history_date = later
    trajectory.save()

    then = cells("esf_participants", ["status"], as_of=D(2019, 12, 31), known_at=D(2020, 1, 31))
    now = cells("esf_participants", ["status"], as_of=D(2019, 12, 31))

    assert (then["incomplete"], now["incomplete"]) == (1, 0)


def _export(capsys, slug, fmt):
    call_command("export_report", slug, "--format", fmt, "--as-of", "2020-12-31")
    return capsys.readouterr().out


def test_the_saved_reports_export_in_the_shape_of_every_report(capsys):
    _trajectory(factories.EmployeeFactory(), D(2019, 1, 1), D(2019, 6, 30))

    esf = json.loads(_export(capsys, "esf_results_by_year", "json"))
    other = json.loads(_export(capsys, "q2d_at_work", "json"))
    rows = list(csv.DictReader(io.StringIO(_export(capsys, "esf_participants", "csv"))))

    assert esf.keys() == other.keys()
    assert esf["dimensions"] == ["status", "year"]
    assert {"status": "left", "year": "2019", "value": 1} in esf["rows"]
    participant = [row for row in rows if row["status"] == "employed_upon_leaving"]
    assert len(participant) == 1 and participant[0]["participant"].startswith("T")


def test_the_participant_records_open_as_a_workbook_with_a_row_per_participant(tmp_path):
    first = _trajectory(factories.EmployeeFactory(), D(2019, 1, 1), D(2019, 6, 30))
    second = _trajectory(factories.EmployeeFactory(), D(2019, 2, 1))
    path = tmp_path / "esf.xlsx"

    call_command("export_report", "esf_participants", "--format", "xlsx", "--as-of", "2020-12-31", "--output", path)

    sheet = openpyxl.load_workbook(path).worksheets[0]
    cells_text = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert {f"T{first.pk}", f"T{second.pk}"} <= cells_text
