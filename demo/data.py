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

from django.db import transaction

from common.history import bulk_create_with_history
from demo.builder.answer_records import AnswerRecords
from demo.builder.constants import PARTNERS, moment
from demo.builder.later import LaterRecords
from demo.builder.organisations import Organisations
from employees.models import Employee, Employment
from evaluations.models import Evaluation, Referral
from partners.constants import OrganisationKind
from partners.models import Grant, Organisation, Pilot
from trajectories.models import Internship, Trajectory


class DemoBuilder(Organisations, AnswerRecords, LaterRecords):
    """Builds the demo records as unsaved model instances, then writes them (load_demo gives the order)."""

    def write(self):
        bulk_create_with_history(Organisation, self.orgs, reason="demo data")
        self.build_users()

    def write_records(self):
        for model, objs in [
            (Employee, [p.employee for p in self.persons]),
            (Employment, self.employments),
            (Evaluation, self.evaluations),
            (Trajectory, self.trajectories),
            (Internship, self.internships),
            (Referral, self.referrals),
            (Grant, self.grants),
        ]:
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
