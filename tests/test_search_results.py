"""The free-text search of every list gives the same rows on a fixed data set (issue 17, point 3).

Written on the search as it was before issue 17 (UPPER(column) LIKE '%word%' per column, each word
`id IN (...)`), so that a faster search can be checked to find exactly the same rows: name parts in
any order, any case, a part of a word, organisation names, the INSZ only whole. Run on SQLite and on
PostgreSQL (DATABASE_URL). The search also goes through each list page, whose query count stays the
same whatever the search finds.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employees.filters import EmployeeFilter
from employees.models import Employee
from evaluations.filters import EvaluationFilter, ReferralFilter
from evaluations.models import Evaluation, Referral
from partners.filters import OrganisationFilter, PilotFilter
from partners.models import Organisation, Pilot
from tests import factories
from trajectories.filters import InternshipFilter, TrajectoryFilter
from trajectories.models import Internship, Trajectory

pytestmark = pytest.mark.django_db

PERSONS = {
    "jan": ("Jan", "Peeters"),
    "jan2": ("jan", "peeters"),
    "marie": ("Marie", "Jansen"),
    "jw": ("Jan-Willem", "Van den Broeck"),
    "elodie": ("Élodie", "Müller"),
    "lotte": ("Lotte", "De Smet"),
    "ann": ("Ann", "Peetermans"),
    "zoe": ("Zoë", "Claes"),
    "pct": ("Kim", "100%_Janssens"),
}


@pytest.fixture
def world():
    """Persons with an evaluation, a referral, a trajectory and an internship each, and named organisations."""
    se_employer = factories.OrganisationFactory(name="Maatwerkbedrijf Limburg")
    other_employer = factories.OrganisationFactory(name="Bakkerij Peeters")
    partner = factories.PartnerFactory(name="Doorstroompartner Gent")
    host = factories.RegularEmployerFactory(name="Hotel Zeezicht Oostende")
    factories.OrganisationFactory(name="Café Zoë")
    persons, births = {}, datetime.date(1980, 1, 1)
    for n, (key, (first, last)) in enumerate(PERSONS.items()):
        person = factories.EmployeeFactory(
            first_name=first, last_name=last, birth_date=births + datetime.timedelta(days=n), serial=n
        )
        employer = other_employer if key == "marie" else se_employer
        evaluation = factories.EvaluationFactory(employee=person, employer=employer)
        trajectory = factories.TrajectoryFactory(employee=person, partner=partner, se_employer=employer)
        Referral.objects.create(evaluation=evaluation, employee=person, partner=partner, trajectory=trajectory)
        factories.InternshipFactory(trajectory=trajectory, host=host)
        persons[key] = person
    return persons


def _names(model, ids):
    """The keys of PERSONS whose records are `ids` (organisations by name)."""
    if model is Organisation:
        return sorted(Organisation.objects.filter(pk__in=ids).values_list("name", flat=True))
    path = {Employee: "pk", Internship: "trajectory__employee"}.get(model, "employee")
    people = model.objects.filter(pk__in=ids).values_list(path, flat=True)
    by_pk = {p.pk: key for key, p in _world_persons().items()}
    return sorted(by_pk[pk] for pk in people)


def _world_persons():
    return {key: Employee.objects.get(first_name=first, last_name=last) for key, (first, last) in PERSONS.items()}


FILTERS = {
    Employee: EmployeeFilter,
    Evaluation: EvaluationFilter,
    Referral: ReferralFilter,
    Trajectory: TrajectoryFilter,
    Internship: InternshipFilter,
    Organisation: OrganisationFilter,
}


def _search(model, text):
    found = FILTERS[model]({"q": text}, queryset=model.objects.all()).qs
    return _names(model, list(found.values_list("pk", flat=True)))


ALL = sorted(PERSONS)
PEETERS = ["jan", "jan2"]

# (search text, persons found in the person, referral and internship lists, persons found in the
# evaluation and trajectory lists, which also search the employer or partner by name).
EXPECTED = [
    ("peeters", PEETERS, ["jan", "jan2", "marie"]),
    # Marie Jansen works at Bakkerij Peeters: "jan" in her name, "peeters" in her employer's.
    ("Jan Peeters", PEETERS, ["jan", "jan2", "marie"]),
    ("PEETERS jan", PEETERS, ["jan", "jan2", "marie"]),
    ("peeter", ["ann", "jan", "jan2"], ["ann", "jan", "jan2", "marie"]),
    ("peet", ["ann", "jan", "jan2"], ["ann", "jan", "jan2", "marie"]),
    ("van den", ["jw"], ["jw"]),
    ("broeck willem", ["jw"], ["jw"]),
    ("jan", ["jan", "jan2", "jw", "marie", "pct"], ["jan", "jan2", "jw", "marie", "pct"]),
    ("Élodie", ["elodie"], ["elodie"]),
    ("Müller", ["elodie"], ["elodie"]),
    ("Müller Élodie", ["elodie"], ["elodie"]),
    ("Zoë", ["zoe"], ["zoe"]),
    ("ller", ["elodie"], ["elodie"]),
    ("limburg", [], [k for k in ALL if k != "marie"]),
    ("Gent", [], []),  # the partner: searched by the trajectory list only (below)
    ("Bakkerij", [], ["marie"]),
    ("100%", ["pct"], ["pct"]),
    ("%", ["pct"], ["pct"]),
    ("_", ["pct"], ["pct"]),
    ("xyzzy", [], []),
    ("jan xyzzy", [], []),
    ("  jan   peeters  ", PEETERS, ["jan", "jan2", "marie"]),
    # Words in the person's names and the employer's at once (the evaluation and trajectory lists).
    ("Müller Maatwerkbedrijf", [], ["elodie"]),
    ("limburg ELODIE", [], ["elodie"]),
    ("bakkerij jansen marie", [], ["marie"]),
    # A word is never found across two texts: the first and last name, or a name and an organisation's.
    ("JanPeeters", [], []),
    ("peetersmaatwerkbedrijf", [], []),
    ("smetmaatwerk", [], []),
]


@pytest.mark.parametrize("text, persons, with_organisation", EXPECTED)
def test_each_list_finds_the_same_rows_as_before(world, text, persons, with_organisation):
    for model in (Employee, Referral, Internship):
        assert _search(model, text) == persons, (model.__name__, text)
    assert _search(Evaluation, text) == with_organisation, text
    expected_trajectories = ALL if text == "Gent" else with_organisation
    assert _search(Trajectory, text) == expected_trajectories, text


def test_an_insz_is_found_whole_dotted_or_not_and_with_a_name(world):
    person = world["jan"]
    number = person.insz
    dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    for model in (Employee, Evaluation, Referral, Trajectory, Internship):
        assert _search(model, number) == ["jan"], model.__name__
        assert _search(model, dotted) == ["jan"], model.__name__
        assert _search(model, f"Peeters {dotted}") == ["jan"], model.__name__
        assert _search(model, f"Claes {number}") == [], model.__name__
        assert _search(model, number[:6]) == [], model.__name__  # a part of an INSZ is not searched
    # With an organisation's name: the lists that search it.
    assert _search(Evaluation, f"Limburg {number}") == ["jan"]
    assert _search(Trajectory, f"{dotted} gent") == ["jan"]
    assert _search(Internship, f"zeezicht {number}") == ["jan"]
    assert _search(Referral, f"gent {number}") == []  # the referral list does not search its partner
    assert _search(Evaluation, f"Bakkerij {number}") == []


def test_organisations_are_found_by_name_and_kbo_number(world):
    assert _search(Organisation, "peeters") == ["Bakkerij Peeters"]
    assert _search(Organisation, "gent doorstroom") == ["Doorstroompartner Gent"]
    assert _search(Organisation, "Zoë") == ["Café Zoë"]
    kbo = Organisation.objects.get(name="Café Zoë").kbo_number
    assert _search(Organisation, kbo) == ["Café Zoë"]


def test_the_internship_list_also_searches_the_host(world):
    assert _search(Internship, "zeezicht oostende") == ALL
    assert _search(Internship, "zeezicht jan") == ["jan", "jan2", "jw", "marie", "pct"]


SEARCHED_LISTS = [
    "employees:list",
    "evaluations:list",
    "evaluations:referral_list",
    "trajectories:list",
    "trajectories:internship_list",
]


@pytest.mark.parametrize("name", SEARCHED_LISTS)
def test_a_searched_list_shows_the_rows_found_with_the_same_queries_whatever_it_finds(
    world, name, client, administrator
):
    client.force_login(administrator)
    url = reverse(name)
    counts = {}
    for text in ("peeters", "jan", "xyzzy", "jan peeters"):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, {"q": text})
        assert response.status_code == 200
        counts[text] = len(context.captured_queries)
        shown = [row.record.pk for row in response.context["table"].page.object_list]
        model = response.context["table"].data.model
        assert sorted(_names(model, shown)) == sorted(_names(model, _raw_ids(model, text))), (name, text)
    # An empty page reads no rows (and their related records): fewer queries, never more.
    empty = counts.pop("xyzzy")
    assert len(set(counts.values())) == 1 and empty <= min(counts.values()), counts


def _raw_ids(model, text):
    return list(FILTERS[model]({"q": text}, queryset=model.objects.all()).qs.values_list("pk", flat=True))


def test_accents_and_the_case_of_accented_letters_are_ignored(world):
    """Issue 17: "elodie muller" finds Élodie Müller (before, only the accented spelling found her)."""
    for model in (Employee, Evaluation, Referral, Trajectory, Internship):
        assert _search(model, "elodie muller") == ["elodie"], model.__name__
        assert _search(model, "ÉLODIE MÜLLER") == ["elodie"], model.__name__
        assert _search(model, "zoe") == ["zoe"], model.__name__
    assert _search(Organisation, "cafe zoe") == ["Café Zoë"]


def test_words_may_match_different_organisations_of_a_pilot():
    """A pilot has many organisations: each word may be in another one's name, as before issue 17."""
    pilot = factories.PilotFactory(name="Proeftuin")
    pilot.organisations.add(
        factories.OrganisationFactory(name="Alpha Groen"), factories.OrganisationFactory(name="Beta Zorg")
    )
    factories.PilotFactory(name="Andere")
    found = PilotFilter({"q": "alpha zorg"}, queryset=Pilot.objects.all()).qs
    assert list(found) == [pilot]
    assert not PilotFilter({"q": "alpha gamma"}, queryset=Pilot.objects.all()).qs.exists()
