"""The history before the answer (2014-2017) and the years after it (November 2020 to 2025)."""

import datetime

from demo.answer import BANDS, CM, LDE, PROVINCES
from demo.builder.constants import IM, LAST_DAY, LDE_END, LEGACY_INSTRUMENTS, PARTNERS_BY_PROVINCE, D, moment
from demo.builder.fates import Fates
from evaluations.constants import ReferralStatus
from evaluations.models import Referral


class LaterRecords(Fates):
    """Records outside the answer's tables, so that every report has something to show."""

    def build_history(self):
        """2014-2017: workers who moved from a sociale werkplaats to a regular job, and what followed."""
        for year in range(2014, 2018):
            for _ in range(14):
                province = self.rng.choice(PROVINCES)
                band = self.rng.choices(BANDS, weights=[2, 7, 2])[0]
                job = self.day(D(year, 1, 5), 0, 350)
                instrument = self.rng.choice(LEGACY_INSTRUMENTS)
                person = self.new_person(
                    band=band,
                    province=province,
                    instrument=instrument,
                    job_from=job,
                    employer=self.rng.choice(self.se_employers[(province, CM)]),
                    role="history",
                )
                if year >= 2017 and self.rng.random() < 0.5:
                    sector = self.rng.choice(list(self.pilot_hosts))
                    host = self.rng.choice(self.pilot_hosts[sector])
                else:
                    host = self.rng.choice(self.regular[province])[0]
                roll = self.rng.random()
                length = (
                    None
                    if roll < 0.45
                    else self.r(20, 85)
                    if roll < 0.6
                    else self.r(95, 175)
                    if roll < 0.75
                    else self.r(190, 360)
                )
                end = job + datetime.timedelta(days=length) if length else None
                self.hire(person, host, job, wop=False, end=end)
                if end and self.rng.random() < 0.55:
                    back = self.day(end, 20, 270)
                    self.spell(person, person.employer, CM if back >= D(2015, 4, 1) else instrument, back)
                if year >= 2016 and self.rng.random() < 0.5:
                    # A screening before the regulation, entered from the paper archive in 2021.
                    self.evaluation(
                        person,
                        job - datetime.timedelta(days=self.r(30, 90)),
                        "ready",
                        registered=self.day(D(2021, 3, 1), 0, 60),
                        instrument=instrument,
                    )

    # ----- after the answer ---------------------------------------------------
    def build_later_years(self):
        """November 2020 to 2025: evaluations, referrals, trajectories, internships and jobs."""
        self._second_trajectories()
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
                    person = self.new_person(
                        band=band,
                        province=province,
                        instrument=instrument,
                        job_from=when,
                        employer=employer,
                        role="later",
                        unknown_birth=no_birth_date,
                    )
                se = self.se_spell_at(person, when)
                if se is None:
                    continue
                registered = self.day(when, 0, 14) if self.rng.random() > 0.1 else self.day(when, 60, 240)
                advice = self.rng.choices(["ready", "internal_transition", "not_ready"], weights=[50, 15, 35])[0]
                ev = self.evaluation(
                    person,
                    when,
                    advice,
                    registered=min(registered, LAST_DAY),
                    employer=se.employer,
                    instrument=se.instrument.code,
                )
                if advice == "internal_transition":
                    self.hire(person, se.employer, self.day(when, 30, 90), wop=self.rng.random() < 0.6)
                elif advice == "ready":
                    partner = self.rng.choice(PARTNERS_BY_PROVINCE[person.province])
                    start = self.day(when, 20, 90)
                    if self.rng.random() < 0.2 or start > LAST_DAY:
                        status = self.rng.choice([ReferralStatus.WAITING, ReferralStatus.WITHDRAWN])
                        ref = Referral(
                            evaluation=ev,
                            employee=person.employee,
                            partner=self.partners[partner],
                            referred_by=ev.evaluator,
                            status=status,
                            registered_on=min(self.day(ev.registered_on, 1, 10), LAST_DAY),
                        )
                        ref._history_date = moment(ref.registered_on)
                        self.referrals.append(ref)
                        continue
                    t = self.trajectory(person, partner, start, evaluation=ev)
                    t.registered_on = max(t.registered_on, ev.registered_on)
                    t._history_date = moment(t.registered_on)
                    self.plan_later_fate(person, t, not_before=start)

    def _second_trajectories(self):
        """A second trajectory, with another partner, for some who stopped their first one without a job."""
        first_ones = [
            t
            for t in self.answer_trajectories
            if t.end_date and t.end_reason and t.end_reason.code not in ("job_regular", "health")
        ]
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
