"""The age bands have one definition (common/age_bands.py): the list filters and the reports use it alike."""

import datetime

import pytest

from common import age_bands
from common.dates import age_in_years
from employees.models import Employee
from reports import engine
from tests import factories


@pytest.mark.parametrize("scheme", list(age_bands.SCHEMES.values()), ids=lambda s: s.key)
def test_every_age_falls_in_exactly_one_band_and_the_stored_age_filter_agrees(scheme):
    for age in range(0, 100):
        code = scheme.band_of(age)
        assert code in scheme.codes()
        matching = [
            b.code for b in scheme.bands if (scheme.highest(b) is None or age <= scheme.highest(b)) and age >= b.lowest
        ]
        assert matching == [code]
    assert scheme.band_of(None) == age_bands.UNKNOWN


def test_the_esf_2014_bands_are_those_the_minister_published():
    assert age_bands.ESF_2014.codes() == ["<25", "25-54", "55+"]
    assert [age_bands.ESF_2014.band_of(a) for a in (24, 25, 54, 55)] == ["<25", "25-54", "25-54", "55+"]
    assert age_bands.ESF_PLUS.codes() == ["<18", "18-29", "30-54", "55+"]


@pytest.mark.django_db
def test_the_person_filter_by_birth_date_and_the_reports_context_use_the_same_bands():
    on = datetime.date(2024, 3, 1)
    born = {
        "just_25": datetime.date(1999, 3, 1),  # 25 on the day
        "still_24": datetime.date(1999, 3, 2),
        "just_55": datetime.date(1969, 3, 1),
        "still_54": datetime.date(1969, 3, 2),
    }
    people = {name: factories.EmployeeFactory(birth_date=day) for name, day in born.items()}
    scheme = age_bands.ESF_2014
    assert [scheme.band_of(age_in_years(p.birth_date, on)) for p in people.values()] == ["25-54", "<25", "55+", "25-54"]
    for name, person in people.items():
        code = scheme.band_of(age_in_years(person.birth_date, on))
        found = Employee.objects.filter(scheme.birth_date_q("birth_date", code, on), pk=person.pk).exists()
        assert found, (name, code)
    assert engine.Context(as_of=on).bands == [(0, "<25"), (25, "25-54"), (55, "55+")]
    assert engine.Context(as_of=on, age_bands="esfplus").bands == [(b.lowest, b.code) for b in age_bands.ESF_PLUS.bands]
