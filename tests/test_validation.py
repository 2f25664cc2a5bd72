"""Data rules: each rejects bad values with a message on the field, in Dutch and English, and accepts good ones.

The INSZ and KBO numbers of the property-based tests are built with our own
arithmetic from the rules in docs/domain.md, independently of python-stdnum,
which the validators use.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from common.identifiers import make_insz
from common.provinces import Province, province_for_postcode
from common.validators import insz_birth_date, validate_insz, validate_kbo, validate_postcode
from employees.models import Employee
from evaluations.models import Referral
from partners.constants import OrganisationKind
from partners.models import Organisation
from tests import factories

TODAY = datetime.date.today()


def errors(instance, language="nl"):
    """The message_dict of full_clean() in a language, or {} when the instance is valid."""
    with translation.override(language):
        try:
            instance.full_clean()
        except ValidationError as error:
            return error.message_dict
    return {}


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def new_employee(insz, birth_date=None):
    return Employee(insz=insz, first_name="An", last_name="Peeters", birth_date=birth_date)


def new_organisation(kbo, postcode=9000):
    return Organisation(name="Maatwerk Gent vzw", kbo_number=kbo, kind=OrganisationKind.SE_EMPLOYER, postcode=postcode)


# --- INSZ ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "insz",
    [
        "85073003328",  # national register number, born 1985
        "85.07.30-033.28",  # as people type it
        "17073003384",  # born 2017: the check uses '2' followed by the first nine digits
        "98472899765",  # BIS number (month + 40)
        "01490700185",  # BIS number, born 2001
    ],
)
def test_valid_insz_numbers_are_accepted(db, insz):
    assert errors(new_employee(insz)) == {}


@pytest.mark.parametrize(
    ("insz", "dutch", "english"),
    [
        ("85073003327", "De controlecijfers van INSZ-nummer", "The check digits of INSZ number"),
        ("8507300332", "Een INSZ-nummer heeft precies 11 cijfers", "An INSZ number has exactly 11 digits"),
        ("8507300332A", "Een INSZ-nummer heeft precies 11 cijfers", "An INSZ number has exactly 11 digits"),
        # Month 13 with correct check digits: no valid birth date, not a BIS number either.
        ("85133003370", "is geen geldig INSZ-nummer", "is not a valid INSZ number"),
    ],
)
def test_invalid_insz_is_rejected_on_the_insz_field_in_dutch_and_english(db, insz, dutch, english):
    assert dutch in errors(new_employee(insz), "nl")["insz"][0]
    assert english in errors(new_employee(insz), "en")["insz"][0]


def test_insz_is_stored_without_separators(db):
    employee = new_employee("85.07.30-033.28")
    employee.full_clean()
    assert employee.insz == "85073003328"


def test_birth_date_must_match_the_insz(db):
    messages = errors(new_employee("85073003328", datetime.date(1985, 7, 31)), "nl")
    assert messages["birth_date"] == ["De geboortedatum klopt niet met het INSZ-nummer, dat 30/07/1985 aangeeft."]
    english = errors(new_employee("85073003328", datetime.date(1985, 7, 31)), "en")
    assert english["birth_date"] == ["The birth date does not match the INSZ number, which gives 30/07/1985."]


def test_birth_date_matching_the_insz_is_accepted(db):
    assert errors(new_employee("85073003328", datetime.date(1985, 7, 30))) == {}
    assert errors(new_employee("98472899765", datetime.date(1998, 7, 28))) == {}  # BIS


def test_birth_date_is_free_when_the_insz_encodes_none(db):
    # Month and day zero: the birth date was unknown when the number was given.
    number = make_insz(None, 15)
    assert insz_birth_date(number) is None
    assert errors(new_employee(number, datetime.date(1970, 3, 3))) == {}


def test_duplicate_insz_is_refused_with_a_dutch_message(db):
    existing = factories.EmployeeFactory()
    typed = f"{existing.insz[:2]}.{existing.insz[2:4]}.{existing.insz[4:6]}-{existing.insz[6:9]}.{existing.insz[9:]}"
    messages = errors(new_employee(typed))
    assert messages["insz"] == [f"Er bestaat al een doelgroepwerknemer met INSZ-nummer {existing.insz}."]
    assert errors(new_employee(typed), "en")["insz"] == [
        f"The INSZ number {existing.insz} is already registered for another employee."
    ]


def test_the_same_employee_saved_again_is_no_duplicate(db):
    existing = factories.EmployeeFactory()
    assert errors(existing) == {}


# --- KBO -----------------------------------------------------------------------------


@pytest.mark.parametrize("kbo", ["0403170701", "BE 0403.170.701", "403170701", "1000000120"])
def test_valid_kbo_numbers_are_accepted(db, kbo):
    assert errors(new_organisation(kbo)) == {}


@pytest.mark.parametrize(
    ("kbo", "dutch", "english"),
    [
        ("0403170702", "De controlecijfers van KBO-nummer", "The check digits of KBO number"),
        ("0009700000", "De controlecijfers van KBO-nummer", "The check digits of KBO number"),  # '00' where '97' is due
        (
            "04031707",
            "Een KBO-ondernemingsnummer heeft precies 10 cijfers",
            "A KBO enterprise number has exactly 10 digits",
        ),
        (
            "2000000042",
            "is geen geldig KBO-ondernemingsnummer",
            "is not a valid KBO enterprise number",
        ),  # starts with 2
    ],
)
def test_invalid_kbo_is_rejected_on_the_kbo_field_in_dutch_and_english(db, kbo, dutch, english):
    assert dutch in errors(new_organisation(kbo), "nl")["kbo_number"][0]
    assert english in errors(new_organisation(kbo), "en")["kbo_number"][0]


def test_duplicate_kbo_is_refused_with_a_dutch_message(db):
    existing = factories.OrganisationFactory()
    messages = errors(new_organisation("BE" + existing.kbo_number))
    assert messages["kbo_number"] == [f"Er bestaat al een organisatie met KBO-nummer {existing.kbo_number}."]
    assert errors(new_organisation(existing.kbo_number), "en")["kbo_number"] == [
        f"The KBO number {existing.kbo_number} is already registered for another organisation."
    ]


# --- Postcode ------------------------------------------------------------------------


@pytest.mark.parametrize("postcode", [999, 10000, 0])
def test_postcode_outside_1000_9999_is_rejected(db, postcode):
    assert errors(new_organisation("0403170701", postcode))["postcode"] == [
        f"Een Belgische postcode ligt tussen 1000 en 9999 ({postcode})."
    ]
    assert errors(new_organisation("0403170701", postcode), "en")["postcode"] == [
        f"A Belgian postcode lies between 1000 and 9999 ({postcode})."
    ]


@pytest.mark.parametrize("postcode", [1000, 9999, None])
def test_postcode_inside_1000_9999_or_unknown_is_accepted(db, postcode):
    assert errors(new_organisation("0403170701", postcode)) == {}


def test_saving_an_organisation_stores_the_province_of_its_postcode(db):
    organisation = factories.OrganisationFactory(postcode=3500)
    organisation.refresh_from_db()
    assert organisation.province == Province.LIMBURG
    organisation.postcode = None
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.province == ""


# --- End on or after start -----------------------------------------------------------

DAY = datetime.timedelta(days=1)


def _dated_records():
    """(record, start field, end field) for every model with a period."""
    from employees.models import Instrument

    instrument = Instrument.objects.create(
        name="test-instrument", code="test-instrument", valid_from=datetime.date(2015, 4, 1)
    )
    return [
        (factories.CallFactory(number="999", start_date=datetime.date(2019, 1, 1)), "start_date", "end_date"),
        (factories.PilotFactory(), "start_date", "end_date"),
        (instrument, "valid_from", "valid_until"),
        (factories.EmploymentFactory(), "start_date", "end_date"),
        (factories.TrajectoryFactory(), "start_date", "end_date"),
        (factories.InternshipFactory(), "start_date", "end_date"),
    ]


def test_every_period_ending_before_it_starts_is_rejected_on_its_end_field(db):
    for record, start_field, end_field in _dated_records():
        start = getattr(record, start_field)
        setattr(record, end_field, start - DAY)
        dutch = errors(record, "nl")
        assert list(dutch) == [end_field], record
        expected_nl = (
            "De einddatum mag niet vóór de begindatum"
            if end_field == "end_date"
            else "'Geldig tot' mag niet vóór 'geldig vanaf'"
        )
        assert dutch[end_field][0].startswith(expected_nl), dutch
        assert start.strftime("%d/%m/%Y") in dutch[end_field][0]
        english = errors(record, "en")[end_field][0]
        assert "cannot lie before" in english, english


def test_every_period_ending_on_or_after_its_start_is_accepted(db):
    for record, start_field, end_field in _dated_records():
        start = getattr(record, start_field)
        for end in (start, start + DAY):
            setattr(record, end_field, end)
            assert errors(record) == {}, (record, end)


def test_a_trajectory_phase_before_the_start_is_rejected_on_the_phase_field(db):
    trajectory = factories.TrajectoryFactory()
    trajectory.stage_start = trajectory.start_date - DAY
    assert list(errors(trajectory)) == ["stage_start"]
    trajectory.stage_start = trajectory.start_date
    assert errors(trajectory) == {}


def test_an_internship_before_its_trajectory_is_rejected(db):
    internship = factories.InternshipFactory()
    internship.start_date = internship.trajectory.start_date - DAY
    assert list(errors(internship)) == ["start_date"]


# --- Dates that cannot lie in the future ---------------------------------------------


def _records_with_past_dates():
    """(record, field) for every date that records something that already happened."""
    evaluation = factories.EvaluationFactory()
    referral = Referral.objects.create(
        evaluation=evaluation, employee=evaluation.employee, partner=factories.PartnerFactory()
    )
    trajectory = factories.TrajectoryFactory(ended=True)
    return [
        (factories.EmployeeFactory(), "birth_date"),
        (evaluation, "evaluation_date"),
        (trajectory, "start_date"),
        (trajectory, "end_date"),
        *[
            (record, "registered_on")
            for record in (
                factories.EmployeeFactory(),
                factories.EmploymentFactory(),
                factories.EvaluationFactory(),
                referral,
                factories.TrajectoryFactory(),
                factories.InternshipFactory(),
            )
        ],
    ]


def _make_valid_around(record, field, value):
    """Move the record's other dates so that only `field` can make it invalid."""
    setattr(record, field, value)
    if field == "start_date":
        record.end_date, record.end_reason = None, None
    if field == "birth_date":
        record.insz = make_insz(value, 1)


def test_dates_in_the_future_are_rejected_where_impossible(db):
    for record, field in _records_with_past_dates():
        _make_valid_around(record, field, tomorrow())
        dutch = errors(record, "nl")
        assert dutch.get(field) == [f"Deze datum ligt in de toekomst ({tomorrow().isoformat()})."], (
            record,
            field,
            dutch,
        )
        assert errors(record, "en")[field] == [f"This date lies in the future ({tomorrow().isoformat()})."]


def test_dates_up_to_today_are_accepted(db):
    for record, field in _records_with_past_dates():
        _make_valid_around(record, field, timezone.localdate())
        assert errors(record) == {}, (record, field)


# --- Amounts -------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["esf_amount", "flemish_amount", "spent_amount"])
def test_negative_grant_amounts_are_rejected(db, field):
    grant = factories.GrantFactory()
    setattr(grant, field, Decimal("-0.01"))
    assert errors(grant)[field] == ["Zorg ervoor dat deze waarde minstens 0 is."]
    assert errors(grant, "en")[field] == ["Ensure this value is greater than or equal to 0."]
    setattr(grant, field, Decimal("0"))
    assert errors(grant) == {}


def test_negative_call_cost_is_rejected(db):
    call = factories.CallFactory()
    call.standard_cost = Decimal("-1")
    assert errors(call)["standard_cost"] == ["Zorg ervoor dat deze waarde minstens 0 is."]
    call.standard_cost = Decimal("0")
    assert errors(call) == {}


def test_esf_share_above_one_is_rejected(db):
    call = factories.CallFactory()
    call.esf_share = Decimal("1.5")
    assert errors(call) != {}
    call.esf_share = Decimal("1")
    assert errors(call) == {}


# --- Property-based: INSZ ------------------------------------------------------------

MONTH_OFFSET = {"national register": 0, "BIS, gender unknown": 20, "BIS, gender known": 40}


def _check(base: int) -> int:
    return 97 - base % 97


@st.composite
def insz_numbers(draw):
    """(number, birth date, first nine digits, the check the number carries) by the rule of docs/domain.md."""
    kind = draw(st.sampled_from(sorted(MONTH_OFFSET)))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY))
    serial = draw(st.integers(min_value=1, max_value=997))
    body = f"{birth:%y}{birth.month + MONTH_OFFSET[kind]:02d}{birth:%d}{serial:03d}"
    check = _check(int("2" + body) if birth.year >= 2000 else int(body))
    return body + f"{check:02d}", birth, body, check


@settings(deadline=None)
@given(insz_numbers())
@example(("00010100697", datetime.date(2000, 1, 1), "000101006", 97))  # check 97, not 00
def test_insz_built_from_the_rule_is_accepted_and_gives_its_birth_date(case):
    number, birth, _body, _check_digits = case
    validate_insz(number)
    assert insz_birth_date(number) == birth


@settings(deadline=None)
@given(insz_numbers(), st.integers(min_value=0, max_value=99))
def test_insz_with_other_check_digits_is_rejected(case, other):
    number, birth, body, check = case
    if other == check:
        other = (check + 1) % 100
    changed = body + f"{other:02d}"
    # The same nine digits are a valid number of someone born a century apart
    # when the other century's check matches and that person may be born yet.
    if birth.year >= 2000:
        other_century_ok = other == _check(int(body))
    else:
        other_century_ok = other == _check(int("2" + body)) and birth.year + 100 <= TODAY.year
    if other_century_ok:
        validate_insz(changed)
        assert insz_birth_date(changed).year in (birth.year - 100, birth.year + 100)
    else:
        with pytest.raises(ValidationError):
            validate_insz(changed)


# --- Property-based: KBO -------------------------------------------------------------


@st.composite
def kbo_numbers(draw):
    """(number, first eight digits, check) by the rule of docs/domain.md; KBO numbers begin with 0 or 1."""
    first8 = draw(st.integers(min_value=1, max_value=19_999_999).map(lambda n: f"{n:08d}"))
    return first8 + f"{_check(int(first8)):02d}", first8, _check(int(first8))


@settings(deadline=None)
@given(kbo_numbers())
@example(("0009700097", "00097000", 97))
def test_kbo_built_from_the_rule_is_accepted(case):
    number, _first8, _check_digits = case
    validate_kbo(number)
    validate_kbo(f"BE {number[:4]}.{number[4:7]}.{number[7:]}")


@settings(deadline=None)
@given(kbo_numbers(), st.integers(min_value=0, max_value=99))
@example(("0009700097", "00097000", 97), 0)
def test_kbo_with_other_check_digits_is_rejected(case, other):
    number, first8, check = case
    if other == check:
        other = (check + 1) % 100
    with pytest.raises(ValidationError):
        validate_kbo(first8 + f"{other:02d}")


# --- Property-based: postcode and province -------------------------------------------

# The table of docs/domain.md, written out independently of common/provinces.py.
DESIGN_PROVINCES = [
    (1000, 1299, "Brussel"),
    (1300, 1499, "Waals-Brabant"),
    (1500, 1999, "Vlaams-Brabant"),
    (3000, 3499, "Vlaams-Brabant"),
    (2000, 2999, "Antwerpen"),
    (3500, 3999, "Limburg"),
    (4000, 4999, "Luik"),
    (5000, 5999, "Namen"),
    (6000, 6599, "Henegouwen"),
    (7000, 7999, "Henegouwen"),
    (6600, 6999, "Luxemburg"),
    (8000, 8999, "West-Vlaanderen"),
    (9000, 9999, "Oost-Vlaanderen"),
]


def _design_province(postcode):
    names = [name for first, last, name in DESIGN_PROVINCES if first <= postcode <= last]
    return names


def test_every_postcode_maps_to_the_province_of_the_design_table():
    for postcode in range(1000, 10000):
        names = _design_province(postcode)
        assert len(names) == 1, postcode
        assert Province(province_for_postcode(postcode)).label == names[0], postcode


@settings(deadline=None)
@given(st.integers(min_value=1000, max_value=9999))
def test_postcode_in_range_is_valid_and_has_a_province(postcode):
    validate_postcode(postcode)
    assert Province(province_for_postcode(postcode)).label == _design_province(postcode)[0]


@settings(deadline=None)
@given(st.one_of(st.integers(max_value=999), st.integers(min_value=10000)))
def test_postcode_out_of_range_is_invalid_and_has_no_province(postcode):
    with pytest.raises(ValidationError):
        validate_postcode(postcode)
    assert province_for_postcode(postcode) == ""


def test_a_check_on_one_field_puts_its_message_on_that_field(db):
    grant = factories.GrantFactory()
    grant.year = 1999
    assert errors(grant) == {"year": ["Het jaar moet tussen 2000 en 2100 liggen."]}
    assert errors(grant, "en") == {"year": ["The year must lie between 2000 and 2100."]}
    grant.year = 2000
    assert errors(grant) == {}
    call = factories.CallFactory()
    call.esf_share = Decimal("1.5")
    assert errors(call) == {"esf_share": ["Het ESF-aandeel is een breuk tussen 0 en 1."]}


def test_a_check_on_several_fields_stays_a_general_message(db):
    from common.models import _single_field
    from trajectories.models import Trajectory

    constraints = {c.name: c for c in Trajectory._meta.constraints}
    assert _single_field(constraints["trajectories_trajectory_reason_needs_end"]) is None
    assert _single_field(constraints["trajectories_trajectory_phases_after_start"]) is None
