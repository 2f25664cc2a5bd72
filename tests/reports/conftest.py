"""Helpers for the report tests: run a measure and read its cells by label."""

import datetime

import pytest

from reports.engine import Context, compute
from reports.measures import MEASURES

D = datetime.date


def cells(measure, dimensions, *, as_of, known_at=None, population=None, filters=None, fixed=None, **context):
    """The cells of a computed measure: {label or tuple of labels: value}, zeros included."""
    result = compute(
        MEASURES[measure],
        Context(as_of=as_of, known_at=known_at, **context),
        dimensions=dimensions,
        population=population,
        filters=filters,
        fixed_labels=fixed,
    )
    out = {}
    for labels, value in result.rows():
        key = tuple(labels[d] for d in dimensions)
        out[key[0] if len(key) == 1 else key] = value
    return out


@pytest.fixture
def later():
    """An aware datetime after the `known_at` dates the tests use, to date a change in the history."""
    from reports.sources import end_of_day

    return end_of_day(D(2020, 6, 1))
