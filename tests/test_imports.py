"""Importing files of every kind: good files, bad rows (all or nothing), idempotence, XLSX, access."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from common.identifiers import make_insz, make_kbo
from employees.models import Employee, Employment
from evaluations.models import Evaluation
from imports.models import ImportRun
from imports.services import import_file
from partners.models import Call, Grant, Organisation
from tests import factories
from trajectories.models import Internship, Trajectory

D = datetime.date
INSZ_A = make_insz(D(1980, 5, 17), 11)
INSZ_B = make_insz(D(1975, 2, 3), 12)
BAD_INSZ = INSZ_A[:-1] + str((int(INSZ_A[-1]) + 1) % 10)
BAD_KBO = "0300000116"


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(kind, content, *, user=None, name="file.csv", dry_run=False):
    return import_file(kind=kind, content=content, file_name=name, user=user, dry_run=dry_run)


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def history_count(model):
    return model.history.count()


@pytest.fixture
def se_employer(db):
    return factories.OrganisationFactory()


@pytest.fixture
def regular_employer(db):
    return factories.RegularEmployerFactory()


@pytest.fixture
def person(db):
    return factories.EmployeeFactory(insz=INSZ_A, birth_date=D(1980, 5, 17))


# Organisations


def test_organisations_file_creates_organisations_with_their_province(db):
    kbo = make_kbo(7_000_001)
    result = run("organisations", csv("kbo_number,name,kind,postcode", f"{kbo},Werkhuis vzw,se_employer,9000"))
    assert result.ok and result.created == 1
    organisation = Organisation.objects.get(kbo_number=kbo)
    assert (organisation.name, organisation.province) == ("Werkhuis vzw", "VOV")
    assert organisation.history.count() == 1


def test_organisation_with_bad_kbo_checksum_or_kind_is_reported_and_nothing_written(db):
    good = make_kbo(7_000_002)
    result = run(
        "organisations",
        csv(
            "kbo_number,name,kind,postcode",
            f"{good},Goed,partner,2000",
            f"{BAD_KBO},Fout,partner,2000",
            f"{make_kbo(7_000_003)},Fout,bakery,12",
        ),
    )
    found = errors_of(result)
    assert (3, "kbo_number") in [(r, c) for r, c, _m in found]
    assert {(r, c) for r, c, _m in found if r == 4} == {(4, "kind"), (4, "postcode")}
    assert not Organisation.objects.filter(kbo_number=good).exists()


def test_organisations_with_registered_on_keep_their_registration_date(db):
    """Organisations have a registration date of their own (issue 14): the column sets it, as for persons."""
    kbo = make_kbo(7_000_004)
    run("organisations", csv("kbo_number,name,kind,registered_on", f"{kbo},Oud,partner,2015-03-01"))
    assert Organisation.objects.get(kbo_number=kbo).registered_on == D(2015, 3, 1)


# Employees


def test_employees_file_creates_persons_and_defaults_registration_to_today(db):
    result = run("employees", csv("insz,first_name,last_name,birth_date,gender", f"{INSZ_A},An,Peeters,17/05/1980,f"))
    assert result.ok and result.created == 1
    employee = Employee.objects.with_insz(INSZ_A).get()
    assert (employee.birth_date, employee.gender, employee.registered_on) == (D(1980, 5, 17), "f", timezone.localdate())


def test_employee_rows_with_bad_insz_bad_date_and_model_rule_are_all_reported(db):
    result = run(
        "employees",
        csv(
            "insz,first_name,last_name,birth_date,gender",
            f"{BAD_INSZ},An,Peeters,,f",
            f"{INSZ_B},Bo,Maes,31/02/1975,m",
            f"{INSZ_A},Cas,Claes,1981-01-01,q",
        ),
    )
    found = errors_of(result)
    assert (2, "insz") in [(r, c) for r, c, _m in found]
    assert (3, "birth_date", "Deze datum bestaat niet.") in found
    row4 = {c: m for r, c, m in found if r == 4}
    assert "rijksregisternummer" in row4["birth_date"].lower() or "INSZ" in row4["birth_date"]
    assert "gender" in row4
    assert Employee.objects.count() == 0


def test_extra_and_missing_columns_refuse_the_file_with_a_clear_message(db):
    result = run("employees", csv("insz,first_name,nickname", f"{INSZ_A},An,Anneke"))
    columns = {e.column: e.message for e in result.errors}
    assert "nickname" in columns and "Onbekende kolom" in columns["nickname"]
    assert "last_name" in columns
    assert Employee.objects.count() == 0


def test_duplicate_person_within_a_file_is_an_error(db):
    result = run("employees", csv("insz,first_name,last_name", f"{INSZ_A},An,Peeters", f"{INSZ_A},An,Peeters"))
    assert [(e.row, e.column) for e in result.errors] == [(3, "insz")]
    assert "rij 2" in result.errors[0].message
    assert Employee.objects.count() == 0


def test_second_import_of_the_same_file_changes_nothing(db):
    content = csv("insz,first_name,last_name,birth_date", f"{INSZ_A},An,Peeters,1980-05-17", f"{INSZ_B},Bo,Maes,")
    first = run("employees", content)
    history = history_count(Employee)
    second = run("employees", content)
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert history_count(Employee) == history


def test_changed_row_updates_the_record_and_keeps_its_history(person):
    result = run("employees", csv("insz,first_name,last_name", f"{INSZ_A},Anneke,{person.last_name}"))
    assert (result.created, result.updated) == (0, 1)
    person.refresh_from_db()
    assert person.first_name == "Anneke"
    assert person.history.count() == 2
    assert person.registered_on == D(2018, 1, 1)  # kept: the file does not give it


def test_changed_birth_date_refreshes_stored_ages(person):
    evaluation = factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 3, 15))
    assert evaluation.age_years == 38
    run("employees", csv("insz,first_name,last_name,birth_date", f"{INSZ_A},An,P,"))
    evaluation.refresh_from_db()
    assert evaluation.age_years is None


# Employments


def test_employments_file_creates_spells(person, se_employer, regular_employer):
    result = run(
        "employments",
        csv(
            "insz,employer_kbo,instrument,start_date,end_date,support_package",
            f"{INSZ_A},{se_employer.kbo_number},collectief maatwerk,2016-01-01,2019-12-31,no",
            f"{INSZ_A},{regular_employer.kbo_number},,01/01/2020,,yes",
        ),
    )
    assert result.ok and result.created == 2
    regular = Employment.objects.get(employer=regular_employer)
    assert regular.instrument is None and regular.with_support_package and regular.end_date is None


def test_employment_rows_with_unknown_person_organisation_instrument_or_end_before_start(person, se_employer):
    result = run(
        "employments",
        csv(
            "insz,employer_kbo,instrument,start_date,end_date",
            f"{INSZ_B},{se_employer.kbo_number},,2016-01-01,",
            f"{INSZ_A},{make_kbo(7_100_000)},,2016-01-01,",
            f"{INSZ_A},{se_employer.kbo_number},vrijwilligerswerk,2016-01-01,",
            f"{INSZ_A},{se_employer.kbo_number},,2016-01-01,2015-01-01",
        ),
    )
    found = errors_of(result)
    assert (2, "insz", "Onbekende persoon: geen werknemer met dit INSZ-nummer.") in found
    assert (3, "employer_kbo") in [(r, c) for r, c, _m in found]
    assert (4, "instrument") in [(r, c) for r, c, _m in found]
    # The model's own message, as a form would show it (it names the start date).
    assert (5, "end_date", "De einddatum mag niet vóór de begindatum (01/01/2016) liggen.") in found
    assert Employment.objects.count() == 0


def test_employments_xlsx_with_real_dates_imports_like_csv(person, se_employer):
    content = xlsx(
        [
            ["insz", "employer_kbo", "instrument", "start_date", "end_date", "support_package"],
            [INSZ_A, se_employer.kbo_number, "collectief maatwerk", datetime.datetime(2016, 1, 1), None, "no"],
        ]
    )
    result = run("employments", content, name="spells.xlsx")
    assert result.ok and result.created == 1
    assert Employment.objects.get().start_date == D(2016, 1, 1)
    again = run("employments", content, name="spells.xlsx")
    assert again.unchanged == 1


def test_xlsx_errors_are_reported_with_the_row_number_of_the_sheet(person, se_employer):
    content = xlsx([["insz", "employer_kbo", "start_date"], [INSZ_A, se_employer.kbo_number, "gisteren"]])
    result = run("employments", content, name="spells.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(2, "start_date")]


def test_import_reads_rows_in_a_bounded_number_of_queries(se_employer, django_assert_max_num_queries):
    persons = factories.EmployeeFactory.create_batch(30)
    lines = ["insz,employer_kbo,instrument,start_date"]
    lines += [f"{p.insz},{se_employer.kbo_number},collectief maatwerk,2016-01-01" for p in persons]
    with django_assert_max_num_queries(25):
        result = run("employments", csv(*lines))
    assert result.created == 30


# Evaluations


def test_evaluation_takes_employer_and_instrument_from_the_spell_on_its_date(person, se_employer):
    factories.EmploymentFactory(employee=person, employer=se_employer, start_date=D(2016, 1, 1))
    result = run("evaluations", csv("insz,evaluation_date,advice", f"{INSZ_A},2019-03-15,doorstroomklaar"))
    assert result.ok, result.errors
    evaluation = Evaluation.objects.get()
    assert (evaluation.employer, evaluation.instrument.code, evaluation.advice.code) == (
        se_employer,
        "collectief-maatwerk",
        "ready",
    )
    assert evaluation.age_years == 38


def test_evaluation_with_unknown_advice_or_future_date_is_reported(person):
    future = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    result = run(
        "evaluations", csv("insz,evaluation_date,advice", f"{INSZ_A},2019-03-15,misschien", f"{INSZ_A},{future},ready")
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "advice"), (3, "evaluation_date")]
    assert Evaluation.objects.count() == 0


def test_undated_evaluation_is_kept_with_an_unknown_date_and_is_idempotent(person):
    content = csv("insz,evaluation_date,advice", f"{INSZ_A},,not_ready")
    assert run("evaluations", content).created == 1
    assert run("evaluations", content).unchanged == 1
    assert Evaluation.objects.get().evaluation_date is None


# Trajectories


def test_trajectory_takes_se_employer_from_the_spell_and_creates_a_new_call(person, partner, se_employer):
    factories.EmploymentFactory(employee=person, employer=se_employer, start_date=D(2016, 1, 1))
    result = run(
        "trajectories",
        csv(
            "insz,partner_kbo,call_number,start_date,end_date,end_reason",
            f"{INSZ_A},{partner.kbo_number},500,2019-04-01,2019-10-01,Traject volledig doorlopen",
        ),
    )
    assert result.ok, result.errors
    trajectory = Trajectory.objects.get()
    assert (trajectory.se_employer, trajectory.instrument.code, trajectory.call.number) == (
        se_employer,
        "collectief-maatwerk",
        "500",
    )
    assert trajectory.end_reason.code == "completed"
    assert Call.objects.filter(number="500").exists()


def test_trajectory_with_end_reason_but_no_end_or_non_partner_is_reported(person, partner, se_employer):
    result = run(
        "trajectories",
        csv(
            "insz,partner_kbo,call_number,start_date,end_date,end_reason",
            f"{INSZ_A},{partner.kbo_number},432,2019-04-01,,completed",
            f"{INSZ_A},{se_employer.kbo_number},432,2019-05-01,,",
        ),
    )
    found = [(e.row, e.column) for e in result.errors]
    assert (2, "end_date") in found and (3, "partner_kbo") in found
    assert Trajectory.objects.count() == 0
    assert not Call.objects.exclude(number="432").exists()


def test_partner_staff_cannot_import_another_partners_trajectory(person, partner, other_partner, partner_staff):
    factories.TrajectoryFactory(employee=person, partner=partner, start_date=D(2018, 1, 1))
    result = run(
        "trajectories",
        csv("insz,partner_kbo,call_number,start_date", f"{INSZ_A},{other_partner.kbo_number},432,2019-04-01"),
        user=partner_staff,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "partner_kbo")]
    assert "Niet uw organisatie" in result.errors[0].message


def test_partner_staff_imports_own_trajectory_for_a_person_it_guides(person, partner, partner_staff):
    factories.TrajectoryFactory(employee=person, partner=partner, start_date=D(2018, 1, 1))
    result = run(
        "trajectories",
        csv("insz,partner_kbo,call_number,start_date", f"{INSZ_A},{partner.kbo_number},432,2019-04-01"),
        user=partner_staff,
    )
    assert result.ok and result.created == 1


def test_partner_staff_cannot_reach_a_person_it_does_not_guide(person, partner, partner_staff):
    result = run(
        "trajectories",
        csv("insz,partner_kbo,call_number,start_date", f"{INSZ_A},{partner.kbo_number},432,2019-04-01"),
        user=partner_staff,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "insz")]


# Internships


def test_internship_is_attached_to_the_trajectory_starting_on_the_given_date(person, partner, regular_employer):
    trajectory = factories.TrajectoryFactory(employee=person, partner=partner, start_date=D(2019, 4, 1))
    header = "insz,partner_kbo,trajectory_start_date,host_kbo,sector,start_date,end_date"
    content = csv(
        header, f"{INSZ_A},{partner.kbo_number},2019-04-01,{regular_employer.kbo_number},retail,2019-05-01,2019-06-30"
    )
    result = run("internships", content)
    assert result.ok and Internship.objects.get().trajectory == trajectory
    assert run("internships", content).unchanged == 1


def test_internship_before_its_trajectory_or_without_trajectory_is_reported(person, partner, regular_employer):
    factories.TrajectoryFactory(employee=person, partner=partner, start_date=D(2019, 4, 1))
    header = "insz,partner_kbo,trajectory_start_date,host_kbo,sector,start_date"
    result = run(
        "internships",
        csv(
            header,
            f"{INSZ_A},{partner.kbo_number},2019-04-01,{regular_employer.kbo_number},retail,2019-03-01",
            f"{INSZ_A},{partner.kbo_number},2019-04-02,{regular_employer.kbo_number},retail,2019-05-01",
        ),
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "start_date"), (3, "trajectory_start_date")]
    assert Internship.objects.count() == 0


# Grants


def test_grants_file_creates_and_updates_grants(partner):
    header = "call_number,partner_kbo,year,esf_amount,flemish_amount,spent_amount"
    assert run("grants", csv(header, f"432,{partner.kbo_number},2019,16800.00,25200.00,")).created == 1
    result = run("grants", csv(header, f'432,{partner.kbo_number},2019,16800,25200,"40000,50"'))
    assert (result.created, result.updated) == (0, 1)
    assert Grant.objects.get().spent_amount == Decimal("40000.50")


def test_grant_with_negative_amount_or_bad_year_is_reported(partner):
    header = "call_number,partner_kbo,year,esf_amount,flemish_amount"
    result = run("grants", csv(header, f"432,{partner.kbo_number},1990,-5,25200", f"432,{partner.kbo_number},twee,1,1"))
    found = [(e.row, e.column) for e in result.errors]
    assert (2, "esf_amount") in found and (2, "year") in found and (3, "year") in found
    assert Grant.objects.count() == 0


# The command


def test_command_imports_a_file_and_records_the_run(tmp_path, db, capsys):
    path = tmp_path / "employees.csv"
    path.write_bytes(csv("insz,first_name,last_name", f"{INSZ_A},An,Peeters"))
    call_command("import_records", "employees", str(path))
    assert Employee.objects.count() == 1
    run_ = ImportRun.objects.get()
    assert (run_.status, run_.rows_created, run_.file_name) == ("imported", 1, "employees.csv")


def test_command_prints_every_error_and_fails(tmp_path, db, capsys):
    path = tmp_path / "employees.csv"
    path.write_bytes(csv("insz,first_name,last_name", f"{BAD_INSZ},An,Peeters", f"{INSZ_B},,Maes"))
    with pytest.raises(CommandError):
        call_command("import_records", "employees", str(path))
    printed = capsys.readouterr().err
    assert "rij 2, kolom insz" in printed and "rij 3, kolom first_name" in printed
    assert Employee.objects.count() == 0


@pytest.mark.parametrize(
    "number",
    [
        INSZ_A,
        INSZ_B,
        make_insz(D(2003, 2, 28), 5),
        make_insz(None, 7),
        "98472899765",
        "85073003328",
        "12345678901",
        "85073003329",
        "85133003328",
        "850730033",
        "17073003384",
    ],
)
def test_quick_insz_check_agrees_with_the_full_validator(number):
    from django.core.exceptions import ValidationError

    from common.validators import validate_insz
    from imports import cells

    try:
        validate_insz(number)
        valid = True
    except ValidationError:
        valid = False
    if cells._plainly_valid_insz(number):
        assert valid
    try:
        cells.insz(number)
        assert valid
    except cells.CellError:
        assert not valid


def test_imported_records_get_the_same_history_rows_as_the_library_writes(administrator, se_employer):
    persons = factories.EmployeeFactory.create_batch(2)
    lines = ["insz,employer_kbo,instrument,start_date,end_date"]
    lines += [f"{p.insz},{se_employer.kbo_number},collectief maatwerk,2016-01-01," for p in persons]
    run("employments", csv(*lines), user=administrator, name="spells.csv")
    spell = Employment.objects.get(employee=persons[0])
    created = spell.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        administrator,
        "import van spells.csv",
    )
    assert (created.start_date, created.employer_id, created.instrument_id) == (
        spell.start_date,
        spell.employer_id,
        spell.instrument_id,
    )
    lines[1] = lines[1] + "2019-12-31"
    result = run("employments", csv(*lines), user=administrator)
    assert (result.updated, result.unchanged) == (1, 1)
    changed = spell.history.latest()
    assert (changed.history_type, changed.end_date) == ("~", D(2019, 12, 31))
    assert spell.history.count() == 2


def test_partner_staff_without_organisation_owns_no_partner(person, partner):
    user = factories.UserFactory()
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    user.groups.add(Group.objects.get(name=Role.PARTNER_STAFF.value))
    result = run(
        "trajectories",
        csv("insz,partner_kbo,call_number,start_date", f"{INSZ_A},{partner.kbo_number},432,2019-04-01"),
        user=user,
    )
    assert (2, "partner_kbo") in [(e.row, e.column) for e in result.errors]
    assert Trajectory.objects.count() == 0


def test_xlsx_insz_stored_as_a_number_gets_its_leading_zeros_back(db):
    young = make_insz(D(2003, 2, 28), 5)
    assert young.startswith("0")
    content = xlsx([["insz", "first_name", "last_name"], [int(young), "Jo", "Jong"]])
    result = run("employees", content, name="people.xlsx")
    assert result.ok, result.errors
    assert Employee.objects.get().insz == young


def test_csv_insz_missing_a_digit_is_not_padded(db):
    young = make_insz(D(2003, 2, 28), 5)
    result = run("employees", csv("insz,first_name,last_name", f"{young[1:]},Jo,Jong"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "insz")]
