"""The fixed parts of the demo plan: dates, places, partners and budgets, and small pure helpers."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from demo import answer as ans
from demo.answer import LDE, OV, VB, WV, A, L
from employees.models import Employee
from partners.models import Organisation

D = datetime.date
D1 = ans.Q2_Q3_DATE
D2 = ans.Q1_DATE
LAST_DAY = D(2025, 12, 31)  # the demo's records end with 2025
IM = "individueel-maatwerk"
LDE_END = D(2023, 6, 30)  # LDE is absorbed into individueel maatwerk on 1 July 2023
TZ = ZoneInfo("Europe/Brussels")

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
    L: [
        "Loca Consult",
        "GOB Arbeidskansen",
        "Synkroon",
        "Compaan – Job & Co opleidingen",
        "Jomi",
        "De Wroeter – Opleidingscentrum vzw",
        "In-Z",
    ],
    OV: ["Argos", "BLM", ans.GENT, ans.GENT, "In-Z"],
    VB: ["Mentor vzw", "Groep Intro vzw", "Televil vzw", "In-Z"],
    WV: ["Vzw Werkmaat", "Emino vzw", "Emino vzw"],
}
# The durations the demo's calls set (assumed, docs/casework.md): a trajectory is planned for its four
# phases at their longest, 1 + 3 + 3 + 3 months (docs/domain.md); an internship lasts up to 3 months.
CALL_TRAJECTORY_MONTHS = 10
CALL_INTERNSHIP_WEEKS = 13

# Call 432's budget in trajectories at EUR 4,200 per partner (480 in all: EUR 2,016,000).
CALL_432_UNITS = {
    "Levanto": 12,
    "Argos": 12,
    "Vzw Web": 24,
    "Loca Consult": 12,
    "Buurtservice vzw": 40,
    "BLM": 12,
    "Mentor vzw": 18,
    "GOB Arbeidskansen": 12,
    "Synkroon": 12,
    "Compaan – Job & Co opleidingen": 18,
    "Groep Intro vzw": 30,
    ans.GENT: 80,
    "In-Z": 66,
    "Televil vzw": 18,
    "Jomi": 12,
    "De Wroeter – Opleidingscentrum vzw": 24,
    "Vzw Werkmaat": 12,
    "Emino vzw": 66,
}
CALL_432_YEAR_SHARES = {2018: 0.10, 2019: 0.25, 2020: 0.25, 2021: 0.25, 2022: 0.15}

# Towns (postcode, name) of the fictitious employers, per province.
TOWNS = {
    A: [
        (2000, "Antwerpen"),
        (2300, "Turnhout"),
        (2800, "Mechelen"),
        (2200, "Herentals"),
        (2400, "Mol"),
        (2500, "Lier"),
    ],
    L: [
        (3500, "Hasselt"),
        (3600, "Genk"),
        (3800, "Sint-Truiden"),
        (3900, "Pelt"),
        (3700, "Tongeren"),
        (3580, "Beringen"),
    ],
    OV: [
        (9000, "Gent"),
        (9300, "Aalst"),
        (9100, "Sint-Niklaas"),
        (9200, "Dendermonde"),
        (9700, "Oudenaarde"),
        (9900, "Eeklo"),
    ],
    VB: [(3000, "Leuven"), (1800, "Vilvoorde"), (3300, "Tienen"), (1500, "Halle"), (3290, "Diest"), (1700, "Dilbeek")],
    WV: [
        (8000, "Brugge"),
        (8500, "Kortrijk"),
        (8800, "Roeselare"),
        (8400, "Oostende"),
        (8900, "Ieper"),
        (8600, "Diksmuide"),
    ],
}
VDAB_OFFICES = {A: "VDAB Antwerpen", L: "VDAB Hasselt", OV: "VDAB Gent", VB: "VDAB Leuven", WV: "VDAB Brugge"}
SECTORS = {
    "retail": "Retail",
    "zorg": "Zorg",
    "logistiek": "Logistics",
    "schoonmaak": "Facility Services",
    "horeca": "Catering",
    "bouw": "Bouw",
    "groenonderhoud": "Groen",
    "productie": "Productie",
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
