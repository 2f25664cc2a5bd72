"""The model rules an import checks on each record it writes, as full_clean() would, at an import's pace.

A field's own checks, the model's clean() and its check constraints (`validate_instance`), and the
field checks of a row that cannot become a record (`validate_columns`). A file repeats the same values
and the same rules for thousands of rows, so a field's outcome is remembered per value and each check
constraint is compiled once per model into a Python function (issue 17).
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import CheckConstraint, F, Q

from imports.kind_base import Kind, allowed_values

# At most this many remembered outcomes (of cells read, of field checks) per import.
MEMO_LIMIT = 500_000


def _referenced_fields(condition: Q) -> list[str]:
    names = []
    for child in condition.children:
        if isinstance(child, Q):
            names.extend(_referenced_fields(child))
        elif isinstance(child, tuple):
            names.append(child[0].split("__")[0])
    return names


class _NotEvaluated(Exception):
    """A lookup `_compile` does not compute in Python: Django's own validation decides instead."""


_COMPARISONS = {
    "gte": lambda a, b: a >= b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "lt": lambda a, b: a < b,
}


def _compile(condition: Q, model):
    """A check constraint's condition as a function of an unsaved record, with SQL's three-valued logic.

    In Python, for the lookups the models' constraints use (exact, isnull, in, regex, gte, lte, gt,
    lt, with values or F() references on the record's own fields): a file repeats them for thousands
    of rows, so the condition is compiled once per model, its fields and references looked up here
    rather than for every row. Any other lookup, transform or expression raises _NotEvaluated, and
    `violates` asks Django's own CheckConstraint.validate (a query per row) instead.
    """
    parts = []
    for child in condition.children:
        if isinstance(child, Q):
            parts.append(_compile(child, model))
            continue
        if not isinstance(child, tuple):
            raise _NotEvaluated
        parts.append(_compile_lookup(*child, model))
    if condition.connector == Q.AND:
        decisive, otherwise = False, True
    else:
        decisive, otherwise = True, False
    negated = condition.negated

    def evaluate(instance):
        # SQL's AND (OR): any FALSE (TRUE) decides, else any NULL makes NULL.
        value = otherwise
        for part in parts:
            result = part(instance)
            if result is decisive:
                value = decisive
                break
            if result is None:
                value = None
        if negated and value is not None:
            value = not value
        return value

    return evaluate


def _compile_lookup(lookup: str, expected, model):
    name, _sep, operator = lookup.partition("__")
    if hasattr(expected, "resolve_expression") and not isinstance(expected, F) or "__" in operator:
        raise _NotEvaluated
    try:
        attname = model._meta.get_field(name).attname
        other = model._meta.get_field(expected.name).attname if isinstance(expected, F) else None
    except FieldDoesNotExist:
        raise _NotEvaluated from None
    if operator == "isnull":
        if other is not None:
            return lambda instance: (getattr(instance, attname) is None) == bool(getattr(instance, other))
        wanted = bool(expected)
        return lambda instance: (getattr(instance, attname) is None) == wanted
    if operator not in ("", "exact", "regex", "in", *_COMPARISONS):
        raise _NotEvaluated
    if operator in ("", "exact"):
        compare = _equal
    elif operator == "regex":
        pattern = re.compile(expected) if other is None else None
        compare = (lambda actual, _expected: pattern.search(actual) is not None) if pattern else _regex_search
    elif operator == "in":
        compare = _contained
    else:
        compare = _COMPARISONS[operator]

    def evaluate(instance):
        actual = getattr(instance, attname)
        value = expected if other is None else getattr(instance, other)
        if actual is None or value is None:
            return None
        return compare(actual, value)

    return evaluate


def _equal(actual, expected) -> bool:
    return actual == expected


def _regex_search(actual, expected) -> bool:
    return re.search(expected, actual) is not None


def _contained(actual, expected) -> bool:
    return actual in expected


# (model, id of the constraint) -> (the constraint, kept so that its id is not reused; its compiled check).
_COMPILED: dict = {}


def _compiled(constraint: CheckConstraint, model):
    """The constraint's compiled condition, made once per model and constraint; None when Django's own
    validation has to decide."""
    key = (model, id(constraint))
    if key not in _COMPILED:
        try:
            check = _compile(constraint.condition, model)
        except _NotEvaluated:
            check = None
        _COMPILED[key] = (constraint, check)
    return _COMPILED[key][1]


def violates(constraint: CheckConstraint, instance) -> bool:
    """Whether the unsaved instance breaks the check constraint (NULL passes, as in SQL)."""
    check = _compiled(constraint, type(instance)) if isinstance(constraint.condition, Q) else None
    if check is not None:
        return check(instance) is False
    try:
        constraint.validate(type(instance), instance)
    except ValidationError:
        return True
    return False


def validate_instance(kind: Kind, instance, error, cache: dict | None = None) -> None:
    """The model's own rules: its fields' validators, its clean() and its check constraints.

    This is what full_clean() does (without the uniqueness checks, which the
    natural keys settle, and without the relations, resolved from prefetched
    records). A field's validators depend only on its value, so their outcome
    is remembered per value in `cache`: a file repeats the same dates and
    codes thousands of times.
    """
    reported = set()
    cache = {} if cache is None else cache
    checked_fields, checks = _checked(kind, type(instance))
    for model_field, attname, column in checked_fields:
        raw = getattr(instance, attname)
        if model_field.blank and raw in model_field.empty_values:
            continue
        key = (attname, type(raw), raw)
        outcome = cache.get(key)
        if outcome is None:
            outcome = _field_outcome(model_field, raw, instance, cache)
        if outcome[0]:
            setattr(instance, attname, outcome[1])
        else:
            reported.add(column)
            for message in outcome[1]:
                error(column, message)
    try:
        instance.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else kind.field_columns.get(name, name)
            reported.add(column)
            for message in messages:
                error(column, message)
    for constraint, column in checks:
        if violates(constraint, instance) and column not in reported:
            # (A column already reported: the field's own check said it more precisely.)
            reported.add(column)
            error(column, str(constraint.get_violation_error_message()))


_CHECKED: dict = {}


def _checked(kind: Kind, model) -> tuple[list, list]:
    """What validate_instance checks on a kind's records, worked out once per kind and model: the
    fields with their own checks as (field, attname, column), the check constraints as (constraint,
    the column their message goes to)."""
    key = (id(kind), model)
    if key not in _CHECKED:
        exclude = set(kind.clean_exclude)
        fields = [
            (f, f.attname, kind.field_columns.get(f.name, f.name))
            for f in model._meta.concrete_fields
            if f.name not in exclude
        ]
        checks = []
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                names = _referenced_fields(constraint.condition)
                column = kind.field_columns.get("end_date" if "end_date" in names else (names or [""])[0], "")
                checks.append((constraint, column))
        _CHECKED[key] = (kind, fields, checks)
    return _CHECKED[key][1:]


def _field_outcome(model_field, raw, instance, cache: dict):
    """(True, cleaned value) or (False, messages) of one field's own checks, remembered per value;
    a refused choice says which values are allowed."""
    key = (model_field.attname, type(raw), raw)
    outcome = cache.get(key)
    if outcome is None:
        try:
            outcome = (True, model_field.clean(raw, instance))
        except ValidationError as exc:
            messages = exc.messages
            if model_field.choices and any(e.code == "invalid_choice" for e in exc.error_list):
                choices = [value for value, _label in model_field.flatchoices if value not in ("", None)]
                messages = [f"{message} {allowed_values(choices)}" for message in messages]
            outcome = (False, messages)
        if len(cache) < MEMO_LIMIT:
            cache[key] = outcome
    return outcome


def validate_columns(kind: Kind, row: dict, row_errors: list, error, cache: dict) -> None:
    """The fields' own checks on a row that cannot become a record (a person, an organisation or a
    required value is wrong): its other values are still checked, so that the row's every problem is
    reported at once. A column that has a problem already is not checked again."""
    said = {e.column for e in row_errors}
    by_column = {column: name for name, column in kind.field_columns.items()}
    for column, value in row.items():
        name = by_column.get(column, column)
        if value is None or column in said or name in kind.clean_exclude:
            continue
        try:
            model_field = kind.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.is_relation or (model_field.blank and value in model_field.empty_values):
            continue
        ok, outcome = _field_outcome(model_field, value, None, cache)
        if not ok:
            for message in outcome:
                error(column, message)
