"""Retention (issue 7, item 3): `anonymise_persons` clears the identity of persons whose last record is
older than N years, in the live and the history tables, and every figure of the reports stays the same."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessEvent
from audit.services import record_access
from common.crypto import insz_digest
from demo.checks import compute_tables, reference_tables
from demo.data import load_demo
from employees.models import AnonymisationRun, Employee
from employees.querysets import ANONYMISED_NAME
from evaluations.models import Evaluation, Referral
from people.retention import persons_anonymise, retention_due
from reports.models import SavedReport
from reports.services import run_report
from tests import factories
from trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 26)


def _anonymise(*args):
    out = StringIO()
    call_command("anonymise_persons", *args, stdout=out)
    return out.getvalue()


# --- Who is due ----------------------------------------------------------------------------


def _person(registered_on=D(2010, 1, 1)):
    return factories.EmployeeFactory(registered_on=registered_on)


def test_a_person_whose_records_all_ended_long_ago_is_due_and_a_recent_one_is_not():
    old = _person()
    factories.EmploymentFactory(
        employee=old, start_date=D(2010, 1, 1), end_date=D(2012, 6, 30), registered_on=D(2010, 1, 1)
    )
    recent = _person()
    factories.EmploymentFactory(
        employee=recent, start_date=D(2010, 1, 1), end_date=D(2020, 6, 30), registered_on=D(2010, 1, 1)
    )
    assert list(retention_due(D(2016, 11, 26))) == [old]


@pytest.mark.parametrize(
    "kind",
    [
        "person registered",
        "job started",
        "job ended",
        "job running",
        "evaluation",
        "evaluation registered",
        "referral",
        "trajectory started",
        "trajectory ended",
        "trajectory running",
        "internship",
        "internship running",
    ],
)
def test_any_recent_or_running_record_keeps_a_person(kind):
    person = _person(D(2020, 1, 1) if kind == "person registered" else D(2010, 1, 1))
    old_job = dict(start_date=D(2010, 1, 1), end_date=D(2012, 1, 1), registered_on=D(2010, 1, 1))
    factories.EmploymentFactory(employee=person, **old_job)
    trajectory = dict(employee=person, start_date=D(2011, 1, 1), end_date=D(2011, 6, 1), registered_on=D(2011, 1, 1))
    if kind == "job started":
        factories.EmploymentFactory(
            employee=person, **{**old_job, "start_date": D(2017, 1, 1), "end_date": D(2017, 2, 1)}
        )
    elif kind == "job ended":
        factories.EmploymentFactory(
            employee=person, **{**old_job, "start_date": D(2012, 2, 1), "end_date": D(2017, 2, 1)}
        )
    elif kind == "job running":
        factories.EmploymentFactory(employee=person, **{**old_job, "start_date": D(2012, 2, 1), "end_date": None})
    elif kind == "evaluation":
        factories.EvaluationFactory(employee=person, evaluation_date=D(2018, 1, 1), registered_on=D(2018, 1, 1))
    elif kind == "evaluation registered":
        factories.EvaluationFactory(employee=person, evaluation_date=D(2011, 1, 1), registered_on=D(2019, 1, 1))
    elif kind == "referral":
        evaluation = factories.EvaluationFactory(
            employee=person, evaluation_date=D(2011, 1, 1), registered_on=D(2011, 1, 1)
        )
        Referral.objects.create(
            evaluation=evaluation, employee=person, partner=factories.PartnerFactory(), registered_on=D(2019, 1, 1)
        )
    elif kind.startswith("trajectory"):
        end = {
            "trajectory started": (D(2018, 1, 1), D(2018, 2, 1)),
            "trajectory ended": (D(2011, 1, 1), D(2018, 2, 1)),
            "trajectory running": (D(2011, 1, 1), None),
        }[kind]
        factories.TrajectoryFactory(**{**trajectory, "start_date": end[0], "end_date": end[1]})
    else:
        end = D(2018, 3, 1) if kind == "internship" else None
        factories.InternshipFactory(
            trajectory=factories.TrajectoryFactory(**trajectory),
            start_date=D(2011, 2, 1),
            end_date=end,
            registered_on=D(2011, 2, 1),
        )
    assert not retention_due(D(2016, 11, 26)).exists()


# --- What is cleared -----------------------------------------------------------------------


def _old_case():
    """A person whose trajectory, evaluation and job all ended in 2012, with notes naming them."""
    person = _person()
    factories.EmploymentFactory(
        employee=person, start_date=D(2010, 1, 1), end_date=D(2012, 1, 1), registered_on=D(2010, 1, 1)
    )
    evaluation = factories.EvaluationFactory(
        employee=person,
        evaluation_date=D(2011, 1, 1),
        registered_on=D(2011, 1, 1),
        notes=f"Gesprek met {person.first_name}",
    )
    trajectory = factories.TrajectoryFactory(
        employee=person,
        start_date=D(2011, 2, 1),
        end_date=D(2011, 9, 1),
        registered_on=D(2011, 2, 1),
        notes=f"{person.last_name} belde",
    )
    person.last_name = person.last_name + "-Janssens"  # a second history version with the name
    person.save()
    return person, evaluation, trajectory


def test_the_identity_is_cleared_in_the_live_and_history_tables_and_the_rest_kept(evaluator):
    person, evaluation, trajectory = _old_case()
    keep = _person(D(2024, 1, 1))
    kept_values = Employee.objects.filter(pk=keep.pk).values().get()
    lookup = record_access(user=evaluator, action="insz_lookup", employee=person, insz=person.insz)
    viewed = record_access(user=evaluator, action="person_viewed", employee=person)
    old_insz, birth_date, gender = person.insz, person.birth_date, person.gender

    assert "1 personen zonder gegevens sinds 26/11/2016 werden geanonimiseerd." in _anonymise(
        "--years", "10", "--today", TODAY.isoformat()
    )

    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.insz) == (ANONYMISED_NAME, ANONYMISED_NAME, "")
    assert (person.insz_encrypted, person.insz_digest) == (None, None)
    assert (person.birth_date, person.gender, person.registered_on) == (birth_date, gender, D(2010, 1, 1))
    versions = Employee.history.filter(id=person.pk)
    assert versions.count() >= 2
    assert set(versions.values_list("first_name", "last_name", "insz_encrypted", "insz_digest")) == {
        (ANONYMISED_NAME, ANONYMISED_NAME, None, None)
    }
    assert not Employee.history.filter(insz_digest=insz_digest(old_insz)).exists()
    for record in (evaluation, trajectory):
        record.refresh_from_db()
        assert record.notes == ""
        assert set(record.history.values_list("notes", flat=True)) == {""}
    # The access events stay (they name the person by id), without the number typed in the look-up.
    assert AccessEvent.objects.filter(pk=lookup.pk).values_list("insz_encrypted", "insz_digest").get() == (None, None)
    assert AccessEvent.objects.filter(pk__in=[lookup.pk, viewed.pk], employee=person).count() == 2
    assert Employee.objects.filter(pk=keep.pk).values().get() == kept_values
    run = AnonymisationRun.objects.get()
    assert (run.run_by, run.retention_years, run.cutoff, run.persons) == (
        "manage.py anonymise_persons",
        10,
        D(2016, 11, 26),
        1,
    )


def test_a_second_run_finds_no_one_again_and_several_anonymised_persons_share_the_empty_insz():
    _old_case(), _old_case()
    assert persons_anonymise(years=10, today=TODAY, run_by="test").persons == 2
    assert persons_anonymise(years=10, today=TODAY, run_by="test").persons == 0
    assert Employee.objects.anonymised().count() == 2


def test_the_anonymisation_writes_in_bulk_whatever_the_number_of_persons():
    def queries(n):
        for _ in range(n):
            _old_case()
        with CaptureQueriesContext(connection) as context:
            assert persons_anonymise(years=10, today=TODAY, run_by="test").persons == n
        return len(context.captured_queries)

    assert queries(2) == queries(20)


def test_the_anonymisation_is_one_transaction(monkeypatch):
    person, _evaluation, _trajectory = _old_case()
    name = person.last_name

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AnonymisationRun.objects, "create", fail)
    with pytest.raises(RuntimeError):
        persons_anonymise(years=10, today=TODAY, run_by="test")
    person.refresh_from_db()
    assert person.last_name == name and person.insz
    assert Employee.history.filter(id=person.pk, last_name=name).exists()
    assert Evaluation.objects.get(employee=person).notes


def test_a_dry_run_counts_and_changes_nothing():
    person, _evaluation, _trajectory = _old_case()
    output = _anonymise("--years", "10", "--today", TODAY.isoformat(), "--dry-run")
    assert "Proefdraaien: 1 personen hebben geen gegevens meer sinds 26/11/2016; er werd niets gewijzigd." in output
    assert Employee.objects.get(pk=person.pk).insz == person.insz
    assert not AnonymisationRun.objects.exists()


def test_the_default_retention_comes_from_the_setting(settings):
    _old_case()
    settings.DOORSTROOM_RETENTION_YEARS = 20  # 2012 is less than 20 years before 2026: no one is due
    assert "Proefdraaien: 0 personen" in _anonymise("--today", TODAY.isoformat(), "--dry-run")
    settings.DOORSTROOM_RETENTION_YEARS = 10
    assert "Proefdraaien: 1 personen" in _anonymise("--today", TODAY.isoformat(), "--dry-run")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "0"], "De bewaartermijn moet een geheel aantal jaren zijn, tussen 1 en 150 (gekregen: 0)."),
        (["--years", "tien"], "De bewaartermijn moet een geheel aantal jaren zijn, tussen 1 en 150 (gekregen: tien)."),
        (["--years", "5000"], "De bewaartermijn moet een geheel aantal jaren zijn, tussen 1 en 150 (gekregen: 5000)."),
        (["--today", "2026-13-01"], "Geen datum (JJJJ-MM-DD): 2026-13-01"),
    ],
)
def test_a_bad_argument_is_refused_in_dutch_and_changes_nothing(args, message):
    person, _evaluation, _trajectory = _old_case()
    with pytest.raises(CommandError) as refused:
        _anonymise(*args)
    assert str(refused.value) == message
    assert Employee.objects.get(pk=person.pk).insz == person.insz
    assert not AnonymisationRun.objects.exists()


# --- Every figure stays the same (the demo and the ministerial pack) --------------------------


def _figures() -> dict:
    """Every report of the pack at its saved dates (the register as known then: history tables), at each
    reference table's date read live and from history, and the independent count of demo/checks.py."""
    figures = {}
    pack = list(SavedReport.objects.filter(in_pack=True).order_by("pack_position", "slug"))
    dates = sorted({D.fromisoformat(t["demo_as_of"]) for t in reference_tables()})
    for report in pack:
        runs = {"saved": run_report(report)}
        for day in dates:
            runs[f"{day} known then"] = run_report(report, as_of=day, known_at=day)
            runs[f"{day} known now"] = run_report(report, as_of=day, known_at=None)
        for name, run in runs.items():
            figures[(report.slug, name)] = sorted(
                (tuple(sorted((k, str(v)) for k, v in labels.items())), str(value)) for labels, value in run.rows()
            )
    for day in dates:
        for known in (day, TODAY):
            figures[("independent", day, known)] = {
                table: dict(counter) for table, counter in compute_tables(day, known).items()
            }
    return figures


def _identities():
    return {row[0]: row[1:] for row in Employee.objects.values_list("id", "first_name", "last_name", "insz_digest")}


def _history_identities():
    return sorted(Employee.history.values_list("history_id", "first_name", "last_name", "insz_digest"))


def test_anonymising_the_demo_keeps_every_figure_of_the_pack_and_removes_the_identities():
    load_demo()
    assert SavedReport.objects.filter(in_pack=True, known_at__isnull=False).exists()  # saved dates read history
    before = _figures()
    assert sum(len(rows) for key, rows in before.items() if key[0] != "independent") > 500
    identities, history = _identities(), _history_identities()

    # First the persons with no record in the last 5 years; then, years later, every person whose records all ended.
    first = persons_anonymise(years=5, today=TODAY, run_by="test")
    gone_first = set(Employee.objects.anonymised().values_list("id", flat=True))
    later = persons_anonymise(years=10, today=D(2040, 1, 1), run_by="test")
    gone = set(Employee.objects.anonymised().values_list("id", flat=True))
    assert first.persons == len(gone_first) >= 20
    assert later.persons == len(gone - gone_first) >= 10  # ended, but within 5 years of 2026: kept the first time

    assert _figures() == before

    old_inszs = {identities[pk][2] for pk in gone}
    assert not Employee.objects.filter(insz_digest__in=old_inszs).exists()
    assert not Employee.history.filter(insz_digest__in=old_inszs).exists()
    for pk in gone:
        first_name, last_name, _insz = identities[pk]
        assert not Employee.history.filter(id=pk, first_name=first_name).exists()
        assert not Employee.history.filter(id=pk, last_name=last_name).exists()
    assert set(Employee.history.filter(id__in=gone).values_list("first_name", "last_name", "insz_digest")) == {
        (ANONYMISED_NAME, ANONYMISED_NAME, None)
    }
    assert not Evaluation.history.filter(employee_id__in=gone).exclude(notes="").exists()
    assert not Trajectory.history.filter(employee_id__in=gone).exclude(notes="").exists()

    # Everyone else is untouched, in the live and the history table.
    assert {pk: value for pk, value in _identities().items() if pk not in gone} == {
        pk: value for pk, value in identities.items() if pk not in gone
    }
    kept_history = set(Employee.history.exclude(id__in=gone).values_list("history_id", flat=True))
    assert [row for row in _history_identities() if row[0] in kept_history] == [
        row for row in history if row[0] in kept_history
    ]
    assert len(gone) < Employee.objects.count()


def test_the_retention_command_empties_finished_import_files_older_than_the_setting(settings):
    """An uploaded file and its error report name persons: a finished run keeps its counts, not them."""
    from imports.models import ImportRun

    settings.DOORSTROOM_IMPORT_FILE_DAYS = 30

    def run(status, days_old):
        made = ImportRun.objects.create(
            kind="employees",
            file_name="werknemers.csv",
            content=b"token",
            status=status,
            errors=[{"row": 2, "column": "insz", "value": "[INSZ]"}],
            rows_total=3,
        )
        ImportRun.objects.filter(pk=made.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time()))
            - datetime.timedelta(days=days_old)
        )
        return made.pk

    old_imported, old_rejected = run("imported", 31), run("rejected", 45)
    old_waiting, recent = run("previewed", 60), run("rejected", 29)

    output = _anonymise("--years", "10", "--today", TODAY.isoformat())

    assert "2 bewaarde importbestanden ouder dan 30 dagen werden leeggemaakt." in output
    emptied = ImportRun.objects.filter(pk__in=[old_imported, old_rejected])
    assert [(bytes(r.content), r.errors, r.rows_total) for r in emptied] == [(b"", [], 3), (b"", [], 3)]
    for kept in ImportRun.objects.filter(pk__in=[old_waiting, recent]):
        assert (bytes(kept.content), len(kept.errors)) == (b"token", 1)
