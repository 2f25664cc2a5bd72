"""What follows a trajectory: its end, an internship, and the job that may follow."""

import datetime

from demo.builder.constants import D1, LAST_DAY, D
from demo.builder.records import Records
from trajectories.constants import InternshipOutcome


class Fates(Records):
    """The end, internship and job of a trajectory, for the answer's trajectories and the later ones."""

    def plan_fate(self, person, t, fate, spec):
        """End, internship and job of one of the 82 trajectories, as planned in demo/answer.py."""
        start = t.start_date
        if fate == "noint18":
            self.end(t, self.day(start, 60, 120), "motivation")
        elif fate == "noint":
            end = (
                self.day(D(2019, 2, 1), 0, 120)
                if spec["year"] == 2018
                else min(self.day(start, 30, 120), D(2019, 11, 15))
            )
            self.end(t, end, self.rng.choice(["motivation", "personal", "employer", "back_to_social_economy", "other"]))
        elif fate == "noint_health":
            # Stopped for health reasons and left the social-economy job in 2020: not at work on the q1 date.
            self.end(t, min(self.day(start, 30, 120), D(2019, 11, 15)), "health")
            self.leave_se(person, self.day(D(2020, 2, 1), 0, 120))
            person.fate = "none"
        elif fate in ("run_hired", "run_hired_wop"):
            self._hired_after_running(person, t, fate, start)
        elif fate == "run_late_end":
            # Ended on 25 November 2019, but the end was recorded in December: the answer counted it as running.
            self.changes.append(
                (t, D(2019, 12, 6), {"end_date": D(2019, 11, 25), "end_reason": self.reasons["motivation"]})
            )
        elif fate == "noint_wop":
            end = min(self.day(start, 40, 100), D(2019, 11, 1))
            self.end(t, end, "job_regular")
            self.hire(
                person, self.rng.choice(self.regular[person.province])[0], end + datetime.timedelta(days=1), wop=True
            )
            person.fate = "other"
        elif fate in ("int_work", "int_wop", "int_back", "int_stop", "run_work"):
            self._with_internship(person, t, fate, start)
        elif fate == "run":
            self._running(person, t, start)
        if t.end_date and t.stage_start and t.stage_start > t.end_date:
            t.stage_start = None

    def _hired_after_running(self, person, t, fate, start):
        # Still running in November 2019; hired by the host of its internship in 2020.
        job = self.day(D(2020, 1, 15), 0, 250)
        host = self.rng.choice(self.regular[person.province])
        self.internship(
            t,
            person,
            max(start + datetime.timedelta(days=60), job - datetime.timedelta(days=60)),
            45,
            InternshipOutcome.HIRED,
            host,
        )
        self.hire(person, host[0], job, wop=fate == "run_hired_wop")
        t.nazorg_start = job
        self.end(t, job + datetime.timedelta(days=self.r(30, 60)), "job_regular")
        person.fate = "other"

    def _with_internship(self, person, t, fate, start):
        """An internship, then work (with or without a work-support package), back, stopped, or still running."""
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
                self.spell(
                    person, person.employer, self.later_instrument(person, later_end), self.day(later_end, 30, 150)
                )
            t.nazorg_start = job
            self.end(t, self.day(job, 30, 60), "job_regular")
            person.fate = "other"

    def _running(self, person, t, start):
        """Still running on the answer's date: maybe an internship that did not lead to a job, then an end."""
        end = max(self.day(start, 150, 300), self.day(D1, 10, 40))
        if self.rng.random() < 0.5:
            istart = self.day(start, 50, 90)
            self.internship(
                t,
                person,
                istart,
                self.r(20, 50),
                self.rng.choice([InternshipOutcome.NOT_HIRED, InternshipOutcome.STOPPED]),
            )
            end = max(end, istart + datetime.timedelta(days=60))
        self.end(
            t,
            end,
            self.rng.choice(
                ["completed", "back_to_social_economy", "completed", "motivation", "personal", "employer", "other"]
            ),
        )

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
            outcome = (
                InternshipOutcome.HIRED
                if hired
                else self.rng.choice(
                    [InternshipOutcome.NOT_HIRED, InternshipOutcome.NOT_HIRED, InternshipOutcome.STOPPED]
                )
            )
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
            reason = self.rng.choice(
                ["completed", "back_to_social_economy", "motivation", "personal", "health", "employer", "other"]
            )
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
