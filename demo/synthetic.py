"""Synthetic data at the scale of all of Flanders, for benchmarks (issue 6).

`generate(persons=N, seed=S)` writes N fictitious persons with their records:
a social-economy employment spell each (instrument and employer spread over
the five Flemish provinces), evaluations with advices, referrals of persons
advised 'doorstroomklaar', trajectories with phases and end reasons,
internships, regular jobs after, and a grant per partner and year. Dates run
from 2014 to today. Rows are made in Python from one seeded random generator
(so a seed gives the same data) and written in bulk: COPY on PostgreSQL,
executemany in batches elsewhere. Stored derived values (an organisation's
province, ages at evaluation and at trajectory start) are written directly,
and one INSERT ... SELECT per table writes the history row of every record
(dated now, as an import does) so that reads "known at" work.
"""

import bisect
import datetime
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from common.crypto import encrypt_insz, insz_digest
from common.dates import age_in_years
from common.history import write_history
from common.identifiers import make_insz, make_kbo
from common.provinces import Province
from employees.models import Employee, Employment, Instrument
from evaluations.models import Advice, Evaluation, Referral
from partners.models import Call, Grant, Organisation
from trajectories.models import EndReason, Internship, Trajectory

BATCH = 5000
START = datetime.date(2014, 1, 1)

# Share of the social-economy workforce per Flemish province, and postcode ranges in it.
PROVINCES = [
    (Province.ANTWERPEN, 0.28, [(2000, 2999)]),
    (Province.OOST_VLAANDEREN, 0.23, [(9000, 9999)]),
    (Province.WEST_VLAANDEREN, 0.18, [(8000, 8999)]),
    (Province.VLAAMS_BRABANT, 0.16, [(1500, 1999), (3000, 3499)]),
    (Province.LIMBURG, 0.15, [(3500, 3999)]),
]
# Instrument codes (seeded by employees 0002) with their share of employment spells.
INSTRUMENTS = [
    ("collectief-maatwerk", 0.45),
    ("lokale-diensteneconomie", 0.20),
    ("individueel-maatwerk", 0.12),
    ("beschutte-werkplaats", 0.08),
    ("sociale-werkplaats", 0.05),
    ("werkervaring", 0.06),
    ("arbeidszorg", 0.04),
]
ADVICES = [("ready", 0.35), ("internal_transition", 0.20), ("not_ready", 0.45)]
END_REASONS = [
    ("job_regular", 0.38),
    ("completed", 0.22),
    ("back_to_social_economy", 0.12),
    ("health", 0.09),
    ("motivation", 0.08),
    ("personal", 0.06),
    ("employer", 0.03),
    ("other", 0.02),
]
FIRST_NAMES = [
    "Jan",
    "Piet",
    "Joris",
    "Korneel",
    "Lucas",
    "Noah",
    "Louis",
    "Arthur",
    "Liam",
    "Adam",
    "Mohamed",
    "Youssef",
    "Milan",
    "Wout",
    "Bram",
    "Stijn",
    "Kevin",
    "Tom",
    "Emma",
    "Olivia",
    "Louise",
    "Mila",
    "Elena",
    "Nora",
    "Marie",
    "Julie",
    "Lotte",
    "Fatima",
    "Amira",
    "Sarah",
    "Ines",
    "Eva",
    "Lien",
    "Sofie",
    "An",
    "Katrien",
    # Names with accents, as the register holds them (the search ignores the accents: common/search.py).
    "Élodie",
    "Zoë",
    "Anaïs",
    "Noé",
    "Hélène",
    "Çağla",
    "Loïc",
    "Chloé",
]
LAST_NAMES = (
    (
        "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De_Smet Dubois Lambert Dupont "
        "Martens Vermeulen Hermans Pauwels Aerts Van_den_Broeck Desmet Michiels Smets Bogaerts Claeys Coppens "
        "Vandamme Cools Verhoeven El_Amrani Benali Yilmaz Kaya Nowak Kowalski Diallo Mukendi"
    )
    .replace("_", " ")
    .split()
)
ACCENTED_LAST_NAMES = ["Müller", "Çelik", "Öztürk", "Lefèvre", "Gökçe", "Núñez", "Şahin", "Désiré"]
# The long tail of surnames: prefix + stem + suffix, about 2,000 names (docs/benchmarks.md, "Issue 17").
SURNAME_PREFIXES = ["", "Van ", "De ", "Vanden"]
SURNAME_STEMS = (
    "Acker Baert Beck Bos Brouck Claer Coll Daem Dier Eyck Gheer Goet Hend Hoeck Hulst Jans Kerck Lauw Leem "
    "Lint Meer Moer Neel Noot Oost Pauw Reyn Roos Ruyt Schel Slag Steen Thys Trop Veld Verb Vos Waer Wyn Zand "
    "Baet Bult Cauw Doms Elst Gees Haes Kemp Loos Mich Nys Pyck Raes Sels Tack Uyt Vlie Wauters Ysen Zeg"
).split()
SURNAME_SUFFIXES = ["", "s", "mans", "aert", "ens", "ckx", "ier", "e"]
# Share of persons carrying one of the common surnames above (LAST_NAMES, weight 1/r^0.35 by rank r): in
# Flanders the most common surname (Peeters) is carried by about 0.4-0.5 % of the population, the first
# 36 together by about 7 %.
COMMON_SURNAME_SHARE = 0.07
# The shape of real case data (issue 17; the shares and where they come from: docs/benchmarks.md).
SCREENED = 0.30  # persons screened by VDAB at least once
SCREENED_AGAIN = 0.30  # screened once: screened again 10-26 months later, unless referred
RESTART = 0.45  # a trajectory that stopped without a regular job: the person starts another, at another partner
REGULAR_AFTER_SPELL = 0.2  # a spell that ended, no trajectory: a regular job within two months
REGULAR_ENDS = 0.5  # a regular job that ends (before today)
BACK_TO_SOCIAL_ECONOMY = 0.6  # after a regular job ended: a new social-economy spell
LATE = 0.04  # records registered more than 90 days after the fact
EDITED = 0.6  # ended spells and trajectories registered while still open, their end added later (history)
UNKNOWN_OFFICE = 0.05  # evaluations without the VDAB office
UNKNOWN_GENDER = 0.01  # gender not stated (x)
SECTORS = ["logistiek", "bouw", "schoonmaak", "horeca", "zorg", "groenonderhoud", "productie", "retail", "metaal"]
OFFICES = [
    "VDAB Antwerpen",
    "VDAB Gent",
    "VDAB Brugge",
    "VDAB Leuven",
    "VDAB Hasselt",
    "VDAB Mechelen",
    "VDAB Kortrijk",
]


def _weighted(rng, pairs):
    values, weights = zip(*pairs)
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    last = len(values) - 1
    return lambda: values[min(last, bisect.bisect_right(cumulative, rng.random() * total))]


def surname_weights() -> list[tuple[str, float]]:
    """(surname, weight): the common surnames by rank (1/r) sharing COMMON_SURNAME_SHARE, the tail the rest."""
    tail = [
        f"{prefix}{stem if prefix != 'Vanden' else stem.lower()}{suffix}"
        for prefix in SURNAME_PREFIXES
        for stem in SURNAME_STEMS
        for suffix in SURNAME_SUFFIXES
    ] + ACCENTED_LAST_NAMES
    harmonic = sum(rank**-0.35 for rank in range(1, len(LAST_NAMES) + 1))
    common = [(name, COMMON_SURNAME_SHARE * rank**-0.35 / harmonic) for rank, name in enumerate(LAST_NAMES, 1)]
    return common + [(name, (1 - COMMON_SURNAME_SHARE) / len(tail)) for name in tail]


class _Table:
    """Rows for one model with explicit ids, written in bulk at the end."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.rows = []
        self.edits = []  # (id, [(day, fields it lacked) per earlier version], day of the last version)
        self.defaults = {
            f.attname: _default(f) for f in self.fields if f.attname not in ("id", "created_at", "updated_at")
        }
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
            self.first_id = (cursor.fetchone()[0] or 0) + 1
        self.next_id = self.first_id

    def add(self, now, **values):
        pk = self.next_id
        self.next_id += 1
        values.setdefault("created_at", now)
        values.setdefault("updated_at", now)
        values["id"] = pk
        defaults = self.defaults
        self.rows.append(tuple(values[a] if a in values else defaults[a] for a in self.attnames))
        return pk

    def write(self):
        if not self.rows:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [self.model._meta.db_table, self.next_id - 1]
                )
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.columns))})"
                for start in range(0, len(self.rows), BATCH):
                    cursor.executemany(
                        sql,
                        [
                            tuple(f.get_db_prep_value(v, connection) for f, v in zip(self.fields, row))
                            for row in self.rows[start : start + BATCH]
                        ],
                    )
        self.write_history()
        self.write_edits()
        self.rows = []

    def write_history(self):
        """One INSERT ... SELECT copies every new record into its history table (type '+', dated now)."""
        write_history(
            self.model, None, "+", user=None, reason="synthetic data", when=timezone.now(), from_pk=self.first_id
        )

    def write_edits(self):
        """The versions of the edited records: the '+' row becomes the first version (its day, the fields it
        lacked empty), each later version a '~' row copied from the record, the last one the record as it is."""
        if not self.edits:
            return
        most = max(len(versions) for _pk, versions, _last in self.edits)
        for number in range(most + 1):
            kind, reason = ("+", "synthetic data") if number == 0 else ("~", f"synthetic edit {number}")
            changes = {}  # fields emptied -> [(day, id)]
            for pk, versions, last in self.edits:
                if number < len(versions):
                    changes.setdefault(versions[number][1], []).append((versions[number][0], pk))
                elif number == len(versions):
                    changes.setdefault((), []).append((last, pk))
            if number:
                ids = [pk for rows in changes.values() for _day, pk in rows]
                write_history(self.model, ids, kind, user=None, reason=reason, when=timezone.now())
            self.update_versions(kind, reason, changes)

    def update_versions(self, kind, reason, changes):
        quote, ops = connection.ops.quote_name, connection.ops
        history = quote(self.model.history.model._meta.db_table)
        with connection.cursor() as cursor:
            for fields, rows in changes.items():
                emptied = "".join(f", {quote(f)} = NULL" for f in fields)
                cursor.executemany(
                    f"UPDATE {history} SET history_date = %s{emptied} "
                    "WHERE id = %s AND history_type = %s AND history_change_reason = %s",
                    [
                        (ops.adapt_datetimefield_value(_noon(day)), pk, kind, reason)
                        for day, pk in sorted(rows, key=lambda r: r[1])
                    ],
                )


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


_REQUIRED = object()  # a required field the caller must give; the insert fails loudly if it does not


def _default(field):
    if field.has_default():
        return field.get_default()
    if field.null or field.is_relation:
        return None
    if field.get_internal_type() in ("CharField", "TextField", "SlugField"):
        return ""
    return _REQUIRED


def _day(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _plus(day: datetime.date, low: int, high: int, rng) -> datetime.date:
    return day + datetime.timedelta(days=rng.randint(low, high))


@transaction.atomic
def generate(*, persons: int, seed: int = 1, today: datetime.date | None = None) -> dict:
    """Write `persons` fictitious persons with all their records; return the number of rows per model."""
    run = _Generator(seed=seed, today=today)
    run.make_organisations(persons)
    run.make_persons(persons)
    run.make_grants(persons)
    return run.write()


class _Generator:
    """One run of generate(): one seeded random generator, the lookups, and the rows of each model."""

    def __init__(self, *, seed: int, today: datetime.date | None):

        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.instrument_ids = dict(Instrument.objects.values_list("code", "id"))
        self.advice_ids = dict(Advice.objects.values_list("code", "id"))
        self.reason_ids = dict(EndReason.objects.values_list("code", "id"))
        self.call = Call.objects.get_or_create(number="432", defaults={"name": "Doorstroom"})[0]
        self.orgs, self.employees, self.employments = _Table(Organisation), _Table(Employee), _Table(Employment)
        self.evaluations, self.referrals, self.trajectories = _Table(Evaluation), _Table(Referral), _Table(Trajectory)
        self.internships, self.grant_rows = _Table(Internship), _Table(Grant)

    def make_organisations(self, persons: int):
        """About one social-economy employer per 500 persons, a partner per 15,000, regular employers."""
        rng = self.rng
        self.taken_kbo = set(self.orgs.model.objects.values_list("kbo_number", flat=True))
        self.kbo_counter = rng.randrange(1_000_000, 5_000_000)
        self.pick_province = _weighted(rng, [(p, p[1]) for p in PROVINCES])
        self.by_province = {p[0]: {"se_employer": [], "partner": [], "regular_employer": []} for p in PROVINCES}
        sizes = {
            "se_employer": max(10, persons // 500),
            "partner": max(5, persons // 15_000),
            "regular_employer": max(20, persons // 100),
        }
        names = {"se_employer": "Maatwerkbedrijf", "partner": "Doorstroompartner", "regular_employer": "Bedrijf"}
        for kind, count in sizes.items():
            for i in range(count):
                choice = PROVINCES[i % 5] if i < 5 else self.pick_province()
                pk = self.new_org(kind, f"{names[kind]} {choice[0].label} {i + 1}", choice)
                self.by_province[choice[0]][kind].append(pk)

    def new_org(self, kind, name, province_choice):
        province, _share, ranges = province_choice
        first, last = self.rng.choice(ranges)
        while True:
            self.kbo_counter += 1
            kbo = make_kbo(self.kbo_counter)
            if kbo not in self.taken_kbo:
                self.taken_kbo.add(kbo)
                break
        return self.orgs.add(
            self.now,
            name=name,
            kbo_number=kbo,
            kind=kind,
            postcode=self.rng.randint(first, last),
            province=province.value,
            registered_on=START,
        )

    def make_persons(self, persons: int):
        self.pick_instrument = _weighted(self.rng, INSTRUMENTS)
        self.pick_advice = _weighted(self.rng, ADVICES)
        self.pick_reason = _weighted(self.rng, END_REASONS)
        self.pick_surname = _weighted(self.rng, surname_weights())
        self.serials: dict[datetime.date, int] = {}
        # Persons already in the database keep their numbers: compared by keyed hash (the numbers are encrypted).
        self.taken_insz = set(
            self.employees.model.objects.filter(insz_digest__isnull=False).values_list("insz_digest", flat=True)
        )
        self.last_start = self.today - datetime.timedelta(days=30)
        for _ in range(persons):
            self.person()

    def new_insz(self):
        """A birth date and a free INSZ number for it: (birth, serial, insz, digest)."""
        # Birth dates between 1958 and 2004: 47 years x 365 days x 997 serials ≈ 17 million numbers.
        birth_first, birth_last = datetime.date(1958, 1, 1), datetime.date(2004, 12, 31)
        rng = self.rng
        while True:
            # Ages cluster around 35-50: the mean of two uniform draws.
            span = (birth_last - birth_first).days
            birth = birth_first + datetime.timedelta(days=(rng.randrange(span) + rng.randrange(span)) // 2)
            serial = self.serials.get(birth, 0) + 1
            if serial <= 997:
                self.serials[birth] = serial
                insz = make_insz(birth, serial)
                digest = insz_digest(insz)
                if digest not in self.taken_insz:
                    return birth, serial, insz, digest

    def registered(self, day: datetime.date, low: int = 0, high: int = 10) -> datetime.date:
        """The day a record of `day` was registered: within days, or for LATE of them after more than 90."""
        rng = self.rng
        late = rng.random() < LATE
        return min(self.today, _plus(day, 91, 400, rng) if late else _plus(day, low, high, rng))

    def person(self):
        """One person: social-economy spells, screenings and trajectories, regular jobs and returns."""
        rng, today, now = self.rng, self.today, self.now
        birth, serial, insz, digest = self.new_insz()
        gender = "x" if rng.random() < UNKNOWN_GENDER else "m" if serial % 2 else "f"
        province = self.pick_province()[0]
        local = self.by_province[province]
        start = _day(rng, max(START, _plus(birth, 18 * 366, 18 * 366, rng)), self.last_start)
        emp_id = self.employees.add(
            now,
            # The INSZ at rest, as Employee.insz would store it: a Fernet token and the keyed hash.
            insz_encrypted=encrypt_insz(insz),
            insz_digest=digest,
            first_name=rng.choice(FIRST_NAMES),
            last_name=self.pick_surname(),
            birth_date=birth,
            gender=gender,
            registered_on=self.registered(start),
        )
        instrument_code = self.pick_instrument()
        instrument_id = self.instrument_ids[instrument_code]
        employer = rng.choice(local["se_employer"])
        person = {"id": emp_id, "birth": birth, "local": local, "employer": employer, "instrument_id": instrument_id}
        se_end = self.spell(person, start, instrument_code)
        regular_from = None
        if rng.random() < SCREENED:
            regular_from = self.screenings(person, start, se_end)
        if regular_from is None and se_end is not None and rng.random() < REGULAR_AFTER_SPELL:
            regular_from = min(today, _plus(se_end, 1, 60, rng))
        if regular_from is not None:
            self.regular_and_back(person, regular_from)

    def spell(self, person, start, instrument_code, employer=None) -> datetime.date | None:
        """A social-economy spell from `start`; its end (None while it runs)."""
        rng, today = self.rng, self.today
        spell_end = _plus(start, 180, 3650, rng)
        se_end = spell_end if spell_end < today else None
        pk = self.employments.add(
            self.now,
            employee_id=person["id"],
            employer_id=employer or person["employer"],
            instrument_id=self.instrument_ids[instrument_code],
            start_date=start,
            end_date=se_end,
            with_support_package=instrument_code == "individueel-maatwerk",
            registered_on=self.registered(start),
        )
        self.edited(self.employments, pk, start, se_end, [("end_date",)])
        return se_end

    def edited(self, table, pk, start, end, versions):
        """For EDITED of the records that ended: registered while open, the end added later (history versions).

        `versions`: per earlier version, the fields it lacked (None); its day is the start, then evenly on.
        """
        if end is None or self.rng.random() >= EDITED:
            return
        last = min(self.today, _plus(end, 0, 30, self.rng))
        step = max(1, (end - start).days // len(versions))
        days = [min(last, start + datetime.timedelta(days=i * step)) for i in range(len(versions))]
        table.edits.append((pk, list(zip(days, versions)), last))

    def regular_and_back(self, person, regular_from):
        """A regular job; for some, when it ends, back to a social-economy spell, and maybe a regular job again."""
        rng, today = self.rng, self.today
        for _round in range(2):
            ends = rng.random() < REGULAR_ENDS
            regular_end = min(today, _plus(regular_from, 30, 700, rng)) if ends else None
            pk = self.employments.add(
                self.now,
                employee_id=person["id"],
                employer_id=rng.choice(person["local"]["regular_employer"]),
                instrument_id=None,
                start_date=regular_from,
                end_date=regular_end,
                registered_on=self.registered(regular_from, 0, 0),
            )
            self.edited(self.employments, pk, regular_from, regular_end, [("end_date",)])
            if regular_end is None or regular_end >= today or rng.random() >= BACK_TO_SOCIAL_ECONOMY:
                return
            back = _plus(regular_end, 30, 400, rng)
            if back >= today:
                return
            se_end = self.spell(person, back, self.pick_instrument(), rng.choice(person["local"]["se_employer"]))
            if se_end is None or rng.random() >= 0.3:
                return
            regular_from = min(today, _plus(se_end, 1, 60, rng))

    def screenings(self, person, start, se_end):
        """Evaluations during the spell, again for some, referrals and trajectories; the regular job's start."""
        rng, today = self.rng, self.today
        first, last = _plus(start, 90, 90, rng), min(today, se_end or today)
        for _screening in range(4):
            if first > last:
                return None
            eval_date = min(today, _day(rng, first, min(last, _plus(first, 0, 365, rng))))
            eval_id, advice = self.evaluation(person, eval_date)
            if advice == "ready" and rng.random() < 0.75:
                regular_from, stopped = self.referral(person, eval_id, eval_date)
                if stopped is None or rng.random() >= RESTART:
                    return regular_from
                # A restart: screened again after the stop, and (if ready) referred to another partner.
                first, last = _plus(stopped, 30, 180, rng), today
            elif rng.random() < SCREENED_AGAIN:
                first = _plus(eval_date, 300, 800, rng)
            else:
                return None
        return None

    def evaluation(self, person, eval_date):
        """An evaluation on `eval_date`: (its id, the advice code)."""
        rng, today = self.rng, self.today
        advice = self.pick_advice()
        undated = rng.random() < 0.02
        eval_id = self.evaluations.add(
            self.now,
            employee_id=person["id"],
            evaluation_date=None if undated else eval_date,
            advice_id=self.advice_ids[advice],
            employer_id=person["employer"],
            instrument_id=person["instrument_id"],
            office="" if rng.random() < UNKNOWN_OFFICE else rng.choice(OFFICES),
            age_years=None if undated else age_in_years(person["birth"], eval_date),
            registered_on=min(today, self.registered(eval_date, 0, 14)),
        )
        return eval_id, advice

    def referral(self, person, eval_id, eval_date):
        """A referral to a partner of the province (another than before, if any), most started as a trajectory:
        (the regular job's start or None, the day a started trajectory stopped without a job or None)."""
        rng, today = self.rng, self.today
        partners = person["local"]["partner"]
        earlier = person.get("partner")
        partner = rng.choice([p for p in partners if p != earlier] or partners)
        person["partner"] = partner
        referred = min(today, _plus(eval_date, 1, 30, rng))
        status = "started" if rng.random() < 0.7 else rng.choice(["waiting", "withdrawn"])
        trajectory_id = regular_from = stopped = None
        t_start = min(today, _plus(referred, 7, 60, rng))
        if status == "started":
            trajectory_id, regular_from, stopped = self.trajectory(person, partner, t_start)
        self.referrals.add(
            self.now,
            evaluation_id=eval_id,
            employee_id=person["id"],
            partner_id=partner,
            status=status,
            trajectory_id=trajectory_id,
            registered_on=referred,
        )
        return regular_from, stopped

    def trajectory(self, person, partner, t_start):
        """A trajectory with its phases, end and maybe an internship: (its id, the regular job's start or None,
        the end when it stopped without a regular job or None)."""
        rng, today = self.rng, self.today
        t_end = _plus(t_start, 90, 400, rng)
        ended = t_end <= today
        reason = self.pick_reason() if ended else None
        phase2 = _plus(t_start, 14, 45, rng)
        phase3 = _plus(phase2, 14, 60, rng)
        phases = {
            "voortraject_start": t_start,
            "jobmatching_start": phase2 if phase2 <= (t_end if ended else today) else None,
            "stage_start": phase3 if phase3 <= (t_end if ended else today) else None,
        }
        trajectory_id = self.trajectories.add(
            self.now,
            employee_id=person["id"],
            partner_id=partner,
            call_id=self.call.id,
            se_employer_id=person["employer"],
            instrument_id=person["instrument_id"],
            start_date=t_start,
            end_date=t_end if ended else None,
            end_reason_id=self.reason_ids[reason] if reason else None,
            age_years=age_in_years(person["birth"], t_start),
            registered_on=self.registered(t_start, 0, 0),
            **phases,
        )
        # Registered at the start, each phase and the end added as they came: up to four versions.
        open_fields = ("end_date", "end_reason_id")
        self.edited(
            self.trajectories,
            trajectory_id,
            t_start,
            t_end if ended else None,
            [("jobmatching_start", "stage_start", *open_fields), ("stage_start", *open_fields), open_fields],
        )
        if phases["stage_start"] and rng.random() < 0.6:
            self.internship(person, trajectory_id, phases["stage_start"], reason)
        if reason == "job_regular":
            return trajectory_id, min(today, _plus(t_end, 0, 30, rng)), None
        return trajectory_id, None, (t_end if ended else None)

    def internship(self, person, trajectory_id, s_start, reason):
        rng, today = self.rng, self.today
        s_end = _plus(s_start, 14, 60, rng)
        hired = reason == "job_regular" and rng.random() < 0.5
        host = rng.choice(person["local"]["regular_employer"])
        self.internships.add(
            self.now,
            trajectory_id=trajectory_id,
            host_id=host,
            sector=rng.choice(SECTORS),
            start_date=s_start,
            end_date=s_end if s_end <= today else None,
            outcome=("hired" if hired else rng.choice(["not_hired", "stopped"])) if s_end <= today else "",
            registered_on=s_start,
        )

    def make_grants(self, persons: int):
        """A grant per partner and year of the call: the standard cost per expected trajectory, registered
        on 1 December of the year before (so the register of 30 November 2019 lacks the grants of 2020)."""
        partner_ids = [pk for local in self.by_province.values() for pk in local["partner"]]
        per_partner = max(1, (persons * 30 // 100 * 35 // 100 * 75 // 100 * 7 // 10) // max(1, len(partner_ids)) // 12)
        for partner_id in partner_ids:
            for year in range(START.year, self.today.year + 1):
                cost = Decimal(per_partner * 4200)
                self.grant_rows.add(
                    self.now,
                    call_id=self.call.id,
                    partner_id=partner_id,
                    year=year,
                    registered_on=min(self.today, datetime.date(year - 1, 12, 1)),
                    esf_amount=(cost * Decimal("0.40")).quantize(Decimal("0.01")),
                    flemish_amount=(cost * Decimal("0.60")).quantize(Decimal("0.01")),
                    spent_amount=None
                    if year == self.today.year
                    else (cost * Decimal(self.rng.randint(80, 100)) / 100).quantize(Decimal("0.01")),
                )

    def write(self) -> dict:
        counts = {}
        # Trajectories before referrals (the one-to-one points at them), evaluations before referrals.
        for table in (
            self.orgs,
            self.employees,
            self.employments,
            self.evaluations,
            self.trajectories,
            self.referrals,
            self.internships,
            self.grant_rows,
        ):
            counts[table.model._meta.verbose_name_plural] = len(table.rows)
            table.write()
        return counts
