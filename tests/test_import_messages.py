"""An import reports every problem of a row, once, and a message about a choice says what is allowed."""

import datetime

import pytest

from common.identifiers import make_insz
from imports.services import import_file

INSZ = make_insz(datetime.date(1980, 5, 17), 31)
BAD_INSZ = INSZ[:-1] + str((int(INSZ[-1]) + 1) % 10)

pytestmark = pytest.mark.django_db


def errors_of(kind, text):
    result = import_file(kind=kind, content=text.encode(), file_name="file.csv", dry_run=True)
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_row_with_three_problems_reports_all_three_and_each_once():
    errors = errors_of("employees", f"insz,first_name,last_name,birth_date,gender\n{BAD_INSZ},An,,1980-13-01,z\n")
    assert sorted(column for _row, column, _message in errors) == ["birth_date", "gender", "insz", "last_name"]
    assert all(row == 2 for row, _column, _message in errors)


def test_a_wrong_choice_lists_the_allowed_values():
    errors = errors_of("employees", f"insz,first_name,last_name,gender\n{INSZ},An,Peeters,z\n")
    [(_row, column, message)] = errors
    assert column == "gender"
    assert "Kies uit: m, f, x." in message


def test_a_wrong_organisation_kind_lists_the_allowed_values_even_when_the_kbo_is_wrong():
    errors = errors_of("organisations", "kbo_number,name,kind\n0300000116,Firma,fabriek\n")
    assert [column for _row, column, _message in errors] == ["kbo_number", "kind"]
    assert "Kies uit: se_employer, partner, regular_employer." in errors[1][2]


def test_an_unknown_end_reason_lists_the_codes():
    errors = errors_of(
        "trajectories", f"insz,partner_kbo,call_number,start_date,end_reason\n{INSZ},,432,2020-01-01,x\n"
    )
    [message] = [m for _row, column, m in errors if column == "end_reason"]
    assert "Kies uit:" in message and "job_regular" in message
