"""Records exported in the import format and imported into an emptied database come back the same."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from employees.models import Employee, Employment
from evaluations.models import Evaluation
from imports.exports import export_table, to_csv, to_xlsx
from imports.kinds import IMPORT_ORDER
from imports.services import import_file
from partners.models import Grant, Organisation
from tests import factories
from trajectories.models import EndReason, Internship, Trajectory

D = datetime.date


def snapshot():
    """Every record by its natural key, with the values the import formats carry."""
    return {
        "organisations": sorted(Organisation.objects.values_list("kbo_number", "name", "kind", "postcode", "province")),
        "employees": sorted(
            Employee.objects.values_list(
                "insz_digest", "first_name", "last_name", "birth_date", "gender", "registered_on"
            )
        ),
        "employments": sorted(
            Employment.objects.values_list(
                "employee__insz_digest",
                "employer__kbo_number",
                "start_date",
                "instrument__code",
                "end_date",
                "with_support_package",
                "registered_on",
            )
        ),
        "evaluations": sorted(
            Evaluation.objects.values_list(
                "employee__insz_digest",
                "evaluation_date",
                "advice__code",
                "employer__kbo_number",
                "instrument__code",
                "registered_on",
                "age_years",
            ),
            key=repr,
        ),
        "trajectories": sorted(
            Trajectory.objects.values_list(
                "employee__insz_digest",
                "partner__kbo_number",
                "start_date",
                "call__number",
                "end_date",
                "end_reason__code",
                "se_employer__kbo_number",
                "instrument__code",
                "registered_on",
                "age_years",
            ),
            key=repr,
        ),
        "internships": sorted(
            Internship.objects.values_list(
                "trajectory__employee__insz_digest",
                "trajectory__partner__kbo_number",
                "trajectory__start_date",
                "host__kbo_number",
                "start_date",
                "sector",
                "end_date",
                "registered_on",
            ),
            key=repr,
        ),
        "grants": sorted(
            Grant.objects.values_list(
                "call__number", "partner__kbo_number", "year", "esf_amount", "flemish_amount", "spent_amount"
            )
        ),
    }


def make_records():
    se_employer = factories.OrganisationFactory(postcode=2000)
    regular = factories.RegularEmployerFactory(postcode=3500)
    partner = factories.PartnerFactory(postcode=None)
    for n in range(3):
        person = factories.EmployeeFactory(unknown_birth_date=(n == 2), gender=["m", "f", ""][n])
        factories.EmploymentFactory(
            employee=person, employer=se_employer, start_date=D(2016, 1, 1), end_date=D(2019, 12, 31)
        )
        factories.EmploymentFactory(
            employee=person, employer=regular, regular=True, start_date=D(2020, 1, 1), with_support_package=n == 0
        )
        factories.EvaluationFactory(employee=person, employer=se_employer, evaluation_date=D(2019, 3, 15))
        factories.EvaluationFactory(employee=person, employer=None, instrument=None, undated=True)
        trajectory = factories.TrajectoryFactory(
            employee=person,
            partner=partner,
            se_employer=se_employer,
            start_date=D(2019, 4, 1),
            end_date=D(2019, 10, 1) if n else None,
            end_reason=EndReason.objects.get(code="job_regular") if n else None,
        )
        factories.InternshipFactory(
            trajectory=trajectory, host=regular, start_date=D(2019, 5, 1), end_date=D(2019, 6, 1)
        )
    factories.GrantFactory(partner=partner, year=2019, spent_amount=Decimal("39000.50"))
    factories.GrantFactory(partner=partner, year=2020, call=factories.CallFactory(number="500"))


def empty_database():
    for model in (Internship, Trajectory, Evaluation, Employment, Employee, Grant, Organisation):
        model.objects.all().delete()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_records(db, file_format):
    make_records()
    before = snapshot()
    files = {}
    for kind in IMPORT_ORDER:
        headers, rows = export_table(kind)
        files[kind] = to_csv(headers, rows) if file_format == "csv" else to_xlsx(headers, rows)
    empty_database()
    assert Employee.objects.count() == 0
    for kind in IMPORT_ORDER:
        result = import_file(kind=kind, content=files[kind], file_name=f"{kind}.{file_format}")
        assert result.ok, (kind, result.errors)
    assert snapshot() == before


def test_reimporting_the_export_of_existing_records_changes_nothing(db):
    make_records()
    histories = sum(m.history.count() for m in (Employee, Employment, Evaluation, Trajectory, Internship, Grant))
    for kind in IMPORT_ORDER:
        headers, rows = export_table(kind)
        result = import_file(kind=kind, content=to_csv(headers, rows), file_name=f"{kind}.csv")
        assert result.ok and result.created == result.updated == 0, (kind, result)
    assert (
        sum(m.history.count() for m in (Employee, Employment, Evaluation, Trajectory, Internship, Grant)) == histories
    )


def test_export_command_writes_the_import_format(db, tmp_path):
    make_records()
    path = tmp_path / "employments.xlsx"
    call_command("export_records", "employments", "--output", str(path))
    headers, rows = export_table("employments")
    assert import_file(kind="employments", content=path.read_bytes(), file_name=path.name).unchanged == len(rows) == 6
