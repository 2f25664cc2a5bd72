"""Evaluations (q3) and persons advised ready (q1), on small hand-made data sets."""

import datetime

import pytest

from evaluations.constants import ADVICE_NOT_READY
from tests import factories
from tests.reports.conftest import cells

D = datetime.date
pytestmark = pytest.mark.django_db


def _se_employer(postcode=2000):
    return factories.OrganisationFactory(postcode=postcode)


def test_evaluations_count_by_employer_province_and_year_with_unknown_dates_in_onbekend():
    antwerp, ghent = _se_employer(2000), _se_employer(9000)
    factories.EvaluationFactory(
        employer=antwerp, evaluation_date=D(2018, 5, 1), advice=factories.advice(ADVICE_NOT_READY)
    )
    factories.EvaluationFactory(employer=antwerp, evaluation_date=D(2019, 5, 1))
    factories.EvaluationFactory(employer=ghent, undated=True, registered_on=D(2019, 2, 1))

    result = cells("evaluations", ["province", "year"], as_of=D(2019, 11, 30))

    assert result[("Antwerpen", "2018")] == 1
    assert result[("Antwerpen", "2019")] == 1
    assert result[("Oost-Vlaanderen", "onbekend")] == 1
    assert result[("Oost-Vlaanderen", "2019")] == 0
    # Every Flemish province is listed, with zeros.
    assert result[("Limburg", "2018")] == 0


def test_evaluations_dated_after_the_reference_date_do_not_count():
    factories.EvaluationFactory(evaluation_date=D(2019, 12, 1), registered_on=D(2019, 12, 1))
    factories.EvaluationFactory(evaluation_date=D(2019, 11, 30))

    result = cells("evaluations", ["year"], as_of=D(2019, 11, 30))

    assert result == {"2019": 1}


def test_evaluations_registered_after_known_at_do_not_count_but_do_today():
    factories.EvaluationFactory(evaluation_date=D(2018, 6, 1), registered_on=D(2020, 3, 1))
    factories.EvaluationFactory(evaluation_date=D(2018, 6, 1), registered_on=D(2018, 6, 1))

    then = cells("evaluations", ["year"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))
    now = cells("evaluations", ["year"], as_of=D(2019, 11, 30))

    assert then == {"2018": 1}
    assert now == {"2018": 2}


def test_evaluation_changed_after_known_at_counts_with_its_values_of_then(later):
    limburg, ghent = _se_employer(3500), _se_employer(9000)
    evaluation = factories.EvaluationFactory(employer=limburg, evaluation_date=D(2019, 3, 1))
    evaluation.employer = ghent
    evaluation.evaluation_date = D(2018, 3, 1)
    evaluation._history_date = later
    evaluation.save()

    then = cells("evaluations", ["province", "year"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))
    now = cells("evaluations", ["province", "year"], as_of=D(2019, 11, 30))

    assert then[("Limburg", "2019")] == 1
    assert then.get(("Oost-Vlaanderen", "2018"), 0) == 0
    assert now[("Oost-Vlaanderen", "2018")] == 1
    assert now.get(("Limburg", "2019"), 0) == 0


def test_a_version_dated_before_known_at_is_read_rather_than_the_earliest():
    from reports.sources import end_of_day

    evaluation = factories.EvaluationFactory(employer=_se_employer(3500), evaluation_date=D(2019, 3, 1))
    evaluation.employer = _se_employer(9000)
    evaluation._history_date = end_of_day(D(2019, 6, 1))
    evaluation.save()

    then = cells("evaluations", ["province"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))

    assert then["Oost-Vlaanderen"] == 1
    assert then["Limburg"] == 0


def test_evaluation_deleted_before_known_at_does_not_count(later):
    from reports.sources import end_of_day

    evaluation = factories.EvaluationFactory(evaluation_date=D(2019, 3, 1))
    evaluation._history_date = end_of_day(D(2019, 5, 1))
    evaluation.delete()

    assert cells("evaluations", ["year"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30)) == {}


def test_age_band_comes_from_the_stored_age_and_unknown_birth_dates_are_onbekend():
    young = factories.EmployeeFactory(birth_date=D(1996, 1, 1))
    old = factories.EmployeeFactory(birth_date=D(1960, 1, 1))
    unknown = factories.EmployeeFactory(unknown_birth_date=True)
    for person in (young, old, unknown):
        factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 3, 1))

    result = cells("evaluations", ["age_band"], as_of=D(2019, 11, 30))

    assert result == {"<25": 1, "25-54": 0, "55+": 1, "onbekend": 1}


def test_age_band_of_an_undated_evaluation_is_the_age_on_the_reference_date():
    # 24 at the evaluation would not matter: the date is unknown, so the age on D (25) counts.
    person = factories.EmployeeFactory(birth_date=D(1994, 11, 30))
    factories.EvaluationFactory(employee=person, undated=True)

    assert cells("evaluations", ["age_band"], as_of=D(2019, 11, 30))["25-54"] == 1
    assert cells("evaluations", ["age_band"], as_of=D(2019, 11, 29))["<25"] == 1


def test_esf_plus_age_bands_are_configurable():
    factories.EvaluationFactory(
        employee=factories.EmployeeFactory(birth_date=D(2000, 1, 1)), evaluation_date=D(2019, 3, 1)
    )

    result = cells("evaluations", ["age_band"], as_of=D(2019, 11, 30), age_bands="esfplus")

    assert result == {"<18": 0, "18-29": 1, "30-54": 0, "55+": 0}


def test_evaluation_without_employer_or_postcode_is_in_province_onbekend():
    factories.EvaluationFactory(employer=None)
    factories.EvaluationFactory(employer=factories.OrganisationFactory(postcode=None))

    assert cells("evaluations", ["province"], as_of=D(2019, 11, 30))["onbekend"] == 2


def test_filters_keep_only_the_labels_asked_for():
    factories.EvaluationFactory(instrument=factories.instrument("lokale-diensteneconomie"))
    factories.EvaluationFactory(instrument=factories.instrument("collectief-maatwerk"))

    result = cells(
        "evaluations", ["instrument"], as_of=D(2019, 11, 30), filters={"instrument": ["collectief maatwerk"]}
    )

    assert result == {"collectief maatwerk": 1}


def test_period_filter_drops_earlier_dates_but_keeps_unknown_ones():
    factories.EvaluationFactory(evaluation_date=D(2017, 3, 1))
    factories.EvaluationFactory(evaluation_date=D(2018, 3, 1))
    factories.EvaluationFactory(undated=True)

    result = cells("evaluations", ["year"], as_of=D(2019, 11, 30), period_from=D(2018, 1, 1))

    assert result == {"2018": 1, "onbekend": 1}


# --- persons advised ready -------------------------------------------------------------


def test_a_person_advised_ready_twice_counts_once_at_the_earliest_dated_advice():
    person = factories.EmployeeFactory()
    factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 6, 1))
    factories.EvaluationFactory(employee=person, evaluation_date=D(2018, 6, 1))
    factories.EvaluationFactory(employee=person, undated=True)

    # Only the reference advice's year is seen: the later and undated advices are not counted.
    assert cells("ready", ["year"], as_of=D(2020, 10, 31)) == {"2018": 1}


def test_an_undated_ready_advice_is_the_reference_only_when_none_is_dated():
    person = factories.EmployeeFactory()
    factories.EvaluationFactory(employee=person, undated=True)

    assert cells("ready", ["year"], as_of=D(2020, 10, 31)) == {"onbekend": 1}


def test_of_two_ready_advices_on_the_same_day_the_first_recorded_is_the_reference():
    """Ties on the date go to the lowest id, dated or undated (PostgreSQL: DISTINCT ON in index order;
    SQLite: the anti-join; both must agree)."""
    person = factories.EmployeeFactory()
    first_instrument, second_instrument = (
        factories.instrument("collectief-maatwerk"),
        factories.instrument("lokale-diensteneconomie"),
    )
    factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 6, 1), instrument=first_instrument)
    factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 6, 1), instrument=second_instrument)
    undated = factories.EmployeeFactory()
    factories.EvaluationFactory(employee=undated, undated=True, instrument=second_instrument)
    factories.EvaluationFactory(employee=undated, undated=True, instrument=first_instrument)

    counted = cells("ready", ["instrument", "year"], as_of=D(2020, 10, 31))
    assert {key: value for key, value in counted.items() if value} == {
        ("collectief maatwerk", "2019"): 1,
        ("lokale diensteneconomie", "onbekend"): 1,
    }


def test_the_ready_reference_is_the_same_in_the_register_of_a_past_day(later):
    """At a past register date (history tables) the reference advice is chosen the same way."""
    person = factories.EmployeeFactory()
    factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 6, 1), registered_on=D(2019, 6, 1))
    factories.EvaluationFactory(employee=person, evaluation_date=D(2018, 6, 1), registered_on=D(2019, 6, 1))
    factories.EvaluationFactory(employee=factories.EmployeeFactory(), undated=True, registered_on=D(2019, 6, 1))

    assert cells("ready", ["year"], as_of=D(2020, 10, 31), known_at=D(2020, 10, 31)) == {"2018": 1, "onbekend": 1}


def test_the_ready_reference_of_a_past_register_is_chosen_on_the_values_of_then(later):
    """At a past register date the earliest advice by the versions read at K, not by any version (PostgreSQL:
    DISTINCT ON over those versions; SQLite: the anti-join), ties on the date to the lowest id."""
    first_instrument, second_instrument = (
        factories.instrument("collectief-maatwerk"),
        factories.instrument("lokale-diensteneconomie"),
    )
    person = factories.EmployeeFactory()
    factories.EvaluationFactory(
        employee=person, evaluation_date=D(2019, 6, 1), registered_on=D(2019, 6, 1), instrument=first_instrument
    )
    corrected = factories.EvaluationFactory(
        employee=person, evaluation_date=D(2019, 9, 1), registered_on=D(2019, 9, 1), instrument=second_instrument
    )
    corrected.evaluation_date = D(2018, 6, 1)  # corrected after K: the earliest only from then on
    corrected._history_date = later
    corrected.save()
    tied = factories.EmployeeFactory()
    for instrument in (second_instrument, first_instrument):
        factories.EvaluationFactory(
            employee=tied, evaluation_date=D(2019, 6, 1), registered_on=D(2019, 6, 1), instrument=instrument
        )

    def counted(**dates):
        found = cells("ready", ["instrument", "year"], as_of=D(2019, 11, 30), **dates)
        return {key: value for key, value in found.items() if value}

    assert counted(known_at=D(2019, 11, 30)) == {
        ("collectief maatwerk", "2019"): 1,
        ("lokale diensteneconomie", "2019"): 1,
    }
    assert counted() == {("lokale diensteneconomie", "2018"): 1, ("lokale diensteneconomie", "2019"): 1}


def test_the_age_band_of_an_undated_ready_advice_without_a_birth_date_is_unknown():
    factories.EvaluationFactory(employee=factories.EmployeeFactory(unknown_birth_date=True), undated=True)
    factories.EvaluationFactory(employee=factories.EmployeeFactory(birth_date=D(1960, 1, 1)), undated=True)

    for known_at in (None, D(2020, 10, 31)):
        result = cells("ready", ["age_band"], as_of=D(2020, 10, 31), known_at=known_at)
        assert result == {"<25": 0, "25-54": 0, "55+": 1, "onbekend": 1}


def test_persons_without_a_ready_advice_are_not_counted_as_ready():
    factories.EvaluationFactory(advice=factories.advice(ADVICE_NOT_READY))

    assert cells("ready", ["year"], as_of=D(2020, 10, 31)) == {}


def test_a_ready_advice_after_the_reference_date_does_not_count_and_the_earlier_one_does():
    person = factories.EmployeeFactory()
    factories.EvaluationFactory(employee=person, evaluation_date=D(2020, 11, 1), registered_on=D(2020, 11, 1))

    assert cells("ready", ["year"], as_of=D(2020, 10, 31)) == {}


def test_ready_at_work_same_and_other_employer():
    employer = _se_employer()
    stays, moves, idle = (factories.EmployeeFactory() for _ in range(3))
    for person in (stays, moves, idle):
        factories.EvaluationFactory(employee=person, employer=employer, evaluation_date=D(2019, 3, 1))
    factories.EmploymentFactory(employee=stays, employer=employer, start_date=D(2016, 1, 1))
    factories.EmploymentFactory(employee=moves, regular=True, start_date=D(2019, 9, 1))
    factories.EmploymentFactory(employee=idle, employer=employer, start_date=D(2016, 1, 1), end_date=D(2019, 6, 30))

    result = cells("ready", ["status"], as_of=D(2019, 11, 30))

    assert result == {
        "advised_ready": 3,
        "at_work": 2,
        "at_work_same_employer": 1,
        "at_work_other_employer": 1,
        "at_work_regular_economy": 1,
    }


def test_ready_at_work_ignores_a_job_registered_after_known_at():
    person = factories.EmployeeFactory()
    factories.EvaluationFactory(employee=person, evaluation_date=D(2019, 3, 1))
    factories.EmploymentFactory(employee=person, regular=True, start_date=D(2019, 9, 1), registered_on=D(2020, 2, 1))

    then = cells("ready", ["status"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))
    now = cells("ready", ["status"], as_of=D(2019, 11, 30))

    assert then["at_work"] == 0
    assert now["at_work"] == 1


def test_of_two_versions_dated_before_known_at_the_later_one_is_read():
    from reports.sources import end_of_day

    evaluation = factories.EvaluationFactory(employer=_se_employer(3500), evaluation_date=D(2019, 3, 1))
    evaluation.employer = _se_employer(9000)
    evaluation._history_date = end_of_day(D(2019, 9, 1))
    evaluation.save()
    evaluation.employer = _se_employer(2000)
    evaluation._history_date = end_of_day(D(2019, 6, 1))  # recorded later, but dated earlier
    evaluation.save()

    then = cells("evaluations", ["province"], as_of=D(2019, 11, 30), known_at=D(2019, 11, 30))
    before_both = cells("evaluations", ["province"], as_of=D(2019, 11, 30), known_at=D(2019, 5, 1))

    assert then["Oost-Vlaanderen"] == 1
    assert then["Antwerpen"] == 0
    # No version dated by 1 May 2019: the first one recorded.
    assert before_both["Limburg"] == 1
