"""The parts every kind of import file is made of: its columns, the context of a run, and the Kind itself.

imports/kinds.py defines the kinds (organisations, persons, jobs, evaluations, trajectories,
internships, grants) on these parts.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts.roles import Role, role_of
from common.crypto import insz_digest
from employees.models import Employee, Employment, Instrument
from evaluations.models import Advice
from imports import cells
from partners.constants import OrganisationKind
from partners.models import Call, Organisation
from trajectories.models import EndReason, Trajectory


def allowed_values(values) -> str:
    """The sentence that ends a message about a choice: which values are allowed."""
    return _("Choose from: %(values)s.") % {"values": ", ".join(str(v) for v in values)}


@dataclass(frozen=True)
class Column:
    """One column of a kind's file; the description, the example and the allowed values make its
    downloadable template (imports/blanks.py)."""

    name: str
    parse: object
    required: bool = True
    description: str = ""
    example: str = ""
    allowed: object = None  # a callable giving the allowed values, when the column holds a choice


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
    # The organisations the rows named so far, by KBO number, read once per import (a file names the
    # same employers and partners in every chunk); numbers not found are looked up again, in case.
    organisations: dict = field(default_factory=dict)

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

    # What the rows need of a person: the key, and the birth date for the stored ages.
    EMPLOYEE_FIELDS = ("id", "insz_encrypted", "insz_digest", "birth_date")

    def employees(self):
        employees = Employee.objects.all() if self.user is None else Employee.objects.visible_to(self.user)
        return employees.only(*self.EMPLOYEE_FIELDS).order_by()

    def trajectories(self):
        return Trajectory.objects.all() if self.user is None else Trajectory.objects.visible_to(self.user)


REGISTERED_ON = Column(
    "registered_on",
    cells.date,
    required=False,
    description=_l("The date the record was first registered at its source (default: the day of the import)."),
)
# The record's own identifier in the source system: when given, it finds the record a row corrects.
SOURCE_ID = Column(
    "source_id",
    cells.text,
    required=False,
    description=_l("The record's own identifier in the system the file comes from (at most 100 characters)."),
)

# The example values of the templates name the same fictitious person and partner in every kind, so
# that the examples imported in IMPORT_ORDER refer to one another.
EXAMPLE_INSZ = "85031410124"
EXAMPLE_KBO = "0800000570"
INSZ_TEXT = _l("The person's INSZ (national register or BIS number), with or without dots and dashes.")
PARTNER_TEXT = _l("The KBO number of the ESF transition partner.")


def advice_codes():
    return list(Advice.objects.order_by("code").values_list("code", flat=True))


def end_reason_codes():
    return list(EndReason.objects.order_by("code").values_list("code", flat=True))


def instrument_names():
    return list(Instrument.objects.order_by("name").values_list("name", flat=True))


def _unique_values(rows, column):
    return {row[column] for row in rows if row.get(column) is not None}


def _spells_by_employee(employee_ids):
    """The persons' social-economy spells, and their employers, in two queries."""
    spells = defaultdict(list)
    employer_ids = set()
    fields = ("pk", "employee_id", "employer_id", "instrument_id", "start_date", "end_date")
    for spell in Employment.objects.filter(employee_id__any_of=employee_ids, instrument__isnull=False).only(*fields):
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
        return {r["source_id"]: r for r in self._stored(self.model.objects.filter(source_id__any_of=source_ids))}

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
            names = sorted({i.name for i in context.instruments_by_id.values()})
            error("instrument", f"{_('Unknown policy instrument.')} {allowed_values(names)}")
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
    def _fetch_organisations(context, *number_sets):
        """The organisations of these KBO numbers; each read once per import (`context.organisations`)."""
        numbers = set().union(*number_sets)
        known = context.organisations
        missing = numbers - known.keys()
        if missing:
            known.update((o.kbo_number, o) for o in Organisation.objects.filter(kbo_number__any_of=missing))
        return {number: known[number] for number in numbers if number in known}

    def _fetch_employees(self, context, rows):
        """The persons of the rows by INSZ, matched through the keyed hash (the number is stored encrypted)."""
        by_digest = {insz_digest(number): number for number in _unique_values(rows, "insz")}
        queryset = context.employees().filter(insz_digest__any_of=by_digest)
        # Read as plain values and made records directly: the queryset's own making of a record with
        # deferred fields costs several times as much, for each of thousands of persons (issue 17).
        names, db = context.EMPLOYEE_FIELDS, queryset.db
        employees = (Employee.from_db(db, names, values) for values in queryset.values_list(*names))
        return {by_digest[e.insz_digest]: e for e in employees}
