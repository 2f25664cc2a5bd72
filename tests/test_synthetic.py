"""The synthetic data generator (demo/synthetic.py): counts, validity, determinism, reports run on it."""

import datetime

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import F

from common.validators import insz_birth_date, validate_insz, validate_kbo
from demo.synthetic import generate
from employees.models import Employee, Employment
from evaluations.models import Evaluation, Referral
from partners.models import Grant, Organisation
from reports.models import SavedReport
from reports.services import run_report
from trajectories.models import Internship, Trajectory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)


def _snapshot():
    return (
        list(
            Employee.objects.order_by("id").values_list(
                "insz_digest", "first_name", "last_name", "birth_date", "gender"
            )
        ),
        list(
            Employment.objects.order_by("id").values_list(
                "employee__insz_digest", "employer__kbo_number", "instrument_id", "start_date", "end_date"
            )
        ),
        list(
            Trajectory.objects.order_by("id").values_list(
                "employee__insz_digest", "start_date", "end_date", "end_reason_id"
            )
        ),
    )


def test_generates_the_number_of_persons_asked_each_with_a_social_economy_spell():
    counts = generate(persons=300, seed=5, today=TODAY)
    assert Employee.objects.count() == 300
    assert counts[str(Employee._meta.verbose_name_plural)] == 300
    assert Employment.objects.social_economy().values("employee").distinct().count() == 300
    assert Evaluation.objects.exists() and Trajectory.objects.exists() and Referral.objects.exists()
    assert Internship.objects.exists() and Grant.objects.exists()
    assert Employment.objects.regular().exists()


def test_zero_persons_writes_no_person():
    generate(persons=0, seed=5, today=TODAY)
    assert not Employee.objects.exists()


def test_every_identifier_passes_the_validators_and_is_distinct():
    generate(persons=400, seed=2, today=TODAY)
    inszs = [(e.insz, e.birth_date) for e in Employee.objects.all()]
    for insz, birth in inszs:
        validate_insz(insz)
        assert insz_birth_date(insz) == birth
    assert len({i for i, _ in inszs}) == 400
    for kbo in Organisation.objects.values_list("kbo_number", flat=True):
        validate_kbo(kbo)


def test_records_hold_the_model_rules_and_stored_values_are_true():
    generate(persons=400, seed=3, today=TODAY)
    for model in (Employment, Trajectory, Internship):
        assert not model.objects.filter(end_date__lt=F("start_date")).exists()
    assert not Trajectory.objects.filter(end_reason__isnull=False, end_date__isnull=True).exists()
    assert not Trajectory.objects.filter(start_date__gt=TODAY).exists()
    assert not Evaluation.objects.filter(evaluation_date__gt=TODAY).exists()
    for organisation in Organisation.objects.all()[:50]:
        stored = organisation.province
        organisation.refresh_derived()
        assert organisation.province == stored != ""
    for evaluation in Evaluation.objects.select_related("employee").exclude(evaluation_date=None)[:50]:
        stored = evaluation.age_years
        evaluation.refresh_derived()
        assert evaluation.age_years == stored
    for trajectory in Trajectory.objects.select_related("employee")[:50]:
        stored = trajectory.age_years
        trajectory.refresh_derived()
        assert trajectory.age_years == stored
    for referral in Referral.objects.select_related("evaluation__advice")[:50]:
        referral.full_clean()
    for employee in Employee.objects.all()[:50]:
        employee.full_clean()
    provinces = set(Organisation.objects.values_list("province", flat=True))
    assert provinces == {"VAN", "VLI", "VOV", "VBR", "VWV"}


def test_every_record_has_its_history_row():
    generate(persons=200, seed=4, today=TODAY)
    for model in (Organisation, Employee, Employment, Evaluation, Referral, Trajectory, Internship, Grant):
        assert model.history.filter(history_type="+").count() == model.objects.count()
    assert Employee.history.filter(history_change_reason="synthetic data").exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate(persons=150, seed=9, today=TODAY)
    first = _snapshot()
    for model in (Internship, Referral, Trajectory, Evaluation, Employment, Employee, Grant):
        model.objects.all().delete()
    Organisation.objects.all().delete()
    generate(persons=150, seed=9, today=TODAY)
    assert _snapshot() == first
    for model in (Internship, Referral, Trajectory, Evaluation, Employment, Employee, Grant):
        model.objects.all().delete()
    Organisation.objects.all().delete()
    generate(persons=150, seed=10, today=TODAY)
    assert _snapshot() != first


def test_generating_twice_adds_persons_without_clashing_identifiers():
    generate(persons=100, seed=1, today=TODAY)
    generate(persons=100, seed=1, today=TODAY)
    assert Employee.objects.count() == 200
    Employee.objects.create(insz="85010100110", first_name="A", last_name="B")  # the sequence was moved on


def test_the_ministerial_pack_runs_on_generated_data():
    generate(persons=500, seed=6)
    pack = SavedReport.objects.filter(in_pack=True)
    assert pack.exists()
    totals = 0
    for report in pack:
        run = run_report(report)
        totals += sum(1 for _ in run.rows())
    assert totals > 0


def test_the_command_reports_what_it_wrote(capsys):
    call_command("generate_synthetic", "--persons", "50", "--seed", "1")
    assert Employee.objects.count() == 50
    assert "50" in capsys.readouterr().out


def _share(part, whole):
    return part / whole if whole else 0


def test_the_data_have_the_shape_of_real_case_data():
    """Issue 17: repeated screenings, several trajectories and spells, late registrations, unknown values."""
    from django.db.models import Count, DurationField, ExpressionWrapper

    generate(persons=4000, seed=7, today=TODAY)
    screened = Evaluation.objects.values("employee").annotate(n=Count("id"))
    again = _share(screened.filter(n__gt=1).count(), screened.count())
    assert 0.15 <= again <= 0.45, again
    assert screened.filter(n__gte=3).exists()
    guided = Trajectory.objects.values("employee").annotate(n=Count("id"))
    several = _share(guided.filter(n__gt=1).count(), guided.count())
    assert 0.03 <= several <= 0.3, several
    spells = Employment.objects.values("employee").annotate(n=Count("id"))
    assert _share(spells.filter(n__gte=3).count(), Employee.objects.count()) >= 0.025
    delay = ExpressionWrapper(F("registered_on") - F("start_date"), output_field=DurationField())
    late = Employment.objects.annotate(d=delay).filter(d__gt=datetime.timedelta(days=90)).count()
    assert 0.02 <= _share(late, Employment.objects.count()) <= 0.08
    assert Evaluation.objects.filter(office="").exists() and Employee.objects.filter(gender="x").exists()
    # The common surnames are common, but no more than in Flanders (the most common about half a per cent).
    top = Employee.objects.values("last_name").annotate(n=Count("id")).order_by("-n").first()
    assert _share(top["n"], 4000) <= 0.015
    assert Employee.objects.values("last_name").distinct().count() > 500


def test_edited_records_have_several_versions_in_order_the_last_one_the_record():
    generate(persons=1500, seed=8, today=TODAY)
    versions = {}
    for row in Trajectory.history.order_by("id", "history_date").values(
        "id", "history_type", "history_date", "end_date", "stage_start"
    ):
        versions.setdefault(row["id"], []).append(row)
    edited = {pk: rows for pk, rows in versions.items() if len(rows) > 1}
    assert edited and any(len(rows) >= 3 for rows in edited.values())
    for pk, rows in edited.items():
        assert [r["history_type"] for r in rows] == ["+"] + ["~"] * (len(rows) - 1)
        assert rows[0]["end_date"] is None  # registered while it ran
        record = Trajectory.objects.get(pk=pk)
        assert rows[-1]["end_date"] == record.end_date and rows[-1]["stage_start"] == record.stage_start
    spells = Employment.history.values("id").annotate(n=models.Count("history_id")).filter(n__gt=1)
    assert spells.exists()
