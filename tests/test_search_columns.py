"""The case lists' search columns that PostgreSQL keeps by triggers (evaluations 0013, trajectories 0009).

Each of evaluations, referrals, trajectories and internships holds in `search_text` the texts its list's
search compares (common/search_columns.py); the search reads that column alone. Whatever writes a
person's names, an organisation's name or a record's references, the column follows: the search then
finds the new names and no longer the old ones. PostgreSQL only (SQLite searches the names themselves).
"""

import datetime

import pytest
from django.db import connection

from common.filters import row_search_column
from employees.models import Employee
from evaluations.filters import EvaluationFilter, ReferralFilter
from evaluations.models import Evaluation, Referral
from partners.models import Organisation
from people.retention import persons_anonymise
from tests import factories
from trajectories.filters import InternshipFilter, TrajectoryFilter
from trajectories.models import Internship, Trajectory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the columns and triggers are PostgreSQL's"),
]

LISTS = {
    Evaluation: EvaluationFilter,
    Referral: ReferralFilter,
    Trajectory: TrajectoryFilter,
    Internship: InternshipFilter,
}


@pytest.fixture
def case():
    """One person with an evaluation, a trajectory with its referral, and an internship, all ended long ago."""
    person = factories.EmployeeFactory(first_name="Élodie", last_name="Müller")
    employer = factories.OrganisationFactory(name="Maatwerkbedrijf Limburg")
    partner = factories.PartnerFactory(name="Doorstroompartner Gent")
    host = factories.RegularEmployerFactory(name="Hotel Zeezicht")
    evaluation = factories.EvaluationFactory(employee=person, employer=employer)
    trajectory = factories.TrajectoryFactory(employee=person, partner=partner, se_employer=employer, ended=True)
    referral = Referral.objects.create(evaluation=evaluation, employee=person, partner=partner, trajectory=trajectory)
    internship = factories.InternshipFactory(trajectory=trajectory, host=host, end_date=datetime.date(2019, 6, 1))
    return {"person": person, "employer": employer, "partner": partner, "host": host, "evaluation": evaluation,
            "trajectory": trajectory, "referral": referral, "internship": internship}  # fmt: skip


def _texts():
    """Each listed record's search column, by model."""
    texts = {}
    with connection.cursor() as cursor:
        for model in LISTS:
            cursor.execute(f"SELECT search_text FROM {model._meta.db_table} ORDER BY id")
            texts[model] = [row[0] for row in cursor.fetchall()]
    return texts


def _found(text):
    """The models whose list finds a record for `text`."""
    return sorted(
        model.__name__ for model, filter_ in LISTS.items() if filter_({"q": text}, queryset=model.objects.all()).qs
    )


ALL = ["Evaluation", "Internship", "Referral", "Trajectory"]


def test_each_case_list_searches_its_own_column():
    for model, filter_ in LISTS.items():
        assert row_search_column(model, filter_.base_filters["q"].search_fields) == "search_text", model.__name__
    assert row_search_column(Employee, ("first_name", "last_name", "insz")) is None
    # Another set of fields than the column holds: the search through the related tables.
    assert row_search_column(Evaluation, ("employee__first_name", "employee__last_name")) is None


def test_the_column_holds_the_searched_texts_as_the_search_compares_them(case):
    assert _texts() == {
        Evaluation: ["ELODIE MULLER\nMAATWERKBEDRIJF LIMBURG"],
        Referral: ["ELODIE MULLER"],  # the partner is not searched in the referral list
        Trajectory: ["ELODIE MULLER\nDOORSTROOMPARTNER GENT\nMAATWERKBEDRIJF LIMBURG"],
        Internship: ["ELODIE MULLER\nHOTEL ZEEZICHT"],
    }
    assert _found("müller elodie") == ALL
    assert _found("limburg muller") == ["Evaluation", "Trajectory"]
    # A word never matches across two texts: neither across names, nor from a name into an organisation's.
    assert _found("MULLERMAATWERKBEDRIJF") == _found("ELODIEMULLER") == []


def test_the_column_follows_a_person_renamed(case):
    person = case["person"]
    person.first_name, person.last_name = "Zoë", "Claes"
    person.save()
    assert _found("zoe claes") == ALL
    assert _found("muller") == []
    # A bulk update too (imports, corrections): the triggers see every UPDATE.
    Employee.objects.filter(pk=person.pk).update_with_history(reason="test", last_name="Janssens")
    assert _found("zoe janssens") == ALL and _found("claes") == []


def test_the_column_follows_an_organisation_renamed(case):
    case["employer"].name = "Kringwinkel Hasselt"
    case["employer"].save()
    Organisation.objects.filter(pk=case["partner"].pk).update_with_history(reason="test", name="Trajectpartner Brugge")
    Organisation.objects.filter(pk=case["host"].pk).update_with_history(reason="test", name="Bakkerij Peeters")
    assert _found("kringwinkel") == ["Evaluation", "Trajectory"]
    assert _found("limburg") == _found("gent") == _found("zeezicht") == []
    assert _found("brugge") == ["Trajectory"]
    assert _found("peeters elodie") == ["Internship"]


def test_the_column_follows_a_record_given_another_person_or_organisation(case):
    other = factories.EmployeeFactory(first_name="Jan", last_name="Peeters")
    elsewhere = factories.RegularEmployerFactory(name="Garage Oostende")
    evaluation, trajectory = case["evaluation"], case["trajectory"]
    evaluation.employer = elsewhere
    evaluation.save()
    trajectory.employee = other
    trajectory.save()  # its internship's person follows too
    Internship.objects.filter(pk=case["internship"].pk).update_with_history(reason="test", host=elsewhere)
    assert _found("oostende") == ["Evaluation", "Internship"]
    assert _found("jan peeters") == ["Internship", "Trajectory"]
    assert _found("elodie") == ["Evaluation", "Referral"]


def test_the_column_follows_the_anonymisation_of_a_person(case):
    """The retention (people/retention.py) clears the names: the search no longer finds the person by them."""
    result = persons_anonymise(years=1, today=datetime.date(2100, 1, 1), run_by="test")
    assert result.persons == 1
    assert _found("elodie") == _found("muller") == []
    assert _found("geanonimiseerd") == ALL
    assert _found("limburg") == ["Evaluation", "Trajectory"]
