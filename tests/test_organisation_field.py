"""An organisation typed by name in a form (partners/forms.py, OrganisationField): found by its name in any case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.forms import OrganisationField
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_name_typed_in_another_case_finds_the_organisation():
    wanted = factories.OrganisationFactory(name="Maatwerkbedrijf Kempen")
    factories.OrganisationFactory(name="Maatwerkbedrijf Kempen-Noord")
    assert OrganisationField().clean("  maatwerkbedrijf KEMPEN ") == wanted


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes and plans of PostgreSQL")
def test_the_name_is_looked_up_by_its_index_not_by_reading_every_organisation():
    factories.OrganisationFactory(name="Maatwerkbedrijf Kempen")
    with CaptureQueriesContext(connection) as queries:
        OrganisationField().clean("maatwerkbedrijf kempen")
    by_name = next(q["sql"] for q in queries.captured_queries if "UPPER(" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + by_name)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "partners_org_name_upper_idx" in plan
