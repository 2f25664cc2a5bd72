"""The database holds every named constraint even when the ORM's validation is skipped.

Writes go through QuerySet.update(), bulk_create() or raw SQL, which call
neither full_clean() nor the validators: the database itself must refuse.
Each test walks the constraints declared in the models' Meta, so that a new
constraint without a case here makes the test fail. These writes bypass
history on purpose (common.history refuses them elsewhere).
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from api.models import IdempotentRequest
from audit.models import AccessEvent
from common.history import recorded_bulk_write
from common.identifiers import make_insz
from employees.models import Employee, Instrument
from evaluations.models import DeclineReason, Referral
from imports.models import ImportRun
from partners.models import Organisation
from reports.models import SavedReport
from tests import factories
from tests.url_walk import project_app_labels
from trajectories.models import EndReason, JobFollowUp

PROJECT_APPS = project_app_labels()

_numbers = itertools.count(500)

pytestmark = pytest.mark.unrecorded_writes


@pytest.fixture(autouse=True)
def _bulk_writes_without_history():
    """The plain bulk methods, which the application may not use on history-tracked models."""
    with recorded_bulk_write():
        yield


def _instrument():
    n = next(_numbers)
    return Instrument.objects.create(
        name=f"instrument {n}", code=f"instrument-{n}", valid_from=datetime.date(2015, 4, 1)
    )


def _referral():
    evaluation = factories.EvaluationFactory()
    return Referral.objects.create(
        evaluation=evaluation, employee=evaluation.employee, partner=factories.PartnerFactory()
    )


def _pilot():
    return factories.PilotFactory()


def _access_event():
    """A look-up by INSZ that found someone: it has both a person and an (encrypted, hashed) number."""
    employee = factories.EmployeeFactory()
    return AccessEvent.objects.create(
        user=factories.UserFactory(), action="insz_lookup", employee=employee, insz=employee.insz
    )


def _import_run():
    return ImportRun.objects.create(kind="employees", file_name="werknemers.csv", content=b"insz", status="previewed")


def _saved_report():
    n = next(_numbers)
    return SavedReport.objects.create(
        name=f"Rapport {n}", slug=f"rapport-{n}", measure="evaluations", period_from=datetime.date(2018, 1, 1)
    )


def _job_follow_up():
    job = factories.EmploymentFactory(regular=True, start_date=datetime.date(2019, 5, 1))
    return JobFollowUp.objects.create(employment=job, mark=3, checked_on=datetime.date(2019, 8, 1), still_in_work=True)


# How to make a valid record of each model that has constraints.
MAKERS = {
    "partners.Organisation": factories.OrganisationFactory,
    "partners.Call": lambda: factories.CallFactory(number=str(next(_numbers)), start_date=datetime.date(2019, 1, 1)),
    "partners.Grant": factories.GrantFactory,
    "partners.Pilot": _pilot,
    "employees.Instrument": _instrument,
    "employees.Employee": factories.EmployeeFactory,
    "employees.Employment": factories.EmploymentFactory,
    "evaluations.Evaluation": factories.EvaluationFactory,
    "evaluations.Referral": _referral,
    "audit.AccessEvent": _access_event,
    "imports.ImportRun": _import_run,
    "reports.SavedReport": _saved_report,
    "trajectories.Trajectory": factories.TrajectoryFactory,
    "trajectories.Internship": factories.InternshipFactory,
    "trajectories.JobFollowUp": _job_follow_up,
    "api.IdempotentRequest": lambda: IdempotentRequest.objects.create(
        user=factories.UserFactory(), key=f"key-{next(_numbers)}", fingerprint="f", status_code=201, body={}
    ),
}

D = datetime.date


def _end_reason():
    return EndReason.objects.get(code="completed")


def _decline_reason():
    return DeclineReason.objects.get(code="no_capacity")


def _noon():
    return datetime.datetime(2019, 6, 3, 12, tzinfo=datetime.UTC)


# For every CheckConstraint: updates that break it, and one that keeps it.
# Values may be callables, evaluated inside the test's database.
CHECK_CASES = {
    "partners_organisation_postcode_range": ([{"postcode": 999}, {"postcode": 10000}], {"postcode": 1000}),
    "partners_organisation_kind_valid": ([{"kind": "bank"}], {"kind": "partner"}),
    "partners_organisation_status_valid": ([{"status": "maybe"}], {"status": "proposed"}),
    "partners_call_end_after_start": ([{"end_date": D(2018, 12, 31)}], {"end_date": D(2019, 1, 1)}),
    "partners_call_standard_cost_not_negative": ([{"standard_cost": Decimal("-0.01")}], {"standard_cost": 0}),
    "partners_call_esf_share_fraction": (
        [{"esf_share": Decimal("1.01")}, {"esf_share": Decimal("-0.01")}],
        {"esf_share": Decimal("1")},
    ),
    "partners_grant_amounts_not_negative": (
        [{"esf_amount": -1}, {"flemish_amount": -1}, {"spent_amount": -1}],
        {"esf_amount": 0, "flemish_amount": 0, "spent_amount": 0},
    ),
    "partners_grant_year_range": ([{"year": 1999}, {"year": 2101}], {"year": 2000}),
    "partners_pilot_end_after_start": ([{"end_date": D(2017, 2, 28)}], {"end_date": D(2017, 3, 1)}),
    "employees_instrument_valid_until_after_from": ([{"valid_until": D(2015, 3, 31)}], {"valid_until": D(2015, 4, 1)}),
    "employees_employee_gender_valid": ([{"gender": "q"}], {"gender": "x"}),
    "employees_employment_end_after_start": ([{"end_date": D(2015, 12, 31)}], {"end_date": D(2016, 1, 1)}),
    "evaluations_referral_status_valid": ([{"status": "lost"}], {"status": "withdrawn"}),
    # Declined with a reason and a date of answer; a reason on no other status.
    "evaluations_referral_declined_with_reason": (
        [
            {"status": "declined"},
            {"status": "declined", "decline_reason": _decline_reason},
            {"status": "declined", "answered_at": _noon},
            {"status": "waiting", "decline_reason": _decline_reason},
        ],
        {"status": "declined", "decline_reason": _decline_reason, "answered_at": _noon},
    ),
    "trajectories_trajectory_end_after_start": ([{"end_date": D(2019, 3, 31)}], {"end_date": D(2019, 4, 1)}),
    "trajectories_trajectory_reason_needs_end": (
        [{"end_reason": _end_reason, "end_date": None}],
        {"end_reason": _end_reason, "end_date": D(2019, 10, 1)},
    ),
    "trajectories_trajectory_phases_after_start": (
        [
            {"voortraject_start": D(2019, 3, 31)},
            {"jobmatching_start": D(2019, 3, 31)},
            {"stage_start": D(2019, 3, 31)},
            {"nazorg_start": D(2019, 3, 31)},
        ],
        {
            "voortraject_start": D(2019, 4, 1),
            "jobmatching_start": D(2019, 5, 1),
            "stage_start": D(2019, 6, 1),
            "nazorg_start": D(2019, 9, 1),
        },
    ),
    "trajectories_trajectory_planned_end_after_start": (
        [{"planned_end_date": D(2019, 3, 31)}],
        {"planned_end_date": D(2019, 4, 1)},
    ),
    "trajectories_internship_end_after_start": ([{"end_date": D(2019, 4, 30)}], {"end_date": D(2019, 5, 1)}),
    "trajectories_jobfollowup_mark_valid": ([{"mark": 4}, {"mark": 0}], {"mark": 12}),
    "trajectories_internship_outcome_valid": ([{"outcome": "fired"}], {"outcome": "hired"}),
    "employees_accessevent_view_has_person": (
        [{"action": "person_viewed", "employee": None}],
        {"action": "list_exported", "employee": None},
    ),
    # A digest of 64 lower-case hex characters with its token, or neither (an anonymised person).
    "employees_employee_insz_digest_hex": (
        [
            {"insz_digest": "85073003328"},
            {"insz_digest": "G" * 64},
            {"insz_digest": "a" * 63},
            {"insz_encrypted": None},
            {"insz_digest": None},
        ],
        {"insz_digest": None, "insz_encrypted": None},
    ),
    "employees_accessevent_insz_digest_hex": (
        [{"insz_digest": "85073003328"}, {"insz_digest": "A" * 64}, {"insz_encrypted": None}],
        {"insz_digest": "0123456789abcdef" * 4},
    ),
    "imports_importrun_kind_valid": ([{"kind": "people"}], {"kind": "grants"}),
    "imports_importrun_status_valid": ([{"status": "lost"}], {"status": "imported"}),
    "reports_savedreport_period_order": ([{"period_to": D(2017, 12, 31)}], {"period_to": D(2018, 1, 1)}),
}


def _declared(kind):
    """(model label, constraint) for every constraint of the given kind in the project's apps."""
    found = []
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for constraint in model._meta.constraints:
                if isinstance(constraint, kind):
                    found.append((model._meta.label, constraint))
    return found


def _resolve(values):
    return {field: value() if callable(value) else value for field, value in values.items()}


def _refused(queryset, values):
    """True when the database refuses the update (inside a savepoint, so the test goes on)."""
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


def test_every_check_constraint_has_a_case():
    names = {constraint.name for _label, constraint in _declared(models.CheckConstraint)}
    assert names == set(CHECK_CASES), "add the new constraint to CHECK_CASES"


def test_every_model_with_constraints_has_a_maker():
    labels = {label for label, _constraint in _declared((models.CheckConstraint, models.UniqueConstraint))}
    assert labels <= set(MAKERS), labels - set(MAKERS)


@pytest.mark.django_db
def test_database_refuses_updates_that_break_a_check_constraint():
    for label, constraint in _declared(models.CheckConstraint):
        bad_cases, good = CHECK_CASES[constraint.name]
        record = MAKERS[label]()
        queryset = record.__class__.objects.filter(pk=record.pk)
        for bad in bad_cases:
            assert _refused(queryset, _resolve(bad)), f"{constraint.name} let {bad} through"
        assert not _refused(queryset, _resolve(good)), f"{constraint.name} refused {good}"


@pytest.mark.django_db
def test_database_refuses_a_second_row_with_the_same_unique_fields():
    declared = _declared(models.UniqueConstraint)
    assert declared
    for label, constraint in declared:
        first, second = MAKERS[label](), MAKERS[label]()
        assert first.pk != second.pk  # two different rows are fine
        if constraint.fields == ("source_id",):
            # Unique only where given: records without a source identifier coexist (the two above).
            first.__class__.objects.filter(pk=first.pk).update(source_id=f"SRC-{first.pk}")
            first.refresh_from_db()
        copied = {field: getattr(first, field) for field in constraint.fields}
        queryset = second.__class__.objects.filter(pk=second.pk)
        assert _refused(queryset, copied), f"{constraint.name} let a duplicate through"


@pytest.mark.django_db
def test_bulk_create_cannot_add_a_duplicate_insz():
    existing = factories.EmployeeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.bulk_create([Employee(insz=existing.insz, first_name="Kopie", last_name="Persoon")])
    Employee.objects.bulk_create([Employee(insz=make_insz(None, 3), first_name="Nieuw", last_name="Persoon")])
    assert Employee.objects.count() == 2


@pytest.mark.django_db
def test_anonymised_persons_without_insz_coexist_under_the_unique_digest():
    first, second = factories.EmployeeFactory(), factories.EmployeeFactory()
    Employee.objects.filter(pk__in=[first.pk, second.pk]).update(insz_encrypted=None, insz_digest=None)
    assert Employee.objects.filter(insz_digest__isnull=True).count() == 2


@pytest.mark.django_db
def test_bulk_create_cannot_add_a_duplicate_kbo_number():
    existing = factories.OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.bulk_create([Organisation(name="Kopie", kbo_number=existing.kbo_number, kind="partner")])
    Organisation.objects.bulk_create([Organisation(name="Nieuw", kbo_number="0403170701", kind="partner")])
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_raw_sql_cannot_store_a_postcode_out_of_range():
    organisation = factories.OrganisationFactory()
    table = Organisation._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET postcode = %s WHERE id = %s", [999, organisation.pk])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET postcode = %s WHERE id = %s", [1000, organisation.pk])
    organisation.refresh_from_db()
    assert organisation.postcode == 1000


@pytest.mark.django_db
def test_bulk_create_cannot_add_a_trajectory_ending_before_it_starts():
    trajectory = factories.TrajectoryFactory.build(
        employee=factories.EmployeeFactory(),
        partner=factories.PartnerFactory(),
        call=factories.CallFactory(),
        se_employer=None,
        start_date=D(2019, 4, 1),
        end_date=D(2019, 3, 1),
    )
    trajectory.refresh_derived()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(trajectory).objects.bulk_create([trajectory])
    trajectory.end_date = D(2019, 4, 1)
    type(trajectory).objects.bulk_create([trajectory])
