"""The demo data set: fictitious records that reproduce the minister's answer.

`load_demo()` creates persons (generated names, valid INSZ numbers),
organisations (the real partner names of the answer; fictitious social-economy
and regular employers in the five Flemish provinces), employment spells,
evaluations, referrals, trajectories with their phases, internships, end
reasons, the jobs that followed, calls, grants and sector pilots, such that
every table of `ministerial-figures-2019.json`, computed by the definitions of
docs/measures.md with `as_of` and `known_at` both at the table's `demo_as_of`,
equals the published figures (except the cells of answer.PUBLISHED_DIFFERENCES,
where the source contradicts itself). docs/demo-data.md gives the plan.

Beyond the answer it carries employment history from 2014, sector pilots of
2017-2018, late registrations and corrections, and the years 2020-2025, so
that every report has something to show.

Deterministic: the same seed gives the same records. Records are written with
bulk_create_with_history; each history row is dated on the record's
registration date, so that reading the register "as known at" a date works.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db import transaction
from faker import Faker

from accounts.models import User
from accounts.roles import Role
from common.dates import age_in_years
from common.history import bulk_create_with_history
from common.identifiers import make_insz, make_kbo
from demo import answer as ans
from demo.answer import A, BANDS, CM, L, LDE, OV, PROVINCES, VB, WV
from employees.models import Employee, Employment, Instrument
from evaluations.constants import ReferralStatus
from evaluations.models import Advice, Evaluation, Referral
from partners.constants import OrganisationKind
from partners.models import Call, Grant, Organisation, Pilot
from trajectories.constants import InternshipOutcome
from trajectories.models import EndReason, Internship, Trajectory

D = datetime.date
D1 = ans.Q2_Q3_DATE
D2 = ans.Q1_DATE
LAST_DAY = D(2025, 12, 31)  # the demo's records end with 2025
IM = "individueel-maatwerk"
LDE_END = D(2023, 6, 30)  # LDE is absorbed into individueel maatwerk on 1 July 2023
TZ = ZoneInfo("Europe/Brussels")
DEMO_PARTNER = ans.GENT

# The ESF call 432 partners of the answer (normalised names), with a postcode in a plausible province.
PARTNERS = [
    ("Levanto", 2000),
    ("Argos", 9200),
    ("Vzw Web", 2300),
    ("Loca Consult", 3600),
    ("Buurtservice vzw", 2060),
    ("BLM", 9300),
    ("Mentor vzw", 3000),
    ("GOB Arbeidskansen", 3500),
    ("Synkroon", 3590),
    ("Compaan – Job & Co opleidingen", 3600),
    ("Groep Intro vzw", 3010),
    (ans.GENT, 9000),
    ("In-Z", 3500),
    ("Televil vzw", 1800),
    ("Jomi", 3630),
    ("De Wroeter – Opleidingscentrum vzw", 3800),
    ("Vzw Werkmaat", 8500),
    ("Emino vzw", 8800),
]
# Partners that take referrals from each province after the answer.
PARTNERS_BY_PROVINCE = {
    A: ["Levanto", "Vzw Web", "Buurtservice vzw", "Emino vzw"],
    L: ["Loca Consult", "GOB Arbeidskansen", "Synkroon", "Compaan – Job & Co opleidingen", "Jomi",
        "De Wroeter – Opleidingscentrum vzw", "In-Z"],
    OV: ["Argos", "BLM", ans.GENT, ans.GENT, "In-Z"],
    VB: ["Mentor vzw", "Groep Intro vzw", "Televil vzw", "In-Z"],
    WV: ["Vzw Werkmaat", "Emino vzw", "Emino vzw"],
}
# Call 432's budget in trajectories at EUR 4,200 per partner (480 in all: EUR 2,016,000).
CALL_432_UNITS = {
    "Levanto": 12, "Argos": 12, "Vzw Web": 24, "Loca Consult": 12, "Buurtservice vzw": 40, "BLM": 12,
    "Mentor vzw": 18, "GOB Arbeidskansen": 12, "Synkroon": 12, "Compaan – Job & Co opleidingen": 18,
    "Groep Intro vzw": 30, ans.GENT: 80, "In-Z": 66, "Televil vzw": 18, "Jomi": 12,
    "De Wroeter – Opleidingscentrum vzw": 24, "Vzw Werkmaat": 12, "Emino vzw": 66,
}
CALL_432_YEAR_SHARES = {2018: 0.10, 2019: 0.25, 2020: 0.25, 2021: 0.25, 2022: 0.15}

# Towns (postcode, name) of the fictitious employers, per province.
TOWNS = {
    A: [(2000, "Antwerpen"), (2300, "Turnhout"), (2800, "Mechelen"), (2200, "Herentals"), (2400, "Mol"),
        (2500, "Lier")],
    L: [(3500, "Hasselt"), (3600, "Genk"), (3800, "Sint-Truiden"), (3900, "Pelt"), (3700, "Tongeren"),
        (3580, "Beringen")],
    OV: [(9000, "Gent"), (9300, "Aalst"), (9100, "Sint-Niklaas"), (9200, "Dendermonde"), (9700, "Oudenaarde"),
         (9900, "Eeklo")],
    VB: [(3000, "Leuven"), (1800, "Vilvoorde"), (3300, "Tienen"), (1500, "Halle"), (3290, "Diest"),
         (1700, "Dilbeek")],
    WV: [(8000, "Brugge"), (8500, "Kortrijk"), (8800, "Roeselare"), (8400, "Oostende"), (8900, "Ieper"),
         (8600, "Diksmuide")],
}
VDAB_OFFICES = {A: "VDAB Antwerpen", L: "VDAB Hasselt", OV: "VDAB Gent", VB: "VDAB Leuven", WV: "VDAB Brugge"}
SECTORS = {
    "retail": "Retail", "zorg": "Zorg", "logistiek": "Logistics", "schoonmaak": "Facility Services",
    "horeca": "Catering", "bouw": "Bouw", "groenonderhoud": "Groen", "productie": "Productie",
}
LEGACY_INSTRUMENTS = ["sociale-werkplaats", "beschutte-werkplaats", "invoegbedrijf"]


def moment(day: datetime.date) -> datetime.datetime:
    """Noon on a day in Brussels: the time of a record's history row."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=TZ)


def instrument_on(code: str, day: datetime.date | None) -> str:
    """LDE jobs continue as individueel maatwerk after 30 June 2023."""
    return IM if code == LDE and day is not None and day > LDE_END else code


def band_of(age: int | None) -> str | None:
    if age is None:
        return None
    return "<25" if age < 25 else ("25-54" if age <= 54 else "55+")


def northwest_corner(rows: dict, cols: dict) -> list[tuple]:
    """A non-negative table with the given row and column sums (which must be equal): (row, col, n) cells."""
    rows = {k: v for k, v in rows.items()}
    cols = {k: v for k, v in cols.items()}
    if any(v < 0 for v in (*rows.values(), *cols.values())) or sum(rows.values()) != sum(cols.values()):
        raise ValueError(f"Margins do not fit: {rows} / {cols}")
    cells = []
    for r in rows:
        for c in cols:
            n = min(rows[r], cols[c])
            if n:
                cells.append((r, c, n))
                rows[r] -= n
                cols[c] -= n
    return cells


@dataclass
class Person:
    employee: Employee
    province: str
    instrument: str  # instrument code of the social-economy job
    employer: Organisation
    spells: list = field(default_factory=list)
    role: str = ""  # what the plan uses this person for
    fate: str = "same"  # status on the q1 date: same / other / none


class DemoBuilder:
    """Builds the demo records as unsaved model instances, then writes them."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fake = Faker("nl_BE")
        self.fake.seed_instance(seed)
        self.kbo = iter(range(4_100_001, 9_999_999, 37))
        self.serials = Counter()
        self.orgs: list[Organisation] = []
        self.persons: list[Person] = []
        self.employments: list[Employment] = []
        self.evaluations: list[Evaluation] = []
        self.trajectories: list[Trajectory] = []
        self.internships: list[Internship] = []
        self.referrals: list[Referral] = []
        self.grants: list[Grant] = []
        self.changes: list[tuple] = []  # (instance, day, {field: value}) applied after the bulk writes
        self.instruments = {i.code: i for i in Instrument.objects.all()}
        self.advices = {a.code: a for a in Advice.objects.all()}
        self.reasons = {r.code: r for r in EndReason.objects.all()}

    # ----- small helpers -------------------------------------------------
    def r(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def day(self, start: datetime.date, low: int, high: int) -> datetime.date:
        return start + datetime.timedelta(days=self.r(low, high))

    def org(self, name, kind, postcode, created=D(2014, 1, 1)):
        o = Organisation(name=name, kind=kind, postcode=postcode, kbo_number=make_kbo(next(self.kbo)))
        o.refresh_derived()
        o._history_date = moment(created)
        self.orgs.append(o)
        return o

    # ----- organisations and users ----------------------------------------
    def build_organisations(self):
        self.partners = {name: self.org(name, OrganisationKind.PARTNER, pc, D(2018, 3, 1)) for name, pc in PARTNERS}
        self.se_employers = defaultdict(list)  # (province, instrument kind) -> employers
        used = set()
        for province in PROVINCES:
            for (postcode, town), kind in zip(TOWNS[province], [CM, CM, CM, LDE, LDE, CM]):
                name = self.fake.last_name()
                while name in used:
                    name = self.fake.last_name()
                used.add(name)
                label = f"Maatwerkbedrijf {name} ({town})" if kind == CM else f"Buurtdiensten {name} vzw ({town})"
                self.se_employers[(province, kind)].append(self.org(label, OrganisationKind.SE_EMPLOYER, postcode))
        # One employer whose postcode was never recorded: its records fall in 'onbekend'.
        self.unknown_se_employer = self.org(f"Maatwerkbedrijf {self.fake.last_name()}",
                                            OrganisationKind.SE_EMPLOYER, None)
        self.regular = defaultdict(list)  # province -> [(employer, sector)]
        sectors = list(SECTORS)
        for province in PROVINCES:
            for i, (postcode, town) in enumerate(TOWNS[province]):
                sector = sectors[(PROVINCES.index(province) * 3 + i) % len(sectors)]
                name = self.fake.last_name()
                suffix = self.rng.choice(["NV", "BV", "CV"])
                label = f"{name} {SECTORS[sector]} {suffix}"
                if sector == "zorg":
                    label = f"Woonzorgcentrum {name} ({town})"
                self.regular[province].append(
                    (self.org(label, OrganisationKind.REGULAR_EMPLOYER, postcode), sector)
                )
        # Two big retailers, care homes, a cleaning company and a parcel firm of the 2017-2018 pilots.
        R = OrganisationKind.REGULAR_EMPLOYER
        last = self.fake.last_name
        self.pilot_hosts = {
            "retail": [self.org(f"Supermarkten {last()} NV", R, 1930), self.org(f"Modehuis {last()} NV", R, 9051)],
            "zorg": [self.org(f"Woonzorgcentrum {last()} (OCMW)", R, 8310),
                     self.org(f"Woonzorggroep {last()} vzw", R, 2610)],
            "logistiek": [self.org(f"Schoonmaakgroep {last()} NV", R, 1731),
                          self.org(f"Pakjesdienst {last()} NV", R, 3520)],
        }
        for sector, hosts in self.pilot_hosts.items():
            for host in hosts:
                self.regular[host.province].append((host, sector))

    def build_users(self):
        """Fictitious evaluators (per VDAB office) and caseworkers (per partner); they cannot log in."""
        self.evaluators = defaultdict(list)
        evaluator_group = Group.objects.get(name=Role.EVALUATOR.value)
        staff_group = Group.objects.get(name=Role.PARTNER_STAFF.value)
        for province, office in VDAB_OFFICES.items():
            for n in (1, 2):
                user = User(
                    username=f"vdab.{office.split()[-1].lower()}{n}",
                    first_name=self.fake.first_name(), last_name=self.fake.last_name(), office=office,
                )
                user.set_unusable_password()
                self.evaluators[province].append(user)
        self.caseworkers = {}
        for i, name in enumerate(self.partners):
            user = User(username=f"trajectbegeleider{i + 1:02d}", first_name=self.fake.first_name(),
                        last_name=self.fake.last_name())
            user.set_unusable_password()
            self.caseworkers[name] = user
        users = [u for us in self.evaluators.values() for u in us] + list(self.caseworkers.values())
        User.objects.bulk_create(users)
        saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        for province, us in self.evaluators.items():
            self.evaluators[province] = [saved[u.username] for u in us]
        self.caseworkers = {name: saved[u.username] for name, u in self.caseworkers.items()}
        for name, user in self.caseworkers.items():
            user.organisation = self.partners[name]
        User.objects.bulk_update(list(self.caseworkers.values()), ["organisation"])
        Through = User.groups.through
        Through.objects.bulk_create(
            [Through(user_id=u.pk, group_id=evaluator_group.pk) for us in self.evaluators.values() for u in us]
            + [Through(user_id=u.pk, group_id=staff_group.pk) for u in self.caseworkers.values()]
        )

    # ----- persons and their records ----------------------------------------
    def birth_date(self, band: str | None, on: datetime.date | None = None) -> datetime.date | None:
        """A birth date in the band; without `on`, one that stays in the band from 2018 to 2021."""
        if band is None:
            return None
        if on is None:
            low, high = {"<25": (D(1996, 6, 1), D(2000, 12, 31)), "25-54": (D(1968, 1, 1), D(1990, 12, 31)),
                         "55+": (D(1955, 1, 1), D(1962, 10, 31))}[band]
        else:
            young, old = {"<25": (19, 23), "25-54": (27, 52), "55+": (56, 62)}[band]
            low, high = D(on.year - old - 1, on.month, 1), D(on.year - young - 1, on.month, 1)
        return low + datetime.timedelta(days=self.rng.randint(0, (high - low).days))

    def new_person(self, *, band, province, instrument, job_from, employer=None, role="", unknown_birth=False):
        """A person with a social-economy job (spell) that covers `job_from` and runs on."""
        birth = None if unknown_birth else self.birth_date(band, None if job_from.year <= 2020 else job_from)
        gender = self.rng.choices(["m", "f", "x"], weights=[52, 47, 1])[0]
        key = birth or "unknown"
        self.serials[key] += 1
        serial = self.serials[key] * 2 - (1 if gender == "m" else 0)
        first = self.fake.first_name_male() if gender == "m" else self.fake.first_name_female()
        employee = Employee(insz=make_insz(birth, serial), first_name=first, last_name=self.fake.last_name(),
                            birth_date=birth, gender=gender)
        kind = CM if instrument == CM else LDE
        employer = employer or self.rng.choice(self.se_employers[(province, kind)])
        person = Person(employee, province, instrument, employer, role=role)
        earliest = D(2015, 4, 1) if instrument in (CM, LDE) else D(2008, 1, 1)
        latest = job_from - datetime.timedelta(days=60)
        start = earliest + datetime.timedelta(days=self.rng.randint(0, max(0, (latest - earliest).days)))
        if start > latest:
            start = job_from - datetime.timedelta(days=30)
        if self.rng.random() < 0.25 and start.year >= 2016:
            # An earlier job in a sociale werkplaats before this one.
            legacy_start = self.day(D(2010, 1, 1), 0, 1500)
            self.spell(person, self.rng.choice(self.se_employers[(province, CM)]), self.rng.choice(LEGACY_INSTRUMENTS),
                       legacy_start, min(D(2015, 3, 31), start - datetime.timedelta(days=30)))
        self.spell(person, employer, LDE if instrument == IM and start <= LDE_END else instrument, start)
        employee.registered_on = min(s.start_date for s in person.spells)
        employee._history_date = moment(employee.registered_on)
        self.persons.append(person)
        return person

    def spell(self, person, employer, instrument, start, end=None, wop=False):
        spell = Employment(employee=person.employee, employer=employer,
                           instrument=self.instruments[instrument] if instrument else None,
                           start_date=start, end_date=end, with_support_package=wop,
                           registered_on=min(self.day(start, 0, 4), LAST_DAY))
        spell._history_date = moment(spell.registered_on)
        person.spells.append(spell)
        self.employments.append(spell)
        return spell

    def se_spell_at(self, person, on):
        for s in reversed(person.spells):
            if s.instrument is not None and s.start_date <= on and (s.end_date is None or s.end_date >= on):
                return s
        return None

    def leave_se(self, person, last_day):
        """End the person's open social-economy spell on `last_day`."""
        s = self.se_spell_at(person, last_day)
        if s is not None and s.end_date is None:
            s.end_date = last_day

    def evaluation(self, person, when, advice, registered=None, employer=None, instrument=None):
        employer = employer or person.employer
        province = employer.province or person.province
        if registered is None:
            registered = self.day(when, 0, 7) if when else self.day(D(2019, 1, 1), 0, 300)
        if instrument is None:
            se = self.se_spell_at(person, when) if when else None
            instrument = se.instrument.code if se else person.instrument
        ev = Evaluation(employee=person.employee, evaluation_date=when, advice=self.advices[advice],
                        employer=employer, instrument=self.instruments[instrument_on(instrument, when)],
                        evaluator=self.rng.choice(self.evaluators[province]) if province in self.evaluators else None,
                        office=VDAB_OFFICES.get(province, ""), registered_on=registered)
        ev.refresh_derived()
        ev._history_date = moment(registered)
        self.evaluations.append(ev)
        return ev

    def trajectory(self, person, partner, start, *, registered=None, call=None, evaluation=None):
        se = self.se_spell_at(person, start)
        t = Trajectory(employee=person.employee, partner=self.partners[partner], call=call or self.call_for(start),
                       se_employer=se.employer if se else person.employer,
                       instrument=self.instruments[instrument_on(se.instrument.code if se else person.instrument,
                                                                 start)],
                       start_date=start, voortraject_start=start,
                       jobmatching_start=self.day(start, 20, 31),
                       caseworker=self.caseworkers[partner],
                       registered_on=registered or self.day(start, 0, 6))
        t.refresh_derived()
        t._history_date = moment(t.registered_on)
        self.trajectories.append(t)
        if evaluation is not None:
            ref = Referral(evaluation=evaluation, employee=person.employee, partner=self.partners[partner],
                           referred_by=evaluation.evaluator, status=ReferralStatus.STARTED, trajectory=t,
                           registered_on=min(self.day(evaluation.registered_on, 1, 10), t.registered_on))
            ref._history_date = moment(ref.registered_on)
            self.referrals.append(ref)
        return t

    def call_for(self, start):
        return self.call_432 if start <= D(2022, 12, 31) else self.call_esf_plus

    def end(self, t, end, reason):
        t.end_date = end
        t.end_reason = self.reasons[reason]
        if t.jobmatching_start and t.jobmatching_start > end:
            t.jobmatching_start = None

    def internship(self, t, person, start, length, outcome, host=None):
        host, sector = host or self.rng.choice(self.regular[person.province])
        i = Internship(trajectory=t, host=host, sector=sector, start_date=start,
                       end_date=start + datetime.timedelta(days=length), outcome=outcome,
                       registered_on=self.day(start, 0, 6))
        i._history_date = moment(i.registered_on)
        t.stage_start = start
        self.internships.append(i)
        return i

    def hire(self, person, employer, start, wop=False, end=None):
        """A regular job (no instrument) from `start`; the social-economy job ends the day before."""
        self.leave_se(person, start - datetime.timedelta(days=1))
        return self.spell(person, employer, None, start, end, wop)

    # ----- the answer ---------------------------------------------------------
    def build_answer(self):
        cap_p = {k: dict(v) for k, v in ans.Q1_BY_PROVINCE.items()}
        cap_b = {k: dict(v) for k, v in ans.Q1_BY_BAND.items()}

        def pick(province, band, year):
            options = [i for i in (LDE, CM) if cap_p[(i, year)][province] > 0 and cap_b[(i, year)][band] > 0]
            if not options:
                raise ValueError(f"No ready advice left for {province} {band} {year}")
            instrument = max(options, key=lambda i: (cap_p[(i, year)][province], i == LDE))
            cap_p[(instrument, year)][province] -= 1
            cap_b[(instrument, year)][band] -= 1
            return instrument

        specs = []
        for partner, year, province, band, fate, n in ans.TRAJECTORY_GROUPS:
            specs += [{"partner": partner, "year": year, "province": province, "band": band, "fate": fate}
                      for _ in range(n)]
        early = dict(ans.STARTS_2019_FROM_2018_ADVICE)
        for s in specs:
            s["advice_year"] = s["year"]
            if s["year"] == 2019 and s["fate"] == "run" and s["band"] == "25-54" and early.get(s["province"], 0):
                early[s["province"]] -= 1
                s["advice_year"] = 2018
        assert not any(early.values())
        for s in sorted(specs, key=lambda s: (s["band"] == "25-54", s["advice_year"] != 2018)):
            s["instrument"] = pick(s["province"], s["band"], s["advice_year"])

        hired_after = ans.RUNNING_HIRED_BY_Q1_DATE
        late_end_done = False
        health = 0
        self.answer_trajectories = []
        for s in specs:
            fate, year = s["fate"], s["year"]
            if year == 2018:
                start = {"noint18": self.day(D(2018, 6, 1), 0, 40), "noint": self.day(D(2018, 9, 1), 0, 70)}.get(
                    fate) or self.day(D(2018, 6, 1), 0, 90)
            elif s["advice_year"] == 2018:
                start = self.day(D(2019, 1, 7), 0, 60)
            elif fate in ("int_work", "run_work"):
                start = self.day(D(2019, 1, 10), 0, 80)
            elif fate in ("noint", "noint_wop"):
                start = self.day(D(2019, 1, 15), 0, 180)
            else:
                start = self.day(D(2019, 2, 1), 0, 290)
            if s["advice_year"] == 2018 and year == 2019:
                advised = self.day(D(2018, 10, 1), 0, 80)
            elif s["advice_year"] == 2018:
                advised = max(D(2018, 2, 1), start - datetime.timedelta(days=self.r(20, 90)))
            else:
                advised = max(D(2019, 1, 3), start - datetime.timedelta(days=self.r(15, 80)))
                if advised > start - datetime.timedelta(days=5):
                    advised = D(2019, 1, 3)
            if fate == "run" and hired_after and s["band"] == "25-54" and s["partner"] != ans.GENT:
                hired_after -= 1
                fate = "run_hired" if hired_after else "run_hired_wop"
            elif fate == "run" and not late_end_done and s["partner"] == ans.GENT:
                late_end_done = True
                fate = "run_late_end"
                start = min(start, D(2019, 8, 31))
                advised = min(advised, start - datetime.timedelta(days=14))
            elif fate == "noint" and year == 2019 and health < 2:
                health += 1
                fate = "noint_health"
            person = self.new_person(band=s["band"], province=s["province"], instrument=s["instrument"],
                                     job_from=advised, role="trajectory")
            ev = self.evaluation(person, advised, "ready")
            t = self.trajectory(person, s["partner"], start, evaluation=ev)
            self.answer_trajectories.append(t)
            self.plan_fate(person, t, fate, s)
        assert hired_after == 0 and late_end_done and health == 2

        # The rest of the 206: persons advised ready without a trajectory by November 2019.
        other_needed = ans.Q1_AT_WORK["at_work_other_employer"] - sum(p.fate == "other" for p in self.persons)
        none_needed = (ans.Q1_AT_WORK["advised_ready"] - ans.Q1_AT_WORK["at_work"]) - sum(
            p.fate == "none" for p in self.persons)
        self.residual = []
        known_2018 = {p: ans.Q3_BY_PROVINCE[2018][p] - ans.Q3_NOT_READY_2018[p] - sum(
            1 for s in specs if s["advice_year"] == 2018 and s["province"] == p) for p in PROVINCES}
        for (instrument, year), provinces in cap_p.items():
            for province, band, n in northwest_corner(provinces, cap_b[(instrument, year)]):
                for _ in range(n):
                    registered = None
                    if year == 2018:
                        when = self.day(D(2018, 3, 1), 0, 280)
                        if known_2018[province] > 0:
                            known_2018[province] -= 1
                        else:  # registered after November 2019: counted in q1 but not in q3
                            registered = self.day(D(2019, 12, 5), 0, 250)
                    elif year == 2019:
                        when = self.day(D(2019, 1, 5), 0, 355)
                    elif year == 2020:
                        when = self.day(D(2020, 1, 6), 0, 280)
                    else:
                        when = None
                        registered = self.day(D(2018, 9, 1), 0, 430)
                    person = self.new_person(band=band, province=province, instrument=instrument,
                                             job_from=min(when or D(2018, 6, 1), D(2018, 12, 1)),
                                             role=f"ready{year}")
                    ev = self.evaluation(person, when, "ready", registered=registered)
                    self.residual.append((person, ev))
        assert not any(known_2018.values())
        # Their status on the q1 date: a few left work, a few work elsewhere.
        order = sorted(self.residual, key=lambda pe: (band_of(age_in_years(pe[0].employee.birth_date, D2)) != "55+",
                                                       pe[1].evaluation_date or D(2018, 1, 1)))
        def between_answers(ev, low, high):
            """A day after the advice and November 2019, and before the q1 date."""
            day = self.day(max(ev.evaluation_date or D1, D1), low, high)
            return min(day, D2 - datetime.timedelta(days=10))

        for person, ev in order[:none_needed]:
            self.leave_se(person, between_answers(ev, 10, 200))
            person.fate = "none"
        for k, (person, ev) in enumerate(order[none_needed:none_needed + other_needed]):
            start = between_answers(ev, 20, 200)
            if k == 0:  # moved to another social-economy employer
                self.leave_se(person, start - datetime.timedelta(days=1))
                kind = CM if person.instrument == CM else LDE
                others = [e for e in self.se_employers[(person.province, kind)] if e is not person.employer]
                self.spell(person, self.rng.choice(others), person.instrument, start)
            else:  # found a regular job on their own
                self.hire(person, self.rng.choice(self.regular[person.province])[0], start,
                          wop=k == 1)
            person.fate = "other"
        # Trajectories after November 2019 for some of them; one started before but was registered late.
        same = [(person, ev) for person, ev in self.residual if person.fate == "same"]
        late = next((person, ev) for person, ev in same
                    if ev.evaluation_date and D(2019, 6, 1) <= ev.evaluation_date <= D(2019, 10, 31))
        again = [(person, ev) for person, ev in same
                 if ev.evaluation_date and ev.evaluation_date.year == 2019 and person is not late[0]][:4]
        for person, ev in again:
            # Advised ready again in 2020: the reference evaluation stays the earliest.
            self.evaluation(person, self.day(D(2020, 2, 1), 0, 200), "ready")
        for person, ev in same:
            if person is late[0]:
                # Started in November 2019 but registered in December: not in the answer, in today's figures.
                t = self.trajectory(person, "Argos", D(2019, 11, 18), registered=D(2019, 12, 4), evaluation=ev)
            elif self.rng.random() < 0.45:
                base = ev.evaluation_date or D(2019, 6, 1)
                start = max(self.day(base, 20, 90), self.day(D1, 2, 60))
                partner = self.rng.choice(PARTNERS_BY_PROVINCE[person.province])
                t = self.trajectory(person, partner, start, evaluation=ev)
            else:
                if self.rng.random() < 0.5:
                    # Referred, but no trajectory yet (waiting) or not wanted (withdrawn).
                    partner = self.rng.choice(PARTNERS_BY_PROVINCE[person.province])
                    registered = self.day(ev.registered_on, 1, 20)
                    status = ReferralStatus.WAITING if registered > D(2020, 6, 1) else ReferralStatus.WITHDRAWN
                    ref = Referral(evaluation=ev, employee=person.employee, partner=self.partners[partner],
                                   referred_by=ev.evaluator, status=status, registered_on=registered)
                    ref._history_date = moment(registered)
                    self.referrals.append(ref)
                continue
            self.plan_later_fate(person, t, not_before=D2 + datetime.timedelta(days=3))
        assert len(again) == 4

    def plan_fate(self, person, t, fate, spec):
        """End, internship and job of one of the 82 trajectories, as planned in demo/answer.py."""
        start = t.start_date
        if fate == "noint18":
            self.end(t, self.day(start, 60, 120), "motivation")
        elif fate == "noint":
            end = self.day(D(2019, 2, 1), 0, 120) if spec["year"] == 2018 else min(self.day(start, 30, 120),
                                                                                    D(2019, 11, 15))
            self.end(t, end, self.rng.choice(["motivation", "personal", "employer", "back_to_social_economy",
                                              "other"]))
        elif fate == "noint_health":
            # Stopped for health reasons and left the social-economy job in 2020: not at work on the q1 date.
            self.end(t, min(self.day(start, 30, 120), D(2019, 11, 15)), "health")
            self.leave_se(person, self.day(D(2020, 2, 1), 0, 120))
            person.fate = "none"
        elif fate in ("run_hired", "run_hired_wop"):
            # Still running in November 2019; hired by the host of its internship in 2020.
            job = self.day(D(2020, 1, 15), 0, 250)
            host = self.rng.choice(self.regular[person.province])
            self.internship(t, person, max(start + datetime.timedelta(days=60), job - datetime.timedelta(days=60)),
                            45, InternshipOutcome.HIRED, host)
            self.hire(person, host[0], job, wop=fate == "run_hired_wop")
            t.nazorg_start = job
            self.end(t, job + datetime.timedelta(days=self.r(30, 60)), "job_regular")
            person.fate = "other"
        elif fate == "run_late_end":
            # Ended on 25 November 2019, but the end was recorded in December: the answer counted it as running.
            self.changes.append((t, D(2019, 12, 6), {"end_date": D(2019, 11, 25),
                                                     "end_reason": self.reasons["motivation"]}))
        elif fate == "noint_wop":
            end = min(self.day(start, 40, 100), D(2019, 11, 1))
            self.end(t, end, "job_regular")
            self.hire(person, self.rng.choice(self.regular[person.province])[0], end + datetime.timedelta(days=1),
                      wop=True)
            person.fate = "other"
        elif fate in ("int_work", "int_wop", "int_back", "int_stop", "run_work"):
            istart = self.day(start, 50, 80)
            host = self.rng.choice(self.regular[person.province])
            if fate == "int_stop":
                i = self.internship(t, person, istart, self.r(10, 20), InternshipOutcome.STOPPED, host)
                self.end(t, self.day(i.end_date, 0, 10), "health")
            elif fate == "int_back":
                i = self.internship(t, person, istart, self.r(30, 60), InternshipOutcome.NOT_HIRED, host)
                self.end(t, self.day(i.end_date, 10, 30), "completed")
            elif fate == "run_work":
                i = self.internship(t, person, istart, self.r(30, 60), InternshipOutcome.NOT_HIRED, host)
                job = self.day(i.end_date, 10, 30)
                self.hire(person, person.employer, job)  # internal transition: a regular contract
                t.nazorg_start = job
                self.end(t, self.day(D1, 20, 60), "job_regular")
            else:
                i = self.internship(t, person, istart, self.r(30, 60), InternshipOutcome.HIRED, host)
                job = i.end_date + datetime.timedelta(days=1)
                later_end = None
                if self.rng.random() < 0.4:  # question 4: some of these jobs end after a year or two
                    later_end = self.day(D(2021, 1, 1), 0, 700)
                self.hire(person, host[0], job, wop=fate == "int_wop", end=later_end)
                if later_end and self.rng.random() < 0.5:
                    self.spell(person, person.employer, self.later_instrument(person, later_end),
                               self.day(later_end, 30, 150))
                t.nazorg_start = job
                self.end(t, self.day(job, 30, 60), "job_regular")
                person.fate = "other"
        elif fate == "run":
            end = max(self.day(start, 150, 300), self.day(D1, 10, 40))
            if self.rng.random() < 0.5:
                istart = self.day(start, 50, 90)
                self.internship(t, person, istart, self.r(20, 50),
                                self.rng.choice([InternshipOutcome.NOT_HIRED, InternshipOutcome.STOPPED]))
                end = max(end, istart + datetime.timedelta(days=60))
            self.end(t, end, self.rng.choice(["completed", "back_to_social_economy", "completed", "motivation",
                                              "personal", "employer", "other"]))
        if t.end_date and t.stage_start and t.stage_start > t.end_date:
            t.stage_start = None

    def later_instrument(self, person, on):
        if person.instrument in (LDE, IM):
            return IM if on > LDE_END else LDE
        return person.instrument

    def plan_later_fate(self, person, t, *, not_before):
        """A trajectory after the answer: internship, end and the job that may follow (question 4)."""
        start = t.start_date
        end = self.day(start, 120, 320)
        if self.rng.random() < 0.55:
            istart = self.day(start, 45, 90)
            length = self.r(20, 80)
            if istart + datetime.timedelta(days=length) > LAST_DAY:
                t.end_date = None
                return
            hired = istart + datetime.timedelta(days=length + 1) >= not_before and self.rng.random() < 0.45
            outcome = InternshipOutcome.HIRED if hired else self.rng.choice(
                [InternshipOutcome.NOT_HIRED, InternshipOutcome.NOT_HIRED, InternshipOutcome.STOPPED])
            host = self.rng.choice(self.regular[person.province])
            i = self.internship(t, person, istart, length, outcome, host)
            if hired:
                job = i.end_date + datetime.timedelta(days=1)
                self.job_with_follow_up(person, host[0], job, wop=self.rng.random() < 0.35)
                t.nazorg_start = job
                end = self.day(job, 30, 90)
                reason = "job_regular"
            else:
                end = max(end, self.day(i.end_date, 5, 40))
                reason = self.rng.choice(["completed", "back_to_social_economy", "motivation", "personal"])
        else:
            reason = self.rng.choice(["completed", "back_to_social_economy", "motivation", "personal", "health",
                                      "employer", "other"])
        if end > LAST_DAY:
            t.nazorg_start = t.nazorg_start if t.nazorg_start and t.nazorg_start <= LAST_DAY else None
            return
        self.end(t, end, reason)

    def job_with_follow_up(self, person, employer, start, wop):
        """A regular job whose length varies (question 4): some last, some end and the person returns."""
        roll = self.rng.random()
        if roll < 0.45:
            length = None
        elif roll < 0.6:
            length = self.r(20, 85)  # less than 3 months
        elif roll < 0.75:
            length = self.r(95, 175)  # 3 to 6 months
        else:
            length = self.r(190, 360)  # 6 to 12 months
        end = start + datetime.timedelta(days=length) if length else None
        if end and end > LAST_DAY:
            end = None
        self.hire(person, employer, start, wop=wop, end=end)
        if end and self.rng.random() < 0.55:
            back = self.day(end, 20, 270)
            if back <= LAST_DAY:  # back to the social economy after some months
                self.spell(person, person.employer, self.later_instrument(person, back), back)

    def build_q3_fill(self):
        """Evaluations with other advices, so that q3's tables hold with the ready ones placed above."""
        counted_p = {y: Counter() for y in ans.Q3_BY_PROVINCE}
        counted_b = {y: Counter() for y in ans.Q3_BY_BAND}
        for ev in self.evaluations:
            if ev.registered_on > D1 or (ev.evaluation_date and ev.evaluation_date > D1):
                continue
            year = ev.evaluation_date.year if ev.evaluation_date else None
            counted_p[year][ev.employer.province] += 1
            counted_b[year][band_of(age_in_years(ev.employee.birth_date, ev.evaluation_date or D1))] += 1
        reusable = defaultdict(list)  # (province, band) -> persons advised ready in 2020
        for person, ev in self.residual:
            if ev.evaluation_date and ev.evaluation_date.year == 2020 and person.fate == "same":
                band = band_of(age_in_years(person.employee.birth_date, D(2019, 6, 1)))
                reusable[(person.province, band)].append((person, ev))
        self.fill_persons = []
        undated_again = 0
        for year in (2018, 2019, None):
            fill_p = {p: ans.Q3_BY_PROVINCE[year][p] - counted_p[year][p] for p in PROVINCES}
            fill_b = {b: ans.Q3_BY_BAND[year][b] - counted_b[year][b] for b in BANDS}
            for province, band, n in northwest_corner(fill_p, fill_b):
                for _ in range(n):
                    if year == 2018:
                        when, advice = self.day(D(2018, 4, 1), 0, 200), "not_ready"
                    elif year == 2019:
                        when = self.day(D(2019, 1, 5), 0, 310)
                        advice = self.rng.choice(["not_ready", "not_ready", "not_ready", "internal_transition",
                                                  "internal_transition"])
                    else:
                        when, advice = None, self.rng.choice(["not_ready", "not_ready", "internal_transition"])
                    if year is None and (province, band) == (OV, "25-54") and undated_again < 2:
                        # An undated ready advice of a person who also has a dated one: q1 takes the dated one.
                        undated_again += 1
                        person = next(p for p in self.persons if p.role == "trajectory" and p.province == OV
                                      and p.fate == "same" and band_of(age_in_years(p.employee.birth_date, D1)) == band
                                      and not any(e.employee is p.employee and e.evaluation_date is None
                                                  for e in self.evaluations))
                        self.evaluation(person, None, "ready", registered=self.day(D(2019, 6, 1), 0, 150))
                        continue
                    pool = reusable.get((province, band))
                    if year == 2019 and pool and self.rng.random() < 0.5:
                        # Not ready in 2019, advised ready in 2020.
                        person, later = pool.pop()
                        when = min(when, later.evaluation_date - datetime.timedelta(days=120))
                        self.evaluation(person, when, "not_ready")
                        continue
                    person = self.new_person(band=band, province=province, instrument=self.rng.choice([CM, LDE]),
                                             job_from=when or D(2018, 6, 1), role="evaluated")
                    registered = None if when else self.day(D(2018, 6, 1), 0, 500)
                    ev = self.evaluation(person, when, advice, registered=registered)
                    self.fill_persons.append((person, ev))
                    if advice == "internal_transition":
                        job = self.day(when or D(2019, 6, 1), 30, 120)
                        self.hire(person, person.employer, job, wop=self.rng.random() < 0.6)
        # Two undated evaluations get their date in 2021: today's figures for 2019 differ from the answer's.
        undated = [ev for _, ev in self.fill_persons if ev.evaluation_date is None and ev.employer.province == OV]
        for ev in undated[:2]:
            self.changes.append((ev, self.day(D(2021, 3, 1), 0, 60),
                                 {"evaluation_date": self.day(D(2019, 2, 1), 0, 200)}))

    # ----- history before the answer ------------------------------------------
    def build_history(self):
        """2014-2017: workers who moved from a sociale werkplaats to a regular job, and what followed."""
        for year in range(2014, 2018):
            for _ in range(14):
                province = self.rng.choice(PROVINCES)
                band = self.rng.choices(BANDS, weights=[2, 7, 2])[0]
                job = self.day(D(year, 1, 5), 0, 350)
                instrument = self.rng.choice(LEGACY_INSTRUMENTS)
                person = self.new_person(band=band, province=province, instrument=instrument, job_from=job,
                                         employer=self.rng.choice(self.se_employers[(province, CM)]), role="history")
                if year >= 2017 and self.rng.random() < 0.5:
                    sector = self.rng.choice(list(self.pilot_hosts))
                    host = self.rng.choice(self.pilot_hosts[sector])
                else:
                    host = self.rng.choice(self.regular[province])[0]
                roll = self.rng.random()
                length = None if roll < 0.45 else self.r(20, 85) if roll < 0.6 else self.r(95, 175) if roll < 0.75 \
                    else self.r(190, 360)
                end = job + datetime.timedelta(days=length) if length else None
                self.hire(person, host, job, wop=False, end=end)
                if end and self.rng.random() < 0.55:
                    back = self.day(end, 20, 270)
                    self.spell(person, person.employer, CM if back >= D(2015, 4, 1) else instrument, back)
                if year >= 2016 and self.rng.random() < 0.5:
                    # A screening before the regulation, entered from the paper archive in 2021.
                    self.evaluation(person, job - datetime.timedelta(days=self.r(30, 90)), "ready",
                                    registered=self.day(D(2021, 3, 1), 0, 60), instrument=instrument)

    # ----- after the answer ---------------------------------------------------
    def build_later_years(self):
        """November 2020 to 2025: evaluations, referrals, trajectories, internships and jobs."""
        # A second trajectory, with another partner, for some who stopped their first one without a job.
        first_ones = [t for t in self.answer_trajectories if t.end_date and t.end_reason
                      and t.end_reason.code not in ("job_regular", "health")]
        by_employee = {id(p.employee): p for p in self.persons if p.role == "trajectory"}
        for t in first_ones[::3][:8]:
            person = by_employee[id(t.employee)]
            when = self.day(D(2021, 2, 1), 0, 250)
            if person.fate != "same" or self.se_spell_at(person, when) is None:
                continue
            ev = self.evaluation(person, when, "ready")
            partners = [p for p in PARTNERS_BY_PROVINCE[person.province] if self.partners[p] is not t.partner]
            second = self.trajectory(person, self.rng.choice(partners), self.day(when, 20, 60), evaluation=ev)
            self.plan_later_fate(person, second, not_before=second.start_date)
        volumes = {2020: 20, 2021: 110, 2022: 120, 2023: 115, 2024: 120, 2025: 100}
        not_ready = [p for p, ev in self.fill_persons if ev.advice.code == "not_ready"]
        unknown_birth = 3
        for year, n in volumes.items():
            first = D(2020, 11, 2) if year == 2020 else D(year, 1, 3)
            last = D(year, 12, 20)
            for _ in range(n):
                when = first + datetime.timedelta(days=self.r(0, (last - first).days))
                if not_ready and self.rng.random() < 0.2:
                    person = not_ready.pop(0)
                    employer = None
                else:
                    province = self.rng.choice(PROVINCES)
                    band = self.rng.choices(BANDS, weights=[1, 7, 2])[0]
                    kind = self.rng.choice([CM, CM, LDE])
                    instrument = IM if kind == LDE and when > LDE_END else kind
                    employer = None
                    if year == 2023 and self.rng.random() < 0.05:
                        employer = self.unknown_se_employer
                    no_birth_date = year == 2022 and unknown_birth > 0
                    unknown_birth -= no_birth_date
                    person = self.new_person(band=band, province=province, instrument=instrument, job_from=when,
                                             employer=employer, role="later", unknown_birth=no_birth_date)
                se = self.se_spell_at(person, when)
                if se is None:
                    continue
                registered = self.day(when, 0, 14) if self.rng.random() > 0.1 else self.day(when, 60, 240)
                advice = self.rng.choices(["ready", "internal_transition", "not_ready"], weights=[50, 15, 35])[0]
                ev = self.evaluation(person, when, advice, registered=min(registered, LAST_DAY), employer=se.employer,
                                     instrument=se.instrument.code)
                if advice == "internal_transition":
                    self.hire(person, se.employer, self.day(when, 30, 90), wop=self.rng.random() < 0.6)
                elif advice == "ready":
                    partner = self.rng.choice(PARTNERS_BY_PROVINCE[person.province])
                    start = self.day(when, 20, 90)
                    if self.rng.random() < 0.2 or start > LAST_DAY:
                        status = self.rng.choice([ReferralStatus.WAITING, ReferralStatus.WITHDRAWN])
                        ref = Referral(evaluation=ev, employee=person.employee, partner=self.partners[partner],
                                       referred_by=ev.evaluator, status=status,
                                       registered_on=min(self.day(ev.registered_on, 1, 10), LAST_DAY))
                        ref._history_date = moment(ref.registered_on)
                        self.referrals.append(ref)
                        continue
                    t = self.trajectory(person, partner, start, evaluation=ev)
                    t.registered_on = max(t.registered_on, ev.registered_on)
                    t._history_date = moment(t.registered_on)
                    self.plan_later_fate(person, t, not_before=start)

    def absorb_lde(self):
        """On 1 July 2023 individueel maatwerk absorbs LDE: open LDE jobs continue under the new instrument."""
        lde = self.instruments[LDE]
        for person in self.persons:
            for s in list(person.spells):
                if s.instrument is lde and s.start_date <= LDE_END and (s.end_date is None or s.end_date > LDE_END):
                    new = self.spell(person, s.employer, IM, LDE_END + datetime.timedelta(days=1), s.end_date)
                    new.registered_on = D(2023, 7, 5)
                    new._history_date = moment(new.registered_on)
                    s.end_date = LDE_END

    # ----- money and pilots -----------------------------------------------------
    def build_calls_and_grants(self):
        self.call_432 = Call.objects.get(number="432")
        self.call_esf_plus, _ = Call.objects.get_or_create(
            number="ESF+ 2023", defaults={"name": "Doorstroom sociale economie ESF+ (fictief, demo)",
                                          "standard_cost": Decimal("4400.00"), "esf_share": Decimal("0.40"),
                                          "start_date": D(2023, 1, 1), "end_date": D(2027, 12, 31)})
        if not self.call_432.start_date:
            self.call_432.start_date, self.call_432.end_date = D(2018, 5, 1), D(2022, 12, 31)
            self.call_432.save()
        assert sum(CALL_432_UNITS.values()) == ans.CALL_432_UNITS
        years = list(CALL_432_YEAR_SHARES)
        for name, units in CALL_432_UNITS.items():
            split = {y: int(units * share) for y, share in CALL_432_YEAR_SHARES.items()}
            split[2020] += units - sum(split.values())
            for year in years:
                self.grant(self.call_432, name, year, split[year], Decimal("4200"), D(2018, 5, 15))
        for name in CALL_432_UNITS:
            for year in (2023, 2024, 2025):
                units = max(2, CALL_432_UNITS[name] // 6 + self.r(-1, 2))
                self.grant(self.call_esf_plus, name, year, units, Decimal("4400"), D(2022, 12, 1))

    def grant(self, call, partner, year, units, cost, decided):
        total = cost * units
        esf = (total * call.esf_share).quantize(Decimal("0.01"))
        g = Grant(call=call, partner=self.partners[partner], year=year, esf_amount=esf, flemish_amount=total - esf)
        g._history_date = moment(decided)
        self.grants.append(g)
        if year <= 2024:
            # Spending is reported after the year, and was not known when the answer was given.
            spent = (total * Decimal(self.r(62, 100)) / 100).quantize(Decimal("0.01"))
            self.changes.append((g, max(D(year + 1, 6, 30), D(2020, 3, 31)), {"spent_amount": spent}))

    def build_pilots(self):
        se = [e for es in self.se_employers.values() for e in es]
        self.pilots = [
            ("Proeftuin doorstroom retail", "retail", D(2017, 3, 1), D(2018, 12, 31),
             "Bij twee grote bedrijven werden doelgroepmedewerkers als winkelmedewerker ingeschakeld op de "
             "werkvloer.", self.pilot_hosts["retail"] + se[0:3]),
            ("Proeftuin doorstroom zorg", "zorg", D(2017, 3, 1), D(2018, 12, 31),
             "Goede trajecten met doelgroepmedewerkers als polyvalent medewerker in publieke en private "
             "woonzorgcentra.", self.pilot_hosts["zorg"] + se[5:8]),
            ("Proeftuin doorstroom logistiek", "logistiek", D(2017, 5, 1), D(2018, 12, 31),
             "Onder meer een stage als magazijnmedewerker in een groot schoonmaakbedrijf en een stageplek bij "
             "Bpost.", self.pilot_hosts["logistiek"] + se[10:13]),
            ("Doorstroom met zorg", "zorg", D(2019, 9, 1), D(2020, 12, 31),
             "Overheidsopdracht om de proeftuinen te herhalen in woon- en zorgcentra en de ziekenhuissector, en "
             "de drempels naar de sector in kaart te brengen.", self.pilot_hosts["zorg"] + se[15:17]),
        ]

    # ----- writing --------------------------------------------------------------
    def write(self):
        bulk_create_with_history(Organisation, self.orgs, reason="demo data")
        self.build_users()

    def write_records(self):
        for model, objs in [(Employee, [p.employee for p in self.persons]), (Employment, self.employments),
                            (Evaluation, self.evaluations), (Trajectory, self.trajectories),
                            (Internship, self.internships), (Referral, self.referrals), (Grant, self.grants)]:
            for obj in objs:
                if hasattr(obj, "refresh_derived"):
                    obj.refresh_derived()
            bulk_create_with_history(model, objs, reason="demo data", batch_size=500)
        for name, sector, start, end, results, orgs in self.pilots:
            pilot = Pilot(name=name, sector=sector, start_date=start, end_date=end, results=results)
            pilot._history_date = moment(start)
            pilot.save()
            pilot.organisations.set(orgs)
        for instance, day, values in sorted(self.changes, key=lambda c: c[1]):
            for name, value in values.items():
                setattr(instance, name, value)
            if hasattr(instance, "refresh_derived"):
                instance.refresh_derived()
            instance._history_date = moment(day)
            instance.save()


def demo_is_loaded() -> bool:
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER, name=PARTNERS[0][0]).exists()


@transaction.atomic
def load_demo(seed: int = 2019) -> dict[str, int]:
    """Create the demo records; returns how many of each kind were made."""
    b = DemoBuilder(seed)
    b.build_organisations()
    b.write()
    b.build_calls_and_grants()
    b.build_history()
    b.build_answer()
    b.build_q3_fill()
    b.build_later_years()
    b.absorb_lde()
    b.build_pilots()
    b.write_records()
    return {
        "organisations": len(b.orgs),
        "employees": len(b.persons),
        "employments": len(b.employments),
        "evaluations": len(b.evaluations),
        "referrals": len(b.referrals),
        "trajectories": len(b.trajectories),
        "internships": len(b.internships),
        "grants": len(b.grants),
        "pilots": len(b.pilots),
    }
