"""The builder's state and the making of single records: persons, spells, evaluations, trajectories."""

import datetime
import random
from collections import Counter

from faker import Faker

from common.identifiers import make_insz, make_kbo
from demo.answer import CM, LDE
from demo.builder.constants import (
    IM,
    LAST_DAY,
    LDE_END,
    LEGACY_INSTRUMENTS,
    VDAB_OFFICES,
    D,
    Person,
    instrument_on,
    moment,
)
from employees.models import Employee, Employment, Instrument
from evaluations.constants import ReferralStatus
from evaluations.models import Advice, Evaluation, Referral
from partners.models import Grant, Organisation
from trajectories.models import EndReason, Internship, Trajectory
from trajectories.services import planned_end


class Records:
    """Builds the demo records as unsaved model instances; the subclasses add the steps of the plan."""

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
        o = Organisation(
            name=name, kind=kind, postcode=postcode, kbo_number=make_kbo(next(self.kbo)), registered_on=created
        )
        o.refresh_derived()
        o._history_date = moment(created)
        self.orgs.append(o)
        return o

    # ----- persons and their records ----------------------------------------
    def birth_date(self, band: str | None, on: datetime.date | None = None) -> datetime.date | None:
        """A birth date in the band; without `on`, one that stays in the band from 2018 to 2021."""
        if band is None:
            return None
        if on is None:
            low, high = {
                "<25": (D(1996, 6, 1), D(2000, 12, 31)),
                "25-54": (D(1968, 1, 1), D(1990, 12, 31)),
                "55+": (D(1955, 1, 1), D(1962, 10, 31)),
            }[band]
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
        employee = Employee(
            insz=make_insz(birth, serial),
            first_name=first,
            last_name=self.fake.last_name(),
            birth_date=birth,
            gender=gender,
        )
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
            self.spell(
                person,
                self.rng.choice(self.se_employers[(province, CM)]),
                self.rng.choice(LEGACY_INSTRUMENTS),
                legacy_start,
                min(D(2015, 3, 31), start - datetime.timedelta(days=30)),
            )
        self.spell(person, employer, LDE if instrument == IM and start <= LDE_END else instrument, start)
        employee.registered_on = min(s.start_date for s in person.spells)
        employee._history_date = moment(employee.registered_on)
        self.persons.append(person)
        return person

    def spell(self, person, employer, instrument, start, end=None, wop=False):
        spell = Employment(
            employee=person.employee,
            employer=employer,
            instrument=self.instruments[instrument] if instrument else None,
            start_date=start,
            end_date=end,
            with_support_package=wop,
            registered_on=min(self.day(start, 0, 4), LAST_DAY),
        )
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
        ev = Evaluation(
            employee=person.employee,
            evaluation_date=when,
            advice=self.advices[advice],
            employer=employer,
            instrument=self.instruments[instrument_on(instrument, when)],
            evaluator=self.rng.choice(self.evaluators[province]) if province in self.evaluators else None,
            office=VDAB_OFFICES.get(province, ""),
            registered_on=registered,
        )
        ev.refresh_derived()
        ev._history_date = moment(registered)
        self.evaluations.append(ev)
        return ev

    def trajectory(self, person, partner, start, *, registered=None, call=None, evaluation=None):
        se = self.se_spell_at(person, start)
        call = call or self.call_for(start)
        t = Trajectory(
            employee=person.employee,
            partner=self.partners[partner],
            call=call,
            planned_end_date=planned_end(call, start),
            se_employer=se.employer if se else person.employer,
            instrument=self.instruments[instrument_on(se.instrument.code if se else person.instrument, start)],
            start_date=start,
            voortraject_start=start,
            jobmatching_start=self.day(start, 20, 31),
            caseworker=self.caseworkers[partner],
            registered_on=registered or self.day(start, 0, 6),
        )
        t.refresh_derived()
        t._history_date = moment(t.registered_on)
        self.trajectories.append(t)
        if evaluation is not None:
            ref = Referral(
                evaluation=evaluation,
                employee=person.employee,
                partner=self.partners[partner],
                referred_by=evaluation.evaluator,
                status=ReferralStatus.STARTED,
                trajectory=t,
                registered_on=min(self.day(evaluation.registered_on, 1, 10), t.registered_on),
                # Accepted the day the trajectory was registered: the reports' days to answer.
                answered_at=moment(t.registered_on),
            )
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
        i = Internship(
            trajectory=t,
            host=host,
            sector=sector,
            start_date=start,
            end_date=start + datetime.timedelta(days=length),
            outcome=outcome,
            registered_on=self.day(start, 0, 6),
        )
        i._history_date = moment(i.registered_on)
        t.stage_start = start
        self.internships.append(i)
        return i

    def hire(self, person, employer, start, wop=False, end=None):
        """A regular job (no instrument) from `start`; the social-economy job ends the day before."""
        self.leave_se(person, start - datetime.timedelta(days=1))
        return self.spell(person, employer, None, start, end, wop)

    def later_instrument(self, person, on):
        if person.instrument in (LDE, IM):
            return IM if on > LDE_END else LDE
        return person.instrument
