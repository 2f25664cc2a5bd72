"""A small, fictitious demo data set for a developer's machine and `make run`.

Partner names are those of the ministerial answer; persons, employers and
all their records are generated (valid INSZ and KBO numbers, fictitious
names). The data set is deterministic: the same seed gives the same records.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from faker import Faker

from common.identifiers import make_insz, make_kbo
from employees.models import Employee, Employment, Instrument
from evaluations.models import Advice, Evaluation
from partners.constants import OrganisationKind
from partners.models import Call, Grant, Organisation, Pilot
from trajectories.constants import InternshipOutcome
from trajectories.models import EndReason, Internship, Trajectory

D = datetime.date

# The ESF call 432 partners named in the answer, with a postcode in their province.
PARTNERS = [
    ("Levanto", 2000),
    ("Argos", 9000),
    ("Vzw Web", 2300),
    ("Loca Consult", 3500),
    ("Buurtservice vzw", 2018),
    ("BLM", 9300),
    ("Mentor vzw", 3000),
    ("GOB Arbeidskansen", 3600),
    ("Synkroon", 3590),
    ("Compaan – Job & Co opleidingen", 3500),
    ("Groep Intro vzw", 1000),
    ("Stad Gent – Dienst Werk (brugproject)", 9000),
    ("In-Z", 3010),
    ("Televil vzw", 3300),
    ("Jomi", 3580),
    ("De Wroeter – Opleidingscentrum vzw", 3800),
    ("Vzw Werkmaat", 8500),
    ("Emino vzw", 8800),
]

# Two fictitious social-economy employers per Flemish province.
SE_EMPLOYER_POSTCODES = [2000, 2800, 3500, 3900, 9000, 9300, 3000, 1800, 8000, 8500]
REGULAR_EMPLOYER_POSTCODES = [2000, 3500, 9000, 3000, 8000]


def demo_is_loaded() -> bool:
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER, name=PARTNERS[0][0]).exists()


@transaction.atomic
def load_demo(seed: int = 2019, persons: int = 120) -> dict[str, int]:
    """Create the demo records; returns how many of each kind were made."""
    rng = random.Random(seed)
    fake = Faker("nl_BE")
    fake.seed_instance(seed)
    kbo = iter(range(3_000_001, 9_999_999))

    def org(name, kind, postcode):
        return Organisation.objects.create(name=name, kind=kind, postcode=postcode, kbo_number=make_kbo(next(kbo)))

    partners = [org(name, OrganisationKind.PARTNER, pc) for name, pc in PARTNERS]
    se_employers = [
        org(f"Maatwerkbedrijf {fake.last_name()}", OrganisationKind.SE_EMPLOYER, pc) for pc in SE_EMPLOYER_POSTCODES
    ]
    regular_employers = [
        org(f"{fake.last_name()} {rng.choice(['NV', 'BV', 'CV'])}", OrganisationKind.REGULAR_EMPLOYER, pc)
        for pc in REGULAR_EMPLOYER_POSTCODES
    ]
    instruments = [Instrument.objects.get(code="collectief-maatwerk"), Instrument.objects.get(code="lokale-diensteneconomie")]
    advices = {a.code: a for a in Advice.objects.all()}
    reasons = list(EndReason.objects.all())
    call = Call.objects.get(number="432")

    counts = {"employees": 0, "employments": 0, "evaluations": 0, "trajectories": 0, "internships": 0}
    for i in range(persons):
        birth = D(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        gender = rng.choice("mf")
        serial = (i % 498) * 2 + (1 if gender == "m" else 2)
        employee = Employee.objects.create(
            insz=make_insz(birth, serial),
            first_name=fake.first_name_male() if gender == "m" else fake.first_name_female(),
            last_name=fake.last_name(),
            birth_date=birth,
            gender=gender,
            registered_on=D(2016, 1, 1),
        )
        counts["employees"] += 1
        employer = rng.choice(se_employers)
        instrument = rng.choice(instruments)
        Employment.objects.create(
            employee=employee, employer=employer, instrument=instrument,
            start_date=D(rng.randint(2012, 2017), rng.randint(1, 12), 1), registered_on=D(2018, 1, 1),
        )
        counts["employments"] += 1
        eval_date = D(rng.choice([2018, 2019, 2019, 2020]), rng.randint(1, 12), rng.randint(1, 28))
        code = rng.choice(["ready", "ready", "internal_transition", "not_ready"])
        Evaluation.objects.create(
            employee=employee, evaluation_date=eval_date, advice=advices[code], employer=employer,
            instrument=instrument, office=rng.choice(["VDAB Gent", "VDAB Antwerpen", "VDAB Hasselt"]),
            registered_on=eval_date,
        )
        counts["evaluations"] += 1
        if code != "ready" or rng.random() < 0.4:
            continue
        start = eval_date + datetime.timedelta(days=rng.randint(20, 90))
        if start > D(2024, 12, 31):
            continue
        trajectory = Trajectory.objects.create(
            employee=employee, partner=rng.choice(partners), call=call, se_employer=employer,
            instrument=instrument, start_date=start, voortraject_start=start, registered_on=start,
        )
        counts["trajectories"] += 1
        if rng.random() < 0.5:
            host = rng.choice(regular_employers)
            istart = start + datetime.timedelta(days=rng.randint(40, 100))
            Internship.objects.create(
                trajectory=trajectory, host=host, sector=rng.choice(["zorg", "retail", "logistiek"]),
                start_date=istart, end_date=istart + datetime.timedelta(days=60),
                outcome=rng.choice(InternshipOutcome.values), registered_on=istart,
            )
            counts["internships"] += 1
        if rng.random() < 0.6:
            end = start + datetime.timedelta(days=rng.randint(120, 300))
            trajectory.end_date = end
            trajectory.end_reason = rng.choice(reasons)
            trajectory.save()
            if trajectory.end_reason.code == "job_regular":
                Employment.objects.create(
                    employee=employee, employer=rng.choice(regular_employers), instrument=None,
                    start_date=end + datetime.timedelta(days=1), registered_on=end + datetime.timedelta(days=10),
                )
                counts["employments"] += 1

    for partner in partners:
        for year in (2019, 2020):
            Grant.objects.create(
                call=call, partner=partner, year=year,
                esf_amount=Decimal("16800.00"), flemish_amount=Decimal("25200.00"),
            )
    pilot = Pilot.objects.create(
        name="Proeftuin doorstroom zorg", sector="zorg", start_date=D(2017, 3, 1), end_date=D(2018, 12, 31),
        results="Doelgroepmedewerkers als polyvalent medewerker in woonzorgcentra.",
    )
    pilot.organisations.set(se_employers[:2] + regular_employers[:1])
    return counts
