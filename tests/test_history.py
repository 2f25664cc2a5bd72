"""Every change leaves a history row, bulk writes included (docs/security.md, row 4.1).

django-simple-history records save() and delete() through signals and misses
QuerySet.update(), bulk_create(), bulk_update() and raw SQL. The application
writes in bulk only through common.history; the plain bulk methods of every
history-tracked model refuse to run; and after every database test
tests/conftest.py checks that each record's latest history row equals it.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from common.history import (
    HistoryQuerySet,
    UnrecordedWrite,
    bulk_create_with_history,
    bulk_update_with_history,
    history_disagreements,
    record_migrated_records,
    recorded_bulk_write,
    tracked_models,
)
from employees.models import Employee, Employment, Instrument
from evaluations.constants import ReferralStatus
from evaluations.models import Advice, DeclineReason, Evaluation, Referral
from partners.models import Call, Grant, Organisation
from tests import factories
from trajectories.models import EndReason, Internship, JobFollowUp, Trajectory

D = datetime.date

# Every history-tracked model: a new one fails test_every_tracked_model_is_listed until it is added here.
MAKERS = {
    "employees.Instrument": lambda: Instrument.objects.get(code="collectief-maatwerk"),
    "employees.Employee": lambda: factories.EmployeeFactory(),
    "employees.Employment": lambda: factories.EmploymentFactory(),
    "evaluations.Advice": lambda: Advice.objects.first(),
    "evaluations.DeclineReason": lambda: DeclineReason.objects.first(),
    "evaluations.Evaluation": lambda: factories.EvaluationFactory(),
    "evaluations.Referral": lambda: _referral(),
    "partners.Organisation": lambda: factories.OrganisationFactory(),
    "partners.Call": lambda: factories.CallFactory(),
    "partners.Grant": lambda: factories.GrantFactory(),
    "partners.Pilot": lambda: factories.PilotFactory(),
    "trajectories.EndReason": lambda: EndReason.objects.first(),
    "trajectories.Trajectory": lambda: factories.TrajectoryFactory(),
    "trajectories.Internship": lambda: factories.InternshipFactory(),
    "trajectories.JobFollowUp": lambda: _job_follow_up(),
}
# A text or date field of each model that an update may change.
CHANGES = {
    "employees.Instrument": {"description": "bijgewerkt"},
    "employees.Employee": {"last_name": "Bijgewerkt"},
    "employees.Employment": {"end_date": D(2020, 1, 31)},
    "evaluations.Advice": {"label_en": "updated"},
    "evaluations.DeclineReason": {"label_en": "updated"},
    "evaluations.Evaluation": {"office": "VDAB Brugge"},
    "evaluations.Referral": {"status": ReferralStatus.WITHDRAWN},
    "partners.Organisation": {"name": "Bijgewerkt bv"},
    "partners.Call": {"name": "bijgewerkt"},
    "partners.Grant": {"spent_amount": 10},
    "partners.Pilot": {"results": "bijgewerkt"},
    "trajectories.EndReason": {"label_en": "updated"},
    "trajectories.Trajectory": {"notes": "bijgewerkt"},
    "trajectories.Internship": {"sector": "bijgewerkt"},
    "trajectories.JobFollowUp": {"note": "bijgewerkt"},
}


def _job_follow_up():
    job = factories.EmploymentFactory(regular=True, start_date=D(2019, 5, 1))
    return JobFollowUp.objects.create(employment=job, mark=3, checked_on=D(2019, 8, 1), still_in_work=True)


def _referral():
    evaluation = factories.EvaluationFactory()
    return Referral.objects.create(
        evaluation=evaluation, employee=evaluation.employee, partner=factories.PartnerFactory()
    )


def test_every_tracked_model_is_listed():
    labels = {model._meta.label for model in tracked_models()}
    assert labels == set(MAKERS) == set(CHANGES), "add the new history-tracked model to MAKERS and CHANGES"


def test_every_tracked_model_writes_through_the_guarded_queryset():
    for model in tracked_models():
        manager = model._default_manager
        assert isinstance(manager.all(), HistoryQuerySet), model._meta.label


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(MAKERS))
def test_plain_bulk_writes_are_refused_on_every_tracked_model(label):
    record = MAKERS[label]()
    model = type(record)
    before = model.history.count()
    with pytest.raises(UnrecordedWrite):
        model.objects.filter(pk=record.pk).update(**CHANGES[label])
    for name, value in CHANGES[label].items():
        setattr(record, name, value)
    with pytest.raises(UnrecordedWrite):
        model.objects.bulk_update([record], list(CHANGES[label]))
    with pytest.raises(UnrecordedWrite):
        model.objects.bulk_create([])
    assert model.history.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(MAKERS))
def test_update_with_history_records_each_changed_record_with_who_when_and_why(label, administrator):
    record = MAKERS[label]()
    model = type(record)
    before = record.history.count()
    moment = timezone.now()
    changed = model.objects.filter(pk=record.pk).update_with_history(
        reason="correctie", user=administrator, when=moment, **CHANGES[label]
    )
    assert changed == 1
    latest = record.history.latest()
    assert record.history.count() == before + 1
    assert (latest.history_type, latest.history_user, latest.history_change_reason, latest.history_date) == (
        "~",
        administrator,
        "correctie",
        moment,
    )
    record.refresh_from_db()
    for name, value in CHANGES[label].items():
        assert getattr(latest, name) == getattr(record, name)
    if hasattr(record, "updated_at"):
        assert record.updated_at == moment


@pytest.mark.django_db
def test_update_with_history_touches_only_the_filtered_records_and_takes_the_requests_user(rf, administrator):
    from simple_history.models import HistoricalRecords

    kept, changed = factories.OrganisationFactory(name="Blijft"), factories.OrganisationFactory(name="Oud")
    request = rf.get("/")
    request.user = administrator
    HistoricalRecords.context.request = request
    try:
        count = Organisation.objects.filter(name="Oud").update_with_history(name="Nieuw", reason="naamwijziging")
    finally:
        del HistoricalRecords.context.request
    assert count == 1
    assert changed.history.latest().history_user == administrator
    assert kept.history.count() == 1
    assert Organisation.objects.filter(name="Nieuw").count() == 1
    assert Organisation.objects.none().update_with_history(name="x", reason="niets") == 0


@pytest.mark.django_db
def test_related_managers_are_guarded_too():
    person = factories.EmploymentFactory().employee
    with pytest.raises(UnrecordedWrite):
        person.employments.update(with_support_package=True)
    assert person.employments.update_with_history(with_support_package=True, reason="pakket") == 1
    assert person.employments.get().history.latest().with_support_package is True


@pytest.mark.django_db
def test_bulk_update_and_bulk_create_with_history(administrator):
    organisations = factories.OrganisationFactory.create_batch(3)
    for organisation in organisations:
        organisation.postcode = 2000
        organisation.refresh_derived()
    bulk_update_with_history(organisations, ["postcode", "province"], reason="verhuis", user=administrator)
    for organisation in organisations:
        latest = organisation.history.latest()
        assert (latest.postcode, latest.province, latest.history_change_reason) == (2000, "VAN", "verhuis")
        assert latest.history_user == administrator
    new = [Call(number=f"X{n}", name="nieuw") for n in range(3)]
    created = bulk_create_with_history(Call, new, reason="nieuwe oproepen", user=administrator)
    assert all(c.pk for c in created)
    for call in created:
        row = call.history.get()
        assert (row.history_type, row.history_change_reason, row.history_user, row.number) == (
            "+",
            "nieuwe oproepen",
            administrator,
            call.number,
        )
    dated = Call(number="Y1")
    dated._history_date = timezone.make_aware(datetime.datetime(2015, 3, 1))
    bulk_create_with_history(Call, [dated], reason="bronbestand")
    assert Call.objects.get(number="Y1").history.get().history_date.year == 2015


@pytest.mark.django_db
def test_the_history_check_notices_every_way_of_writing_behind_historys_back():
    """The check of tests/conftest.py sees raw SQL updates, inserts and deletes, and unguarded bulk writes."""
    organisation = factories.OrganisationFactory()
    assert history_disagreements() == {}
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET name = 'stiekem' WHERE id = %s", [organisation.pk])
        assert history_disagreements() == {"partners.Organisation": 1}
        transaction.set_rollback(True)
    with transaction.atomic():
        with recorded_bulk_write():  # pretending to record, but writing no history row
            Organisation.objects.bulk_create([Organisation(name="Zonder", kbo_number="0403170701", kind="partner")])
        assert history_disagreements() == {"partners.Organisation": 1}
        transaction.set_rollback(True)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [organisation.pk])
        assert history_disagreements() == {"partners.Organisation (deleted)": 1}
        transaction.set_rollback(True)
    assert history_disagreements() == {}


@pytest.mark.django_db
def test_deleting_records_is_recorded(administrator):
    employment = factories.EmploymentFactory()
    Employment.objects.filter(pk=employment.pk).delete()
    assert employment.history.latest().history_type == "-"


@pytest.mark.django_db
def test_links_set_to_null_by_a_deletion_are_recorded():
    """Deleting a user or a trajectory empties the links to it (SET_NULL), each with a history row."""
    caseworker = factories.UserFactory()
    trajectory = factories.TrajectoryFactory(caseworker=caseworker)
    evaluation = factories.EvaluationFactory(evaluator=caseworker)
    started = factories.TrajectoryFactory()
    referral = Referral.objects.create(
        evaluation=evaluation,
        employee=evaluation.employee,
        partner=started.partner,
        referred_by=caseworker,
        status=ReferralStatus.STARTED,
        trajectory=started,
    )
    with transaction.atomic():
        caseworker.delete()
    for record, field in ((trajectory, "caseworker"), (evaluation, "evaluator"), (referral, "referred_by")):
        record.refresh_from_db()
        latest = record.history.latest()
        assert getattr(record, f"{field}_id") is None and getattr(latest, f"{field}_id") is None
        assert (latest.history_type, latest.history_change_reason) == ("~", "gebruiker verwijderd")
    with transaction.atomic():
        started.delete()
    referral.refresh_from_db()
    assert referral.trajectory_id is None
    assert referral.history.latest().trajectory_id is None
    assert Trajectory.objects.filter(pk=started.pk).exists() is False


@pytest.mark.django_db
def test_records_seeded_by_data_migrations_have_their_creation_recorded():
    for model in (Instrument, Advice, EndReason, Call):
        for record in model.objects.all():
            assert record.history.filter(history_type="+").exists(), record
    before = Instrument.history.count()
    record_migrated_records()  # again: nothing new
    assert Instrument.history.count() == before


@pytest.mark.django_db
def test_an_import_records_new_and_changed_rows_and_refreshed_ages(administrator):
    """The import writes with COPY (PostgreSQL) or bulk_create, and bulk_update: every row gets its history."""
    from common.identifiers import make_insz, make_kbo
    from imports.services import import_file

    employer = factories.OrganisationFactory(kbo_number=make_kbo(4_000_001))
    insz = make_insz(D(1980, 5, 17), 11)
    content = f"insz,first_name,last_name,birth_date\n{insz},An,Peeters,\n".encode()
    assert import_file(kind="employees", content=content, file_name="a.csv", user=administrator).ok
    person = Employee.objects.with_insz(insz).get()
    evaluation = factories.EvaluationFactory(employee=person, employer=employer, evaluation_date=D(2019, 5, 1))
    changed = f"insz,first_name,last_name,birth_date\n{insz},An,Peeters-Maes,1980-05-17\n".encode()
    result = import_file(kind="employees", content=changed, file_name="b.csv", user=administrator)
    assert (result.created, result.updated) == (0, 1)
    rows = list(person.history.order_by("history_id").values_list("history_type", "last_name", "history_change_reason"))
    assert rows == [("+", "Peeters", "import van a.csv"), ("~", "Peeters-Maes", "import van b.csv")]
    evaluation.refresh_from_db()
    assert evaluation.age_years == 38
    latest = evaluation.history.latest()
    assert (latest.age_years, latest.history_change_reason, latest.history_user) == (
        38,
        "import van b.csv",
        administrator,
    )


@pytest.mark.django_db
def test_synthetic_data_is_written_with_its_history():
    from demo.synthetic import generate

    counts = generate(persons=30, seed=3)
    assert counts
    for model in (Organisation, Employee, Employment, Evaluation, Trajectory, Referral, Internship, Grant):
        assert model.objects.count() == model.history.filter(history_type="+").count(), model
    assert history_disagreements() == {}
