"""The import checks every check constraint of the records it writes (imports.checks.violates) as Django
would: the lookups it computes in Python agree with Django's own validation on every constraint, and any
other lookup falls back to Django's validation instead of failing."""

import copy
import datetime
import itertools
import operator as operator_module
import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

from imports.checks import _compiled, violates
from imports.kinds import KINDS
from tests import factories

pytestmark = pytest.mark.django_db

MAKERS = {
    "partners.Organisation": factories.OrganisationFactory,
    "employees.Employee": factories.EmployeeFactory,
    "employees.Employment": factories.EmploymentFactory,
    "evaluations.Evaluation": factories.EvaluationFactory,
    "trajectories.Trajectory": lambda: factories.TrajectoryFactory(ended=True),
    "trajectories.Internship": factories.InternshipFactory,
    "partners.Grant": factories.GrantFactory,
}

# Values that push a field across the usual bounds of a constraint.
PROBES = {
    datetime.date: [None, datetime.date(1, 1, 1), datetime.date(2019, 1, 1), datetime.date(9999, 12, 31)],
    int: [None, -1, 0, 1999, 10**6],
    str: ["", "x", "0000", "9999", "zz"],
}


def django_violates(constraint, instance) -> bool:
    try:
        constraint.validate(type(instance), instance)
    except ValidationError:
        return True
    return False


def _fields(condition):
    for child in condition.children:
        if isinstance(child, Q):
            yield from _fields(child)
        else:
            yield child[0].split("__")[0]


def _constraints():
    for kind in KINDS.values():
        for constraint in kind.model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                yield kind.model, constraint


def test_every_kind_of_the_import_has_a_maker():
    assert {kind.model._meta.label for kind in KINDS.values()} <= set(MAKERS)


@pytest.mark.parametrize("model, constraint", list(_constraints()), ids=lambda v: getattr(v, "name", ""))
def test_each_check_constraint_is_judged_as_django_judges_it(model, constraint):
    record = MAKERS[model._meta.label]()
    assert not violates(constraint, record) and not django_violates(constraint, record)
    names = sorted(set(_fields(constraint.condition)))
    judged = 0
    for name in names:
        attname = model._meta.get_field(name).attname
        value = getattr(record, attname)
        probes = PROBES.get(type(value), [None])
        for probe in probes:
            changed = copy.copy(record)
            setattr(changed, attname, probe)
            assert violates(constraint, changed) == django_violates(constraint, changed), (constraint.name, name, probe)
            judged += 1
    # Two fields at once (an end before a start), where the constraint compares fields.
    for first, second in itertools.permutations(names, 2):
        changed = copy.copy(record)
        a, b = (model._meta.get_field(n).attname for n in (first, second))
        if isinstance(getattr(record, a), datetime.date) and isinstance(getattr(record, b), datetime.date):
            setattr(changed, a, datetime.date(2020, 1, 2))
            setattr(changed, b, datetime.date(2020, 1, 1))
            assert violates(constraint, changed) == django_violates(constraint, changed), (constraint.name, first)
    assert judged


def test_a_lookup_the_import_does_not_compute_falls_back_to_django():
    record = factories.EmploymentFactory(start_date=datetime.date(2019, 5, 1))
    recent = CheckConstraint(condition=Q(start_date__year__gte=2020), name="test_recent")
    in_month = CheckConstraint(condition=Q(start_date__month__in=[5, 6]), name="test_month")
    startswith = CheckConstraint(condition=Q(employer__name__startswith="@"), name="test_related")
    assert violates(recent, record) is True
    assert violates(in_month, record) is False
    assert violates(startswith, record) == django_violates(startswith, record)


def reference_evaluate(condition: Q, instance):
    """The import's evaluation of a condition before it was compiled (issue 17), kept as the reference:
    the Q tree walked for each record."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(reference_evaluate(child, instance))
            continue
        lookup, expected = child
        name, _sep, operator = lookup.partition("__")
        model_field = instance._meta.get_field(name)
        if isinstance(expected, F):
            expected = getattr(instance, instance._meta.get_field(expected.name).attname)
        actual = getattr(instance, model_field.attname)
        if operator == "isnull":
            results.append((actual is None) == bool(expected))
        elif actual is None or expected is None:
            results.append(None)
        elif operator in ("", "exact"):
            results.append(actual == expected)
        elif operator == "regex":
            results.append(re.search(expected, actual) is not None)
        elif operator == "in":
            results.append(actual in expected)
        else:
            results.append(
                {
                    "gte": operator_module.ge,
                    "lte": operator_module.le,
                    "gt": operator_module.gt,
                    "lt": operator_module.lt,
                }[operator](actual, expected)
            )
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if condition.negated and value is not None:
        value = not value
    return value


@pytest.mark.parametrize("model, constraint", list(_constraints()), ids=lambda v: getattr(v, "name", ""))
def test_the_compiled_check_gives_the_verdict_of_the_q_tree_walked(model, constraint):
    record = MAKERS[model._meta.label]()
    compiled = _compiled(constraint, model)
    assert compiled is not None  # every constraint of the imported models is computed in Python
    names = sorted(set(_fields(constraint.condition)))
    records = [record]
    for name in names:
        attname = model._meta.get_field(name).attname
        for probe in PROBES.get(type(getattr(record, attname)), [None]):
            changed = copy.copy(record)
            setattr(changed, attname, probe)
            records.append(changed)
    for first, second in itertools.permutations(names, 2):
        a, b = (model._meta.get_field(n).attname for n in (first, second))
        dates = isinstance(getattr(record, a), datetime.date) and isinstance(getattr(record, b), datetime.date)
        for values in ((None, None), (datetime.date(2020, 1, 2), datetime.date(2020, 1, 1)))[: 2 if dates else 1]:
            changed = copy.copy(record)
            setattr(changed, a, values[0])
            setattr(changed, b, values[1])
            records.append(changed)
    verdicts = [compiled(r) for r in records]
    assert verdicts == [reference_evaluate(constraint.condition, r) for r in records]


def test_the_compiled_check_follows_sqls_three_valued_logic():
    record = factories.EmploymentFactory(start_date=datetime.date(2019, 5, 1), end_date=None)
    both = CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="test_after")
    either = CheckConstraint(condition=Q(end_date__gte=F("start_date")) | Q(end_date__isnull=True), name="test_or")
    negated = CheckConstraint(condition=~Q(end_date__gte=F("start_date")), name="test_not")
    assert _compiled(both, type(record))(record) is None and not violates(both, record)
    assert _compiled(either, type(record))(record) is True
    assert _compiled(negated, type(record))(record) is None
    record.end_date = datetime.date(2019, 4, 30)
    assert violates(both, record) and not violates(negated, record)
