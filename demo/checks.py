"""Test oracle: an independent re-count of the ministerial tables, for tests only, not the app.

Counted by the letter of docs/measures.md and used by the demo's tests to check
the demo data against the published figures without the report engine: plain
ORM reads, the register read "as known at" K as docs/measures.md defines it
("Two dates"), and the counting done in Python. Deliberately simple rather than
fast.
"""

import datetime
import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from common import age_bands
from common.dates import age_in_years
from common.provinces import Province
from employees.models import Employee, Employment, Instrument
from evaluations.constants import ADVICE_READY
from evaluations.models import Advice, Evaluation
from partners.models import Call, Grant, Organisation
from trajectories.models import Internship, Trajectory

UNKNOWN = "onbekend"
TZ = ZoneInfo("Europe/Brussels")
REFERENCE = Path(settings.BASE_DIR) / "reports" / "reference" / "ministerial-figures-2019.json"


def reference_tables() -> list[dict]:
    """The published tables, from the repository's copy of the reference file."""
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["tables"]


def cell_key(row: dict) -> frozenset:
    return frozenset((k, str(v)) for k, v in row.items() if k != "value")


def band(age: int | None) -> str:
    return age_bands.ESF_2014.band_of(age)


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=TZ)


def known_at(model, k: datetime.date) -> list:
    """The records of a model as the register held them at the end of day K (the team's agreed reading)."""
    history = model.history.model
    limit = _end_of(k)
    chosen = {}
    for row in history.objects.order_by("id", "history_date", "history_id"):
        # The latest version of end of day K, or the earliest when none is that old.
        if row.id not in chosen or row.history_date < limit:
            chosen[row.id] = row
    rows = [r for r in chosen.values() if r.history_type != "-"]
    if any(f.name == "registered_on" for f in model._meta.fields):
        rows = [r for r in rows if r.registered_on <= k]
    return rows


class Register:
    """The register at K, with the live values of related records."""

    def __init__(self, k: datetime.date):
        self.k = k
        self.province = {
            o.pk: (Province(o.province).label if o.province else UNKNOWN) for o in Organisation.objects.all()
        }
        self.org_name = dict(Organisation.objects.values_list("pk", "name"))
        self.birth = dict(Employee.objects.values_list("pk", "birth_date"))
        self.instrument = dict(Instrument.objects.values_list("pk", "name"))
        self.advice = dict(Advice.objects.values_list("pk", "code"))
        self.evaluations = known_at(Evaluation, k)
        self.employments = known_at(Employment, k)
        self.trajectories = known_at(Trajectory, k)
        self.internships = known_at(Internship, k)
        # A grant counts once it and its partner were registered (docs/measures.md, q2e).
        registered = dict(Organisation.objects.values_list("pk", "registered_on"))
        self.grants = [g for g in known_at(Grant, k) if registered[g.partner_id] <= k]

    def age_band(self, employee_id, on):
        return band(age_in_years(self.birth.get(employee_id), on))

    def covering(self, d):
        return [s for s in self.employments if s.start_date <= d and (s.end_date is None or s.end_date >= d)]


def year_of(day):
    return str(day.year) if day else UNKNOWN


def compute_tables(d: datetime.date, k: datetime.date | None = None) -> dict[str, Counter]:
    """Every ministerial table at as_of D and known_at K (default D): {table id: Counter(cell key -> value)}."""
    reg = Register(k or d)
    out = defaultdict(Counter)
    covering = reg.covering(d)
    evaluations = _count_q3(reg, d, out)
    _count_q1(reg, d, evaluations, covering, out)
    trajectories = _count_q2ab(reg, d, out)
    _count_q2c(reg, d, trajectories, out)
    _count_q2d(reg, trajectories, covering, out)
    _count_q2e(reg, out)
    return out


def _count_q3(reg: Register, d: datetime.date, out) -> list:
    """q3: every evaluation, counted on its date; returns the evaluations on or before D."""
    evaluations = [e for e in reg.evaluations if e.evaluation_date is None or e.evaluation_date <= d]
    for e in evaluations:
        year = year_of(e.evaluation_date)
        province = reg.province.get(e.employer_id, UNKNOWN)
        out["q3_evaluations_by_province_year"][frozenset({("province", province), ("year", year)})] += 1
        age = reg.age_band(e.employee_id, e.evaluation_date or d)
        out["q3_evaluations_by_age_year"][frozenset({("age_band", age), ("year", year)})] += 1
    return evaluations


def _count_q1(reg: Register, d: datetime.date, evaluations: list, covering: list, out) -> None:
    """q1: persons advised ready, by their reference evaluation (earliest dated, else undated)."""
    reference = {}
    for e in sorted(
        (e for e in evaluations if reg.advice[e.advice_id] == ADVICE_READY),
        key=lambda e: (e.evaluation_date is None, e.evaluation_date or datetime.date.min, e.id),
    ):
        reference.setdefault(e.employee_id, e)
    for person, e in reference.items():
        year = year_of(e.evaluation_date)
        instrument = reg.instrument.get(e.instrument_id, UNKNOWN)
        province = reg.province.get(e.employer_id, UNKNOWN)
        age = reg.age_band(person, e.evaluation_date or d)
        out["q1_ready_by_instrument_province_year"][
            frozenset({("instrument", instrument), ("province", province), ("year", year)})
        ] += 1
        out["q1_ready_by_instrument_age_year"][
            frozenset({("instrument", instrument), ("age_band", age), ("year", year)})
        ] += 1
    at_work = {s.employee_id for s in covering}
    same = {
        s.employee_id
        for s in covering
        if reference.get(s.employee_id) and s.employer_id == reference[s.employee_id].employer_id
    }
    status = out["q1_ready_at_work"]
    status[frozenset({("status", "advised_ready")})] = len(reference)
    status[frozenset({("status", "at_work")})] = len(at_work & reference.keys())
    status[frozenset({("status", "at_work_same_employer")})] = len(same & reference.keys())
    status[frozenset({("status", "at_work_other_employer")})] = len((at_work - same) & reference.keys())


def _count_q2ab(reg: Register, d: datetime.date, out) -> list:
    """q2a, q2b: trajectories started on or before D; returns them."""
    trajectories = [t for t in reg.trajectories if t.start_date <= d]
    for t in trajectories:
        year, partner = year_of(t.start_date), reg.org_name[t.partner_id]
        province = reg.province.get(t.se_employer_id, UNKNOWN)
        age = reg.age_band(t.employee_id, t.start_date)
        out["q2a_trajectories_by_partner_year"][frozenset({("partner", partner), ("year", year)})] += 1
        out["q2b_trajectories_by_province_year"][frozenset({("province", province), ("year", year)})] += 1
        out["q2b_trajectories_by_age_year"][frozenset({("age_band", age), ("year", year)})] += 1
    return trajectories


def _count_q2c(reg: Register, d: datetime.date, trajectories: list, out) -> None:
    """q2c: ended on or before D, and of those without an internship started on or before the end date."""
    internships = defaultdict(list)
    for i in reg.internships:
        internships[i.trajectory_id].append(i)
    ended = [t for t in trajectories if t.end_date and t.end_date <= d]
    without = [t for t in ended if not any(i.start_date <= t.end_date for i in internships[t.id])]
    out["q2c_ended"][frozenset({("status", "ended")})] = len(ended)
    out["q2c_ended"][frozenset({("status", "ended_without_internship")})] = len(without)
    for t in without:
        out["q2c_stopped_without_internship_by_year"][frozenset({("year", year_of(t.end_date))})] += 1
        out["q2c_stopped_without_internship_by_province"][
            frozenset({("province", reg.province.get(t.se_employer_id, UNKNOWN))})
        ] += 1
        out["q2c_stopped_without_internship_by_age"][
            frozenset({("age_band", reg.age_band(t.employee_id, t.start_date))})
        ] += 1
        out["q2c_stopped_without_internship_by_partner"][frozenset({("partner", reg.org_name[t.partner_id])})] += 1


def _count_q2d(reg: Register, trajectories: list, covering: list, out) -> None:
    """q2d: persons of those trajectories in a regular job without support package on D."""
    latest = {}
    for t in sorted(trajectories, key=lambda t: (t.start_date, t.id)):
        latest[t.employee_id] = t
    working = {s.employee_id for s in covering if s.instrument_id is None and not s.with_support_package}
    counted = [t for person, t in latest.items() if person in working]
    out["q2d_at_work"][frozenset({("status", "trajectories")})] = len(trajectories)
    out["q2d_at_work"][frozenset({("status", "at_work_without_support_package")})] = len(counted)
    for t in counted:
        out["q2d_at_work_by_province"][frozenset({("province", reg.province.get(t.se_employer_id, UNKNOWN))})] += 1
        out["q2d_at_work_by_age"][frozenset({("age_band", reg.age_band(t.employee_id, t.start_date))})] += 1
        out["q2d_at_work_by_partner"][frozenset({("partner", reg.org_name[t.partner_id])})] += 1


def _count_q2e(reg: Register, out) -> None:
    """q2e: amounts granted for call 432."""
    call = Call.objects.get(number="432")
    grants = [g for g in reg.grants if g.call_id == call.pk]
    esf = sum((g.esf_amount for g in grants), Decimal("0"))
    flemish = sum((g.flemish_amount for g in grants), Decimal("0"))
    for source, amount in (("total", esf + flemish), ("esf", esf), ("flemish_cofinancing", flemish)):
        out["q2e_call_budget"][frozenset({("source", source)})] = f"{amount:.2f}"


def compare(table: dict, computed: Counter) -> list[tuple]:
    """(cell labels, published, demo) for each cell that differs; labels the table lacks must be zero."""
    differences = []
    listed = set()
    for row in table["rows"]:
        key = cell_key(row)
        listed.add(key)
        value = computed.get(key, 0)
        if str(value) != str(row["value"]):
            differences.append((dict(key), row["value"], value))
    for key, value in computed.items():
        if key not in listed and value not in (0, "0.00"):
            differences.append((dict(key), None, value))
    return differences
