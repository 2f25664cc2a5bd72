"""The API against its own schema (schemathesis): generated requests to every operation, as partner staff
and as administrator, find no server error and no answer that breaks the schema (status codes the schema
documents, with their fields and types). A bounded, deterministic number of examples per operation."""

from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accounts.models import APITokenScope
from accounts.tokens import issue_token
from tests import factories

EXAMPLES_PER_OPERATION = 6
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def world(partner, partner_staff, other_partner, other_partner_staff):
    """Both organisations' records, so that generated ids hit records of the caller and of the other."""
    return {
        "own": factories.partner_case(partner, partner_staff),
        "other": factories.partner_case(other_partner, other_partner_staff),
    }


@pytest.mark.parametrize("role", ["partner_staff", "administrator"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(role, request, world, settings_override):
    user = request.getfixturevalue(role)
    _token, key = issue_token(user=user, name="schemathesis", scope=APITokenScope.READ_WRITE)
    headers = {"Authorization": f"Bearer {key}"}
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures, answers = [], Counter()
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case):
            response = case.call(app=app, headers=headers)
            answers[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            exercise()
        except Exception as error:  # noqa: BLE001  (collect every operation's failure, then report them all)
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
    # The run reached the operations: answers were read, and refusals were given as documented problems.
    print(role, dict(answers))
    assert sum(answers.values()) >= len(operations) * 2 and answers[200] > 0


@pytest.fixture
def settings_override(settings):
    """Quick limits out of the way; and, as Django's test client does, the request signals do not close the
    test's database connection (on PostgreSQL it is inside the test's transaction)."""
    settings.DOORSTROOM_API_RATE = "100000/minute"
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_HOUR = 1000
    settings.DOORSTROOM_LOOKUP_LIMIT_PER_DAY = 1000
    cache.clear()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
