"""What each kind of import file holds: its columns, how a row becomes a record, and its natural key.

A kind reads its rows a chunk at a time: `prefetch` loads, in a few queries
per chunk, every record the chunk refers to (persons, organisations, the
existing records with the same natural keys, employment spells); `resolve`
then turns one row into the field values of a record without any query.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.roles import Role, role_of
from common.crypto import insz_digest
from employees.models import Employee, Employment, Instrument
from evaluations.models import Advice, Evaluation
from imports import cells
from imports.constants import ImportKind
from partners.constants import OrganisationKind
from partners.models import Call, Grant, Organisation
from trajectories.models import EndReason, Internship, Trajectory
from trajectories.services import end_running_internships, follow_internship_phase


@dataclass(frozen=True)
class Column:
    name: str
    parse: object
    required: bool = True


@dataclass
class Context:
    """What every row of one import shares: who imports, and the small reference lists."""

    user: object  # None for the command line, which acts as an administrator
    today: datetime.date
    partner_id: int | None = None
    instruments: dict = field(default_factory=dict)
    advices: dict = field(default_factory=dict)
    end_reasons: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)
    instruments_by_id: dict = field(default_factory=dict)

    @classmethod
    def for_user(cls, user, today):
        context = cls(user=user, today=today)
        if user is not None and role_of(user) == Role.PARTNER_STAFF:
            # Staff not bound to an organisation own nothing: 0 matches no organisation.
            context.partner_id = user.organisation_id or 0
        for instrument in Instrument.objects.all():
            context.instruments[instrument.name.lower()] = instrument
            context.instruments[instrument.code.lower()] = instrument
            context.instruments_by_id[instrument.pk] = instrument
        for advice in Advice.objects.all():
            context.advices.update({advice.code.lower(): advice, advice.label_nl.lower(): advice})
        for reason in EndReason.objects.all():
            context.end_reasons.update({reason.code.lower(): reason, reason.label_nl.lower(): reason})
        context.calls = {call.number: call for call in Call.objects.all()}
        return context

    @property
    def is_administrator(self) -> bool:
        return self.user is None or role_of(self.user) == Role.ADMINISTRATOR

    def employees(self):
        employees = Employee.objects.all() if self.user is None else Employee.objects.visible_to(self.user)
        # What the rows need of a person: the key, and the birth date for the stored ages.
        return employees.only("pk", "insz_encrypted", "insz_digest", "birth_date").order_by()

    def trajectories(self):
        return Trajectory.objects.all() if self.user is None else Trajectory.objects.visible_to(self.user)


REGISTERED_ON = Column("registered_on", cells.date, required=False)
# The record's own identifier in the source system: when given, it finds the record a row corrects.
SOURCE_ID = Column("source_id", cells.text, required=False)


def _unique_values(rows, column):
    return {row[column] for row in rows if row.get(column) is not None}


def _spells_by_employee(employee_ids):
    """The persons' social-economy spells, and their employers, in two queries."""
    spells = defaultdict(list)
    employer_ids = set()
    fields = ("pk", "employee_id", "employer_id", "instrument_id", "start_date", "end_date")
    for spell in Employment.objects.filter(employee_id__in=employee_ids, instrument__isnull=False).only(*fields):
        spells[spell.employee_id].append(spell)
        employer_ids.add(spell.employer_id)
    employers = Organisation.objects.in_bulk(employer_ids)
    return spells, employers


def se_spell_on(spells, on, employer=None):
    """The person's social-economy spell covering a date (the latest started), at one employer if given."""
    covering = [
        s
        for s in spells
        if s.instrument_id is not None
        and s.start_date <= on
        and (s.end_date is None or s.end_date >= on)
        and (employer is None or s.employer_id == employer.pk)
    ]
    return max(covering, key=lambda s: s.start_date, default=None)


class Kind:
    """The columns and rules of one kind of file; subclasses fill in the details."""

    kind: str
    model = None
    columns: list[Column] = []
    update_fields: list[str] = []
    # Model field -> column, so that a model's own error lands in the right column.
    field_columns: dict[str, str] = {}
    roles: set = {Role.ADMINISTRATOR}
    # Stored values the model derives in refresh_derived(), which bulk writes must call themselves.
    derived_fields: list[str] = []
    # The natural key, as stored columns (attnames), in the order resolve() builds the key.
    key_fields: list[str] = []
    # Whether the database holds the natural key unique (an evaluation's is not: the source may tell two apart).
    unique_key: bool = True
    # Fields of the natural key a row may correct when its source_id finds the record (model field names).
    rekey_fields: list[str] = []
    # Fields whose cell was read with the field's own validator already (a second check would only cost time).
    validated_on_read: list[str] = []

    @property
    def column_names(self):
        return [c.name for c in self.columns]

    def may_import(self, user) -> bool:
        return user is None or role_of(user) in self.roles

    @cached_property
    def clean_exclude(self):
        """Fields full_clean() skips: relations (resolved from prefetched records, where a check would
        query once per row) and the fields this application fills itself."""
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if f.is_relation
            or f.primary_key
            or f.name in ("created_at", "updated_at")
            or f.name in self.derived_fields
            or f.name in self.validated_on_read
        ]

    @cached_property
    def update_attnames(self):
        return {name: self.model._meta.get_field(name).attname for name in self.update_fields}

    @cached_property
    def rekey_attnames(self):
        return {name: self.model._meta.get_field(name).attname for name in self.rekey_fields}

    def _stored(self, queryset) -> list[dict]:
        """The stored values of records as plain dicts (natural key as "key", pk, key and update columns),
        oldest first: comparing a row with them costs no model instance."""
        attnames = list(dict.fromkeys([*self.key_fields, *self.update_attnames.values()]))
        width = len(self.key_fields)
        # Sorted here rather than by the database: an ORDER BY pk would make it scan the whole table.
        rows = sorted(queryset.order_by().values_list("pk", *attnames), key=lambda v: v[0])
        stored = []
        for values in rows:
            record = dict(zip(["pk", *attnames], values))
            keys = values[1 : width + 1]
            record["key"] = keys[0] if width == 1 else keys
            stored.append(record)
        return stored

    def existing_values(self, queryset) -> dict:
        """The stored values of existing records by natural key; only the records that change are loaded whole."""
        existing = {}
        for record in self._stored(queryset):
            # Evaluations have no unique key: the oldest record with the key is the one a row updates.
            existing.setdefault(record["key"], record)
        return existing

    def by_source_id(self, source_ids) -> dict:
        """The stored values of the records with these source identifiers (of all records: each is unique)."""
        if not source_ids:
            return {}
        return {r["source_id"]: r for r in self._stored(self.model.objects.filter(source_id__in=source_ids))}

    def prefetch(self, context, rows) -> dict:
        raise NotImplementedError

    def resolve(self, context, lookups, row, error):
        """(natural key, field values) of a row, or None when a needed value is missing or wrong."""
        raise NotImplementedError

    def export_rows(self):
        raise NotImplementedError

    def after_write(self, records, *, user, reason, when) -> None:
        """What the records just written imply for others (the rules of trajectories.services)."""

    # Helpers shared by the kinds.

    def _organisation(self, lookups, row, column, error, *, partner=False, own=None):
        number = row.get(column)
        if number is None:
            return None
        organisation = lookups["organisations"].get(number)
        if own is not None and (organisation is None or organisation.pk != own):
            error(column, _("Not your organisation: you can only import records of your own organisation."))
            return None
        if organisation is None:
            error(column, _("Unknown organisation: no organisation has this KBO number."))
            return None
        if partner and organisation.kind != OrganisationKind.PARTNER:
            error(column, _("This organisation is not an ESF transition partner."))
            return None
        return organisation

    def _employee(self, lookups, row, error):
        number = row.get("insz")
        if number is None:
            return None
        employee = lookups["employees"].get(number)
        if employee is None:
            error("insz", _("Unknown person: no employee with this INSZ number."))
        return employee

    def _instrument(self, context, row, error):
        name = row.get("instrument")
        if name is None:
            return None
        instrument = context.instruments.get(name.lower())
        if instrument is None:
            error("instrument", _("Unknown policy instrument."))
        return instrument

    def _call(self, context, row, error):
        number = row.get("call_number")
        if number is None:
            return None
        call = context.calls.get(number)
        if call is None:
            if not context.is_administrator:
                error("call_number", _("Unknown call number."))
                return None
            call = Call.objects.create(number=number)
            context.calls[number] = call
        return call

    def _registered_on(self, row, fields):
        if row.get("registered_on") is not None:
            fields["registered_on"] = row["registered_on"]

    @staticmethod
    def _fetch_organisations(*number_sets):
        numbers = set().union(*number_sets)
        return {o.kbo_number: o for o in Organisation.objects.filter(kbo_number__in=numbers)}

    def _fetch_employees(self, context, rows):
        """The persons of the rows by INSZ, matched through the keyed hash (the number is stored encrypted)."""
        by_digest = {insz_digest(number): number for number in _unique_values(rows, "insz")}
        return {by_digest[e.insz_digest]: e for e in context.employees().filter(insz_digest__in=by_digest)}


def _d(value):
    return value.isoformat() if value else ""


class OrganisationKindSpec(Kind):
    kind = ImportKind.ORGANISATIONS
    model = Organisation
    columns = [
        Column("kbo_number", cells.kbo),
        Column("name", cells.text),
        Column("kind", cells.text),
        Column("postcode", cells.integer, required=False),
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = ["name", "kind", "postcode", "registered_on", "source_id"]
    derived_fields = ["province"]
    key_fields = ["kbo_number"]
    rekey_fields = ["kbo_number"]
    validated_on_read = ["kbo_number"]
    field_columns = {c: c for c in ["kbo_number", "name", "kind", "postcode", "registered_on"]}

    def prefetch(self, context, rows):
        numbers = _unique_values(rows, "kbo_number")
        return {"existing": self.existing_values(Organisation.objects.filter(kbo_number__in=numbers))}

    def resolve(self, context, lookups, row, error):
        if row.get("kbo_number") is None or row.get("name") is None or row.get("kind") is None:
            return None
        fields = {"kbo_number": row["kbo_number"], "name": row["name"], "kind": row["kind"]}
        if "postcode" in row:
            fields["postcode"] = row["postcode"]
        self._registered_on(row, fields)
        return row["kbo_number"], fields

    def export_rows(self):
        for o in Organisation.objects.order_by("kbo_number"):
            yield [o.kbo_number, o.name, o.kind, o.postcode or "", _d(o.registered_on), o.source_id]


class EmployeeKindSpec(Kind):
    kind = ImportKind.EMPLOYEES
    model = Employee
    columns = [
        Column("insz", cells.insz),
        Column("first_name", cells.text),
        Column("last_name", cells.text),
        Column("birth_date", cells.date, required=False),
        Column("gender", lambda v: cells.text(v).lower(), required=False),
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = ["first_name", "last_name", "birth_date", "gender", "registered_on", "source_id"]
    # The natural key is the INSZ's keyed hash: the number itself is stored encrypted (common/crypto.py).
    key_fields = ["insz_digest"]
    validated_on_read = ["insz_encrypted", "insz_digest"]
    field_columns = {
        **{c: c for c in ["insz", "first_name", "last_name", "birth_date", "gender", "registered_on"]},
        "insz_encrypted": "insz",
        "insz_digest": "insz",
    }
    roles = {Role.ADMINISTRATOR, Role.EVALUATOR}

    def prefetch(self, context, rows):
        digests = {insz_digest(number) for number in _unique_values(rows, "insz")}
        # Existing persons are matched on all persons, not only the visible ones: the INSZ is unique.
        return {"existing": self.existing_values(Employee.objects.filter(insz_digest__in=digests))}

    def resolve(self, context, lookups, row, error):
        if row.get("insz") is None or row.get("first_name") is None or row.get("last_name") is None:
            return None
        fields = {"insz": row["insz"], "first_name": row["first_name"], "last_name": row["last_name"]}
        if "birth_date" in row:
            fields["birth_date"] = row["birth_date"]
        if "gender" in row:
            fields["gender"] = row["gender"] or ""
        self._registered_on(row, fields)
        return insz_digest(row["insz"]), fields

    def export_rows(self):
        # In the order of the keyed hash: stable, and says nothing about the numbers.
        for e in Employee.objects.filter(insz_digest__isnull=False).order_by("insz_digest"):
            yield [e.insz, e.first_name, e.last_name, _d(e.birth_date), e.gender, _d(e.registered_on), e.source_id]


class EmploymentKindSpec(Kind):
    kind = ImportKind.EMPLOYMENTS
    model = Employment
    columns = [
        Column("insz", cells.insz),
        Column("employer_kbo", cells.kbo),
        Column("instrument", cells.text, required=False),
        Column("start_date", cells.date),
        Column("end_date", cells.date, required=False),
        Column("support_package", cells.yes_no, required=False),
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = ["instrument", "end_date", "with_support_package", "registered_on", "source_id"]
    key_fields = ["employee_id", "employer_id", "start_date"]
    rekey_fields = ["employer", "start_date"]
    field_columns = {
        "employee": "insz",
        "employer": "employer_kbo",
        "instrument": "instrument",
        "start_date": "start_date",
        "end_date": "end_date",
        "with_support_package": "support_package",
        "registered_on": "registered_on",
    }

    def prefetch(self, context, rows):
        employees = self._fetch_employees(context, rows)
        existing = self.existing_values(Employment.objects.filter(employee_id__in=[e.pk for e in employees.values()]))
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(_unique_values(rows, "employer_kbo")),
            "existing": existing,
        }

    def resolve(self, context, lookups, row, error):
        employee = self._employee(lookups, row, error)
        employer = self._organisation(lookups, row, "employer_kbo", error)
        instrument = self._instrument(context, row, error)
        if row.get("instrument") is not None and instrument is None:
            return None
        if employee is None or employer is None or row.get("start_date") is None:
            return None
        fields = {
            "employee": employee,
            "employer": employer,
            "instrument": instrument,
            "start_date": row["start_date"],
            "end_date": row.get("end_date"),
            "with_support_package": bool(row.get("support_package")),
        }
        self._registered_on(row, fields)
        return (employee.pk, employer.pk, row["start_date"]), fields

    def export_rows(self):
        spells = Employment.objects.select_related("employee", "employer", "instrument")
        for s in spells.order_by("employee__insz_digest", "employer__kbo_number", "start_date"):
            yield [
                s.employee.insz,
                s.employer.kbo_number,
                s.instrument.name if s.instrument else "",
                _d(s.start_date),
                _d(s.end_date),
                "yes" if s.with_support_package else "no",
                _d(s.registered_on),
                s.source_id,
            ]


class EvaluationKindSpec(Kind):
    kind = ImportKind.EVALUATIONS
    model = Evaluation
    columns = [
        Column("insz", cells.insz),
        Column("evaluation_date", cells.date, required=False),
        Column("advice", cells.text),
        Column("employer_kbo", cells.kbo, required=False),
        Column("instrument", cells.text, required=False),
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = ["advice", "employer", "instrument", "registered_on", "source_id"]
    derived_fields = ["age_years"]
    # One evaluation per person per day (an undated one among the person's undated ones): a corrected
    # advice updates the evaluation. The source's identifier, when given, tells two of one day apart.
    key_fields = ["employee_id", "evaluation_date"]
    unique_key = False
    rekey_fields = ["evaluation_date"]
    field_columns = {
        "employee": "insz",
        "evaluation_date": "evaluation_date",
        "advice": "advice",
        "employer": "employer_kbo",
        "instrument": "instrument",
        "registered_on": "registered_on",
    }
    roles = {Role.ADMINISTRATOR, Role.EVALUATOR}

    def prefetch(self, context, rows):
        employees = self._fetch_employees(context, rows)
        ids = [e.pk for e in employees.values()]
        existing = self.existing_values(Evaluation.objects.filter(employee_id__in=ids))
        spells, spell_employers = _spells_by_employee(ids)
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(_unique_values(rows, "employer_kbo")),
            "existing": existing,
            "spells": spells,
            "spell_employers": spell_employers,
        }

    def resolve(self, context, lookups, row, error):
        employee = self._employee(lookups, row, error)
        advice = None
        if row.get("advice") is not None:
            advice = context.advices.get(row["advice"].lower())
            if advice is None:
                error(
                    "advice",
                    _("Unknown advice: write ready, internal_transition or not_ready, or the Dutch label."),
                )
        employer = self._organisation(lookups, row, "employer_kbo", error)
        instrument = self._instrument(context, row, error)
        if employee is None or advice is None:
            return None
        if (row.get("employer_kbo") is not None and employer is None) or (
            row.get("instrument") is not None and instrument is None
        ):
            return None
        when = row.get("evaluation_date")
        if when is not None and (employer is None or instrument is None):
            spell = se_spell_on(lookups["spells"][employee.pk], when, employer)
            if spell is not None:
                employer = employer or lookups["spell_employers"][spell.employer_id]
                instrument = instrument or context.instruments_by_id[spell.instrument_id]
        fields = {
            "employee": employee,
            "evaluation_date": when,
            "advice": advice,
            "employer": employer,
            "instrument": instrument,
        }
        self._registered_on(row, fields)
        return (employee.pk, when), fields

    def export_rows(self):
        evaluations = Evaluation.objects.select_related("employee", "advice", "employer", "instrument")
        for e in evaluations.order_by("employee__insz_digest", "evaluation_date", "advice__code", "pk"):
            yield [
                e.employee.insz,
                _d(e.evaluation_date),
                e.advice.code,
                e.employer.kbo_number if e.employer else "",
                e.instrument.name if e.instrument else "",
                _d(e.registered_on),
                e.source_id,
            ]


class TrajectoryKindSpec(Kind):
    kind = ImportKind.TRAJECTORIES
    model = Trajectory
    columns = [
        Column("insz", cells.insz),
        Column("partner_kbo", cells.kbo),
        Column("call_number", cells.text),
        Column("start_date", cells.date),
        Column("end_date", cells.date, required=False),
        Column("end_reason", cells.text, required=False),
        Column("se_employer_kbo", cells.kbo, required=False),
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = ["call", "se_employer", "instrument", "end_date", "end_reason", "registered_on", "source_id"]
    derived_fields = ["age_years"]
    key_fields = ["employee_id", "partner_id", "start_date"]
    rekey_fields = ["start_date"]
    field_columns = {
        "employee": "insz",
        "partner": "partner_kbo",
        "call": "call_number",
        "start_date": "start_date",
        "end_date": "end_date",
        "end_reason": "end_reason",
        "se_employer": "se_employer_kbo",
        "instrument": "se_employer_kbo",
        "registered_on": "registered_on",
    }
    roles = {Role.ADMINISTRATOR, Role.PARTNER_STAFF}

    def prefetch(self, context, rows):
        employees = self._fetch_employees(context, rows)
        ids = [e.pk for e in employees.values()]
        existing = self.existing_values(Trajectory.objects.filter(employee_id__in=ids))
        spells, spell_employers = _spells_by_employee(ids)
        last_internships = (
            Internship.objects.filter(trajectory__employee_id__in=ids)
            .order_by()
            .values_list("trajectory__employee_id", "trajectory__partner_id", "trajectory__start_date")
            .annotate(last=Max("start_date"))
        )
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(
                _unique_values(rows, "partner_kbo"), _unique_values(rows, "se_employer_kbo")
            ),
            "existing": existing,
            "spells": spells,
            "spell_employers": spell_employers,
            "last_internship": {(e, p, s): last for e, p, s, last in last_internships},
        }

    def resolve(self, context, lookups, row, error):
        partner = self._organisation(lookups, row, "partner_kbo", error, partner=True, own=context.partner_id)
        employee = self._employee(lookups, row, error)
        call = self._call(context, row, error)
        end_reason = None
        if row.get("end_reason") is not None:
            end_reason = context.end_reasons.get(row["end_reason"].lower())
            if end_reason is None:
                error("end_reason", _("Unknown end reason: write its code or its Dutch label."))
                return None
        se_employer = self._organisation(lookups, row, "se_employer_kbo", error)
        if row.get("se_employer_kbo") is not None and se_employer is None:
            return None
        if partner is None or employee is None or call is None or row.get("start_date") is None:
            return None
        start = row["start_date"]
        last_internship = lookups["last_internship"].get((employee.pk, partner.pk, start))
        if row.get("end_date") and last_internship and last_internship > row["end_date"]:
            error(
                "end_date",
                _("An internship of this trajectory starts on %(start)s, after this end date.")
                % {"start": last_internship.strftime("%d/%m/%Y")},
            )
            return None
        spell = se_spell_on(lookups["spells"][employee.pk], start, se_employer)
        if spell is not None:
            se_employer = se_employer or lookups["spell_employers"][spell.employer_id]
        fields = {
            "employee": employee,
            "partner": partner,
            "call": call,
            "start_date": start,
            "end_date": row.get("end_date"),
            "end_reason": end_reason,
            "se_employer": se_employer,
            "instrument": context.instruments_by_id[spell.instrument_id] if spell is not None else None,
        }
        self._registered_on(row, fields)
        return (employee.pk, partner.pk, start), fields

    def after_write(self, records, *, user, reason, when):
        # Ending a trajectory ends its internships still running on that day, in the same step.
        end_running_internships([t for t in records if t.end_date], user=user, reason=reason, when=when)

    def export_rows(self):
        trajectories = Trajectory.objects.select_related("employee", "partner", "call", "end_reason", "se_employer")
        for t in trajectories.order_by("employee__insz_digest", "partner__kbo_number", "start_date"):
            yield [
                t.employee.insz,
                t.partner.kbo_number,
                t.call.number,
                _d(t.start_date),
                _d(t.end_date),
                t.end_reason.code if t.end_reason else "",
                t.se_employer.kbo_number if t.se_employer else "",
                _d(t.registered_on),
                t.source_id,
            ]


class InternshipKindSpec(Kind):
    kind = ImportKind.INTERNSHIPS
    model = Internship
    columns = [
        Column("insz", cells.insz),
        Column("partner_kbo", cells.kbo),
        Column("trajectory_start_date", cells.date),
        Column("host_kbo", cells.kbo),
        Column("sector", cells.text),
        Column("start_date", cells.date),
        Column("end_date", cells.date, required=False),
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = ["sector", "end_date", "registered_on", "source_id"]
    key_fields = ["trajectory_id", "host_id", "start_date"]
    rekey_fields = ["host", "start_date"]
    field_columns = {
        "trajectory": "trajectory_start_date",
        "host": "host_kbo",
        "sector": "sector",
        "start_date": "start_date",
        "end_date": "end_date",
        "registered_on": "registered_on",
    }
    roles = {Role.ADMINISTRATOR, Role.PARTNER_STAFF}

    def prefetch(self, context, rows):
        employees = self._fetch_employees(context, rows)
        ids = [e.pk for e in employees.values()]
        trajectories = {
            (t.employee_id, t.partner_id, t.start_date): t
            for t in context.trajectories()
            .filter(employee_id__in=ids)
            .only("pk", "employee_id", "partner_id", "start_date", "end_date")
        }
        existing = self.existing_values(
            Internship.objects.filter(trajectory_id__in=[t.pk for t in trajectories.values()])
        )
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(
                _unique_values(rows, "partner_kbo"), _unique_values(rows, "host_kbo")
            ),
            "trajectories": trajectories,
            "existing": existing,
        }

    def resolve(self, context, lookups, row, error):
        partner = self._organisation(lookups, row, "partner_kbo", error, partner=True, own=context.partner_id)
        employee = self._employee(lookups, row, error)
        host = self._organisation(lookups, row, "host_kbo", error)
        if partner is None or employee is None or row.get("trajectory_start_date") is None:
            return None
        trajectory = lookups["trajectories"].get((employee.pk, partner.pk, row["trajectory_start_date"]))
        if trajectory is None:
            error("trajectory_start_date", _("This person has no trajectory with this partner starting on this date."))
            return None
        if host is None or row.get("start_date") is None or row.get("sector") is None:
            return None
        fields = {
            "trajectory": trajectory,
            "host": host,
            "sector": row["sector"],
            "start_date": row["start_date"],
            "end_date": row.get("end_date"),
        }
        self._registered_on(row, fields)
        return (trajectory.pk, host.pk, row["start_date"]), fields

    def after_write(self, records, *, user, reason, when):
        # The first internship of a trajectory sets the start of its phase "internship".
        follow_internship_phase({i.trajectory_id for i in records}, user=user, reason=reason, when=when)

    def export_rows(self):
        internships = Internship.objects.select_related("trajectory__employee", "trajectory__partner", "host")
        for i in internships.order_by(
            "trajectory__employee__insz_digest",
            "trajectory__partner__kbo_number",
            "trajectory__start_date",
            "host__kbo_number",
            "start_date",
        ):
            yield [
                i.trajectory.employee.insz,
                i.trajectory.partner.kbo_number,
                _d(i.trajectory.start_date),
                i.host.kbo_number,
                i.sector,
                _d(i.start_date),
                _d(i.end_date),
                _d(i.registered_on),
                i.source_id,
            ]


class GrantKindSpec(Kind):
    kind = ImportKind.GRANTS
    model = Grant
    columns = [
        Column("call_number", cells.text),
        Column("partner_kbo", cells.kbo),
        Column("year", cells.integer),
        Column("esf_amount", cells.amount),
        Column("flemish_amount", cells.amount),
        Column("spent_amount", cells.amount, required=False),
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = ["esf_amount", "flemish_amount", "spent_amount", "registered_on", "source_id"]
    key_fields = ["call_id", "partner_id", "year"]
    field_columns = {
        "call": "call_number",
        "partner": "partner_kbo",
        "year": "year",
        "esf_amount": "esf_amount",
        "flemish_amount": "flemish_amount",
        "spent_amount": "spent_amount",
        "registered_on": "registered_on",
    }

    def prefetch(self, context, rows):
        organisations = self._fetch_organisations(_unique_values(rows, "partner_kbo"))
        existing = self.existing_values(Grant.objects.filter(partner_id__in=[o.pk for o in organisations.values()]))
        return {"organisations": organisations, "existing": existing}

    def resolve(self, context, lookups, row, error):
        partner = self._organisation(lookups, row, "partner_kbo", error, partner=True)
        call = self._call(context, row, error)
        needed = ("year", "esf_amount", "flemish_amount")
        if partner is None or call is None or any(row.get(c) is None for c in needed):
            return None
        fields = {
            "call": call,
            "partner": partner,
            "year": row["year"],
            "esf_amount": row["esf_amount"],
            "flemish_amount": row["flemish_amount"],
        }
        if "spent_amount" in row:
            fields["spent_amount"] = row["spent_amount"]
        self._registered_on(row, fields)
        return (call.pk, partner.pk, row["year"]), fields

    def export_rows(self):
        for g in Grant.objects.select_related("call", "partner").order_by(
            "call__number", "partner__kbo_number", "year"
        ):
            yield [
                g.call.number,
                g.partner.kbo_number,
                g.year,
                g.esf_amount,
                g.flemish_amount,
                "" if g.spent_amount is None else g.spent_amount,
                _d(g.registered_on),
                g.source_id,
            ]


KINDS = {
    spec.kind: spec
    for spec in (
        OrganisationKindSpec(),
        EmployeeKindSpec(),
        EmploymentKindSpec(),
        EvaluationKindSpec(),
        TrajectoryKindSpec(),
        InternshipKindSpec(),
        GrantKindSpec(),
    )
}

# The order in which a whole data set is imported: what a row refers to comes first.
IMPORT_ORDER = [
    ImportKind.ORGANISATIONS,
    ImportKind.EMPLOYEES,
    ImportKind.EMPLOYMENTS,
    ImportKind.EVALUATIONS,
    ImportKind.TRAJECTORIES,
    ImportKind.INTERNSHIPS,
    ImportKind.GRANTS,
]


def kinds_for(user) -> list[str]:
    """The kinds a user may import (and see the import pages for)."""
    return [kind for kind in IMPORT_ORDER if KINDS[kind].may_import(user)]
