"""The records behind the minister's answer: the 82 trajectories, the persons advised ready, q3's evaluations."""

import datetime
from collections import Counter, defaultdict

from common.dates import age_in_years
from demo import answer as ans
from demo.answer import BANDS, CM, LDE, OV, PROVINCES
from demo.builder.constants import D1, D2, PARTNERS_BY_PROVINCE, D, band_of, moment, northwest_corner
from demo.builder.fates import Fates
from evaluations.constants import ReferralStatus
from evaluations.models import Referral


class AnswerRecords(Fates):
    """The persons, evaluations and trajectories that the answer's tables count (demo/answer.py plans them)."""

    def build_answer(self):
        """The 82 trajectories of question 2 and the other persons advised ready of question 1."""
        cap_p = {k: dict(v) for k, v in ans.Q1_BY_PROVINCE.items()}
        cap_b = {k: dict(v) for k, v in ans.Q1_BY_BAND.items()}
        specs = self.trajectory_specs(cap_p, cap_b)
        self.build_answer_trajectories(specs)
        self.build_ready_without_trajectory(specs, cap_p, cap_b)
        self.plan_ready_status()
        self.build_ready_trajectories()

    @staticmethod
    def take_instrument(cap_p, cap_b, province, band, year):
        """The instrument of a ready advice that both q1 tables still have room for; takes it from both."""
        options = [i for i in (LDE, CM) if cap_p[(i, year)][province] > 0 and cap_b[(i, year)][band] > 0]
        if not options:
            raise ValueError(f"No ready advice left for {province} {band} {year}")
        instrument = max(options, key=lambda i: (cap_p[(i, year)][province], i == LDE))
        cap_p[(instrument, year)][province] -= 1
        cap_b[(instrument, year)][band] -= 1
        return instrument

    def trajectory_specs(self, cap_p, cap_b):
        """One spec per trajectory of demo/answer.py, with the year and instrument of its ready advice."""
        specs = []
        for partner, year, province, band, fate, n in ans.TRAJECTORY_GROUPS:
            specs += [
                {"partner": partner, "year": year, "province": province, "band": band, "fate": fate} for _ in range(n)
            ]
        early = dict(ans.STARTS_2019_FROM_2018_ADVICE)
        for s in specs:
            s["advice_year"] = s["year"]
            if s["year"] == 2019 and s["fate"] == "run" and s["band"] == "25-54" and early.get(s["province"], 0):
                early[s["province"]] -= 1
                s["advice_year"] = 2018
        assert not any(early.values())
        for s in sorted(specs, key=lambda s: (s["band"] == "25-54", s["advice_year"] != 2018)):
            s["instrument"] = self.take_instrument(cap_p, cap_b, s["province"], s["band"], s["advice_year"])
        return specs

    def start_and_advice(self, s):
        """The start of a planned trajectory and the date of its ready advice."""
        fate, year = s["fate"], s["year"]
        if year == 2018:
            start = {"noint18": self.day(D(2018, 6, 1), 0, 40), "noint": self.day(D(2018, 9, 1), 0, 70)}.get(
                fate
            ) or self.day(D(2018, 6, 1), 0, 90)
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
        return start, advised

    def build_answer_trajectories(self, specs):
        """The 82 trajectories of question 2, each with its person, ready advice and fate."""
        hired_after = ans.RUNNING_HIRED_BY_Q1_DATE
        late_end_done = False
        health = 0
        self.answer_trajectories = []
        for s in specs:
            fate, year = s["fate"], s["year"]
            start, advised = self.start_and_advice(s)
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
            person = self.new_person(
                band=s["band"], province=s["province"], instrument=s["instrument"], job_from=advised, role="trajectory"
            )
            ev = self.evaluation(person, advised, "ready")
            t = self.trajectory(person, s["partner"], start, evaluation=ev)
            self.answer_trajectories.append(t)
            self.plan_fate(person, t, fate, s)
        assert hired_after == 0 and late_end_done and health == 2

    def build_ready_without_trajectory(self, specs, cap_p, cap_b):
        """The rest of the 206: persons advised ready without a trajectory by November 2019."""
        self.residual = []
        known_2018 = {
            p: ans.Q3_BY_PROVINCE[2018][p]
            - ans.Q3_NOT_READY_2018[p]
            - sum(1 for s in specs if s["advice_year"] == 2018 and s["province"] == p)
            for p in PROVINCES
        }
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
                    person = self.new_person(
                        band=band,
                        province=province,
                        instrument=instrument,
                        job_from=min(when or D(2018, 6, 1), D(2018, 12, 1)),
                        role=f"ready{year}",
                    )
                    ev = self.evaluation(person, when, "ready", registered=registered)
                    self.residual.append((person, ev))
        assert not any(known_2018.values())

    def between_answers(self, ev, low, high):
        """A day after the advice and November 2019, and before the q1 date."""
        day = self.day(max(ev.evaluation_date or D1, D1), low, high)
        return min(day, D2 - datetime.timedelta(days=10))

    def plan_ready_status(self):
        """Their status on the q1 date: a few left work, a few work elsewhere."""
        # Only the answer's trajectories have a fate other than "same" yet.
        other_needed = ans.Q1_AT_WORK["at_work_other_employer"] - sum(p.fate == "other" for p in self.persons)
        none_needed = (ans.Q1_AT_WORK["advised_ready"] - ans.Q1_AT_WORK["at_work"]) - sum(
            p.fate == "none" for p in self.persons
        )
        order = sorted(
            self.residual,
            key=lambda pe: (
                band_of(age_in_years(pe[0].employee.birth_date, D2)) != "55+",
                pe[1].evaluation_date or D(2018, 1, 1),
            ),
        )
        for person, ev in order[:none_needed]:
            self.leave_se(person, self.between_answers(ev, 10, 200))
            person.fate = "none"
        for k, (person, ev) in enumerate(order[none_needed : none_needed + other_needed]):
            start = self.between_answers(ev, 20, 200)
            if k == 0:  # moved to another social-economy employer
                self.leave_se(person, start - datetime.timedelta(days=1))
                kind = CM if person.instrument == CM else LDE
                others = [e for e in self.se_employers[(person.province, kind)] if e is not person.employer]
                self.spell(person, self.rng.choice(others), person.instrument, start)
            else:  # found a regular job on their own
                self.hire(person, self.rng.choice(self.regular[person.province])[0], start, wop=k == 1)
            person.fate = "other"

    def build_ready_trajectories(self):
        """Trajectories after November 2019 for some of them; one started before but was registered late."""
        same = [(person, ev) for person, ev in self.residual if person.fate == "same"]
        late = next(
            (person, ev)
            for person, ev in same
            if ev.evaluation_date and D(2019, 6, 1) <= ev.evaluation_date <= D(2019, 10, 31)
        )
        again = [
            (person, ev)
            for person, ev in same
            if ev.evaluation_date and ev.evaluation_date.year == 2019 and person is not late[0]
        ][:4]
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
                    ref = Referral(
                        evaluation=ev,
                        employee=person.employee,
                        partner=self.partners[partner],
                        referred_by=ev.evaluator,
                        status=status,
                        registered_on=registered,
                    )
                    ref._history_date = moment(registered)
                    self.referrals.append(ref)
                continue
            self.plan_later_fate(person, t, not_before=D2 + datetime.timedelta(days=3))
        assert len(again) == 4

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
                        advice = self.rng.choice(
                            ["not_ready", "not_ready", "not_ready", "internal_transition", "internal_transition"]
                        )
                    else:
                        when, advice = None, self.rng.choice(["not_ready", "not_ready", "internal_transition"])
                    if year is None and (province, band) == (OV, "25-54") and undated_again < 2:
                        # An undated ready advice of a person who also has a dated one: q1 takes the dated one.
                        undated_again += 1
                        person = next(
                            p
                            for p in self.persons
                            if p.role == "trajectory"
                            and p.province == OV
                            and p.fate == "same"
                            and band_of(age_in_years(p.employee.birth_date, D1)) == band
                            and not any(
                                e.employee is p.employee and e.evaluation_date is None for e in self.evaluations
                            )
                        )
                        self.evaluation(person, None, "ready", registered=self.day(D(2019, 6, 1), 0, 150))
                        continue
                    pool = reusable.get((province, band))
                    if year == 2019 and pool and self.rng.random() < 0.5:
                        # Not ready in 2019, advised ready in 2020.
                        person, later = pool.pop()
                        when = min(when, later.evaluation_date - datetime.timedelta(days=120))
                        self.evaluation(person, when, "not_ready")
                        continue
                    person = self.new_person(
                        band=band,
                        province=province,
                        instrument=self.rng.choice([CM, LDE]),
                        job_from=when or D(2018, 6, 1),
                        role="evaluated",
                    )
                    registered = None if when else self.day(D(2018, 6, 1), 0, 500)
                    ev = self.evaluation(person, when, advice, registered=registered)
                    self.fill_persons.append((person, ev))
                    if advice == "internal_transition":
                        job = self.day(when or D(2019, 6, 1), 30, 120)
                        self.hire(person, person.employer, job, wop=self.rng.random() < 0.6)
        # Two undated evaluations get their date in 2021: today's figures for 2019 differ from the answer's.
        undated = [ev for _, ev in self.fill_persons if ev.evaluation_date is None and ev.employer.province == OV]
        for ev in undated[:2]:
            self.changes.append(
                (ev, self.day(D(2021, 3, 1), 0, 60), {"evaluation_date": self.day(D(2019, 2, 1), 0, 200)})
            )
