"""Issue 14, point 6: corrections reach the register through the import.

A re-imported row with a corrected value updates its record, with history, and
never adds a second one: an evaluation is keyed by INSZ + date (one per person
per day; an undated one among the person's undated ones), or by the source's
own identifier (`source_id`, a column of every kind, kept on the record). The
preview lists what changes; the reports read the original figures as the
register stood before the correction, and the corrected ones today.
"""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from common.identifiers import make_insz, make_kbo
from employees.models import Employee, Instrument
from evaluations.constants import ADVICE_NOT_READY, ADVICE_READY
from evaluations.models import Advice, Evaluation
from imports.kinds import IMPORT_ORDER, KINDS
from imports.models import ImportRun
from imports.services import confirm_run, import_file, preview_run, purge_kept_files
from partners.models import Organisation
from reports.models import SavedReport
from reports.services import run_report
from tests import factories
from trajectories.models import Trajectory

D = datetime.date
pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parent.parent / "docs" / "import"

EVALUATION_HEADER = "insz,evaluation_date,advice,employer_kbo,instrument,registered_on"


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def run(kind, content, *, user=None, dry_run=False):
    return import_file(kind=kind, content=content, file_name="bestand.csv", user=user, dry_run=dry_run)


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


@pytest.fixture
def employer(db):
    return factories.OrganisationFactory(postcode=2000)


@pytest.fixture
def instrument(db):
    return Instrument.objects.order_by("pk").first()


def _persons(count):
    people = []
    for serial in range(count):
        insz = make_insz(D(1980, 1, 1) + datetime.timedelta(days=serial), 100 + serial)
        people.append(factories.EmployeeFactory(insz=insz, birth_date=D(1980, 1, 1) + datetime.timedelta(days=serial)))
    return people


def _evaluation_file(people, employer, instrument, advice_of):
    lines = [EVALUATION_HEADER]
    for number, person in enumerate(people):
        advice = advice_of(number)
        lines.append(f"{person.insz},2019-03-15,{advice},{employer.kbo_number},{instrument.code},2019-04-01")
    return csv(*lines)


def _grand_total(slug, *, known_at=None):
    report = SavedReport.objects.get(slug=slug)
    run_ = run_report(report, as_of=D(2019, 11, 30), known_at=known_at)
    return sum(value or 0 for _labels, value in run_.result.rows())


# -- The reproduction: 70 corrected advices --------------------------------------------------------------


def test_seventy_corrected_advices_update_seventy_evaluations_and_add_none(employer, instrument):
    people = _persons(100)
    original = _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY if n < 30 else ADVICE_NOT_READY)
    assert run("evaluations", original).created == 100

    corrected = _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY)
    result = run("evaluations", corrected)

    assert result.ok, errors_of(result)
    assert (result.created, result.updated, result.unchanged) == (0, 70, 30)
    assert Evaluation.objects.count() == 100
    assert Evaluation.objects.filter(advice__code=ADVICE_READY).count() == 100
    changed = Evaluation.objects.filter(employee=people[50]).get()
    versions = list(changed.history.order_by("history_id").values_list("history_type", "advice__code"))
    assert versions == [("+", ADVICE_NOT_READY), ("~", ADVICE_READY)]


def test_reports_read_the_original_figures_before_the_correction_and_the_corrected_ones_today(employer, instrument):
    people = _persons(100)
    run(
        "evaluations", _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY if n < 30 else "not_ready")
    )
    before = D(2019, 11, 30)
    q1 = "q1_ready_by_instrument_province_year"
    q3 = "q3_evaluations_by_province_year"
    assert (_grand_total(q1), _grand_total(q3)) == (30, 100)

    run("evaluations", _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY))

    # Read as the register stood before the correction: the original figures.
    assert (_grand_total(q1, known_at=before), _grand_total(q3, known_at=before)) == (30, 100)
    # Read today: the corrected ones, and still one evaluation per person.
    assert (_grand_total(q1), _grand_total(q3)) == (100, 100)


def test_an_undated_evaluation_is_matched_among_the_persons_undated_ones(employer, instrument):
    person = _persons(1)[0]
    dated = factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 3, 15))
    undated = factories.EvaluationFactory(employee=person, undated=True, advice=factories.advice(ADVICE_NOT_READY))

    result = run("evaluations", csv("insz,evaluation_date,advice", f"{person.insz},,{ADVICE_READY}"))

    assert result.ok and (result.created, result.updated) == (0, 1), errors_of(result)
    undated.refresh_from_db()
    assert undated.advice.code == ADVICE_READY
    assert Evaluation.objects.filter(employee=person).count() == 2
    assert Evaluation.objects.get(pk=dated.pk).evaluation_date == D(2019, 3, 15)


def test_two_advices_for_one_person_on_one_day_in_a_file_are_refused(employer, instrument):
    person = _persons(1)[0]
    result = run(
        "evaluations",
        csv("insz,evaluation_date,advice", f"{person.insz},2019-03-15,ready", f"{person.insz},2019-03-15,not_ready"),
    )
    assert [(row, column) for row, column, _m in errors_of(result)] == [(3, "insz")]
    assert not Evaluation.objects.exists()


# -- The source's own identifier ----------------------------------------------------------------------


def test_every_kind_has_an_optional_source_id_column():
    for spec in KINDS.values():
        column = next(c for c in spec.columns if c.name == "source_id")
        assert not column.required
        assert spec.model._meta.get_field("source_id").blank


def test_a_source_id_is_kept_and_finds_its_record_when_the_date_is_corrected(employer, instrument):
    person = _persons(1)[0]
    header = "insz,evaluation_date,advice,source_id"
    run("evaluations", csv(header, f"{person.insz},2019-03-15,ready,VDAB-881"))

    result = run("evaluations", csv(header, f"{person.insz},2019-03-18,ready,VDAB-881"))

    assert result.ok and (result.created, result.updated) == (0, 1), errors_of(result)
    evaluation = Evaluation.objects.get()
    assert (evaluation.evaluation_date, evaluation.source_id) == (D(2019, 3, 18), "VDAB-881")
    assert evaluation.history.count() == 2


def test_a_source_id_given_later_is_added_to_the_record_with_the_same_key(employer, instrument):
    person = _persons(1)[0]
    run("evaluations", csv("insz,evaluation_date,advice", f"{person.insz},2019-03-15,ready"))

    result = run("evaluations", csv("insz,evaluation_date,advice,source_id", f"{person.insz},2019-03-15,ready,E-1"))

    assert result.ok and (result.created, result.updated) == (0, 1), errors_of(result)
    assert Evaluation.objects.get().source_id == "E-1"


def test_two_evaluations_on_one_day_are_two_records_when_the_source_tells_them_apart(employer, instrument):
    person = _persons(1)[0]
    header = "insz,evaluation_date,advice,source_id"
    lines = [f"{person.insz},2019-03-15,ready,E-1", f"{person.insz},2019-03-15,not_ready,E-2"]

    assert run("evaluations", csv(header, *lines)).created == 2
    again = run("evaluations", csv(header, *lines))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Evaluation.objects.count() == 2


def test_a_source_id_twice_in_a_file_or_on_another_persons_record_is_refused(employer, instrument):
    first, second = _persons(2)
    header = "insz,evaluation_date,advice,source_id"
    run("evaluations", csv(header, f"{first.insz},2019-03-15,ready,E-1"))

    twice = run(
        "evaluations", csv(header, f"{second.insz},2019-03-15,ready,E-2", f"{second.insz},2019-04-15,ready,E-2")
    )
    other = run("evaluations", csv(header, f"{second.insz},2019-03-15,ready,E-1"))

    assert [(row, column) for row, column, _m in errors_of(twice)] == [(3, "source_id")]
    assert [(row, column) for row, column, _m in errors_of(other)] == [(2, "source_id")]
    with translation.override("nl"):
        dutch = run("evaluations", csv(header, f"{second.insz},2019-03-15,ready,E-1"))
    assert "bronidentificatie" in dutch.errors[0].message
    assert Evaluation.objects.count() == 1


def test_a_trajectory_is_found_by_its_source_id_when_its_start_is_corrected(partner):
    person = _persons(1)[0]
    header = "insz,partner_kbo,call_number,start_date,source_id"
    run("trajectories", csv(header, f"{person.insz},{partner.kbo_number},432,2019-04-01,T-7"))

    result = run("trajectories", csv(header, f"{person.insz},{partner.kbo_number},432,2019-04-08,T-7"))

    assert result.ok and (result.created, result.updated) == (0, 1), errors_of(result)
    assert Trajectory.objects.get().start_date == D(2019, 4, 8)


def test_a_source_id_of_a_record_with_another_key_is_refused_where_the_key_is_unique(db):
    numbers = [make_kbo(7_100_001), make_kbo(7_100_002)]
    header = "kbo_number,name,kind,source_id"
    run("organisations", csv(header, f"{numbers[0]},Werkhuis,se_employer,O-1", f"{numbers[1]},Atelier,se_employer,"))

    moved = run("organisations", csv(header, f"{numbers[1]},Atelier,se_employer,O-1"))

    assert [(row, column) for row, column, _m in errors_of(moved)] == [(2, "source_id")]
    assert Organisation.objects.get(source_id="O-1").kbo_number == numbers[0]


def test_an_employee_keeps_the_source_id_of_the_file(db):
    insz = make_insz(D(1990, 2, 2), 31)
    result = run("employees", csv("insz,first_name,last_name,source_id", f"{insz},An,Peeters,P-77"))
    assert result.ok, errors_of(result)
    assert Employee.objects.get().source_id == "P-77"


# -- The preview says what changes ------------------------------------------------------------------------


def test_the_preview_lists_every_changed_value_old_and_new(employer, instrument, administrator):
    people = _persons(3)
    run("evaluations", _evaluation_file(people, employer, instrument, lambda n: ADVICE_NOT_READY))
    corrected = _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY if n == 1 else ADVICE_NOT_READY)

    with translation.override("nl"):
        run_ = preview_run(kind="evaluations", content=corrected, file_name="correctie.csv", user=administrator)
        ready, not_ready = (str(Advice.objects.get(code=c)) for c in (ADVICE_READY, ADVICE_NOT_READY))

    assert run_.rows_updated == 1
    assert run_.changes == [{"row": 3, "column": "advice", "old": not_ready, "new": ready}]
    assert not run_.changes_truncated
    assert Evaluation.objects.filter(advice__code=ADVICE_READY).count() == 0  # a preview writes nothing

    confirm_run(run=run_, user=administrator)
    run_.refresh_from_db()
    assert run_.changes == [{"row": 3, "column": "advice", "old": not_ready, "new": ready}]
    assert Evaluation.objects.filter(advice__code=ADVICE_READY).count() == 1


def test_the_preview_lists_at_most_the_first_changes_and_says_there_are_more(
    employer, instrument, administrator, settings
):
    settings.IMPORT_MAX_CHANGES = 5
    people = _persons(12)
    run("evaluations", _evaluation_file(people, employer, instrument, lambda n: ADVICE_NOT_READY))
    corrected = _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY)

    run_ = preview_run(kind="evaluations", content=corrected, file_name="correctie.csv", user=administrator)

    assert run_.rows_updated == 12
    assert [change["row"] for change in run_.changes] == [2, 3, 4, 5, 6]
    assert run_.changes_truncated


def test_the_preview_page_shows_the_changes(client, employer, instrument, administrator):
    people = _persons(1)
    run("evaluations", _evaluation_file(people, employer, instrument, lambda n: ADVICE_NOT_READY))
    corrected = _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY)
    run_ = preview_run(kind="evaluations", content=corrected, file_name="correctie.csv", user=administrator)
    client.force_login(administrator)

    page = client.get(reverse("imports:preview", args=[run_.pk])).content.decode()

    assert "Wijzigingen" in page
    assert run_.changes[0]["old"] in page and run_.changes[0]["new"] in page


def test_purging_kept_files_empties_the_listed_changes_too(employer, instrument, administrator):
    people = _persons(1)
    run("evaluations", _evaluation_file(people, employer, instrument, lambda n: ADVICE_NOT_READY))
    corrected = _evaluation_file(people, employer, instrument, lambda n: ADVICE_READY)
    run_ = preview_run(kind="evaluations", content=corrected, file_name="correctie.csv", user=administrator)
    confirm_run(run=run_, user=administrator)

    purge_kept_files(before=run_.created_at + datetime.timedelta(seconds=1))

    assert ImportRun.objects.get(pk=run_.pk).changes == []


def test_the_example_correction_file_updates_the_example_evaluations(db):
    for kind in IMPORT_ORDER:
        import_file(kind=kind, content=(DOCS / f"{kind}.csv").read_bytes(), file_name=f"{kind}.csv")
    before = Evaluation.objects.count()

    result = import_file(
        kind="evaluations", content=(DOCS / "evaluations-correction.csv").read_bytes(), file_name="correctie.csv"
    )

    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 2, 1), errors_of(result)
    assert Evaluation.objects.count() == before
    assert Evaluation.objects.get(source_id="VDAB-2020-0417").evaluation_date == D(2020, 2, 12)
    assert Evaluation.objects.get(source_id="", evaluation_date=None).advice.code == "internal_transition"
