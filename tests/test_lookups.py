"""`field__any_of`: the same records as `__in`, on a column and through a relation (common/lookups.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.lookups import array_literal
from common.validators import normalise_insz, validate_not_future
from employees.models import Employee, Employment
from tests.factories import EmployeeFactory, EmploymentFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds():
    spells = EmploymentFactory.create_batch(4)
    persons = [s.employee for s in spells]
    digests = [p.insz_digest for p in persons[:3]] + ["0" * 64]
    assert set(Employee.objects.filter(insz_digest__any_of=digests)) == set(
        Employee.objects.filter(insz_digest__in=digests)
    )
    assert len(Employee.objects.filter(insz_digest__any_of=digests)) == 3
    ids = [p.pk for p in persons[1:]]
    assert set(Employment.objects.filter(employee_id__any_of=ids)) == set(spells[1:])
    assert set(Employment.objects.filter(employee__any_of=persons[:2])) == set(spells[:2])
    assert list(Employee.objects.filter(insz_digest__any_of=[])) == []


def test_any_of_is_one_array_parameter_on_postgresql():
    EmployeeFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        list(Employee.objects.filter(pk__any_of=list(range(1, 500))))
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql


def test_normalise_insz_shortcut_gives_what_stdnum_gives():
    for typed in ("85073003328", "85.07.30-033.28", " 85073003328 ", "8507300332", ""):
        assert normalise_insz(typed) == (typed.replace(".", "").replace("-", "").strip())


def test_validate_not_future_still_refuses_tomorrow_and_takes_the_past():
    validate_not_future(datetime.date(2000, 1, 1))
    validate_not_future(datetime.date.today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        validate_not_future(datetime.date.today() + datetime.timedelta(days=2))


def test_any_of_takes_every_text_as_it_is():
    tricky = ["a,b", 'say "hi"', "back\\slash", "{braces}", "NULL", "", " spaced ", "é€", "'quote'"]
    for n, text in enumerate(tricky):
        EmployeeFactory(source_id=text or f"plain{n}")
    wanted = [*tricky, "absent", "null"]
    assert set(Employee.objects.filter(source_id__any_of=wanted)) == set(Employee.objects.filter(source_id__in=wanted))
    assert Employee.objects.filter(source_id__any_of=wanted).count() == len(tricky) - 1  # "" was not given to anyone
    for text in tricky[:-1]:
        if text:
            assert Employee.objects.filter(source_id__any_of=[text]).get().source_id == text


def test_an_array_literal_quotes_every_text_and_leaves_other_values_to_the_driver():
    assert array_literal(["a", 'b"c', "d\\e", "NULL"]) == '{"a","b\\"c","d\\\\e","NULL"}'
    assert array_literal([1, 22, 333]) == "{1,22,333}"
    assert array_literal([True]) is None
    assert array_literal([datetime.date(2020, 1, 1)]) is None
    assert array_literal([None, "a"]) is None
