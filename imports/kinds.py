"""What each kind of import file holds: its columns, how a row becomes a record, and its natural key.

A kind reads its rows a chunk at a time: `prefetch` loads, in a few queries
per chunk, every record the chunk refers to (persons, organisations, the
existing records with the same natural keys, employment spells); `resolve`
then turns one row into the field values of a record without any query.
"""

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts.roles import Role
from common.crypto import encrypt_insz_many, insz_digest
from employees.constants import Gender
from employees.models import Employee, Employment
from evaluations.models import Evaluation
from imports import cells
from imports.constants import ImportKind
from imports.kind_base import (
    EXAMPLE_INSZ,
    EXAMPLE_KBO,
    INSZ_TEXT,
    PARTNER_TEXT,
    REGISTERED_ON,
    SOURCE_ID,
    Column,
    Kind,
    _spells_by_employee,
    _unique_values,
    advice_codes,
    allowed_values,
    end_reason_codes,
    instrument_names,
    se_spell_on,
)
from partners.constants import OrganisationKind
from partners.models import Grant, Organisation
from trajectories.constants import EducationLevel, HouseholdSituation, LabourMarketStatus, LeavingSituation
from trajectories.models import Internship, Trajectory
from trajectories.services import end_running_internships, follow_internship_phase, planned_end


def _yes_no():
    return ["yes", "no"]


def _d(value):
    return value.isoformat() if value else ""


class OrganisationKindSpec(Kind):
    kind = ImportKind.ORGANISATIONS
    model = Organisation
    columns = [
        Column(
            "kbo_number", cells.kbo, description=_l("The organisation's KBO (enterprise) number."), example=EXAMPLE_KBO
        ),
        Column("name", cells.text, description=_l("The organisation's name."), example="Voorbeeldpartner vzw"),
        Column(
            "kind",
            cells.text,
            description=_l("The kind of organisation."),
            example="partner",
            allowed=OrganisationKind.values,
        ),
        Column(
            "postcode",
            cells.integer,
            required=False,
            description=_l("The Belgian postcode of its seat (four digits)."),
            example="9000",
        ),
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
        return {"existing": self.existing_values(Organisation.objects.filter(kbo_number__any_of=numbers))}

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
        Column("insz", cells.insz, description=INSZ_TEXT, example=EXAMPLE_INSZ),
        Column("first_name", cells.text, description=_l("The person's first name."), example="Anouk"),
        Column("last_name", cells.text, description=_l("The person's last name."), example="Voorbeeld"),
        Column("birth_date", cells.date, required=False, description=_l("The date of birth."), example="14/03/1985"),
        Column(
            "gender",
            lambda v: cells.text(v).lower(),
            required=False,
            description=_l("The gender."),
            example="f",
            allowed=Gender.values,
        ),
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
        digests = {number: insz_digest(number) for number in _unique_values(rows, "insz")}
        # Existing persons are matched on all persons, not only the visible ones: the INSZ is unique.
        existing = self.existing_values(Employee.objects.filter(insz_digest__any_of=digests.values()))
        # The numbers of new persons encrypted at once (common/crypto.py), with the digests made already.
        new = [number for number, digest in digests.items() if digest not in existing]
        made = {number: (digests[number], token) for number, token in zip(new, encrypt_insz_many(new), strict=True)}
        return {"existing": existing, "digests": digests, "insz_made": made}

    def resolve(self, context, lookups, row, error):
        if row.get("insz") is None or row.get("first_name") is None or row.get("last_name") is None:
            return None
        fields = {"insz": row["insz"], "first_name": row["first_name"], "last_name": row["last_name"]}
        if "birth_date" in row:
            fields["birth_date"] = row["birth_date"]
        if "gender" in row:
            fields["gender"] = row["gender"] or ""
        self._registered_on(row, fields)
        return lookups["digests"][row["insz"]], fields

    def export_rows(self):
        # In the order of the keyed hash: stable, and says nothing about the numbers.
        for e in Employee.objects.filter(insz_digest__isnull=False).order_by("insz_digest"):
            yield [e.insz, e.first_name, e.last_name, _d(e.birth_date), e.gender, _d(e.registered_on), e.source_id]


class EmploymentKindSpec(Kind):
    kind = ImportKind.EMPLOYMENTS
    model = Employment
    columns = [
        Column("insz", cells.insz, description=INSZ_TEXT, example=EXAMPLE_INSZ),
        Column("employer_kbo", cells.kbo, description=_l("The KBO number of the employer."), example=EXAMPLE_KBO),
        Column(
            "instrument",
            cells.text,
            required=False,
            description=_l("The policy instrument of a social-economy job; empty for a regular job."),
            example="collectief maatwerk",
            allowed=instrument_names,
        ),
        Column("start_date", cells.date, description=_l("The first day of the job."), example="01/01/2016"),
        Column(
            "end_date",
            cells.date,
            required=False,
            description=_l("The last day of the job; empty while it lasts."),
            example="31/12/2018",
        ),
        Column(
            "support_package",
            cells.yes_no,
            required=False,
            description=_l("Whether the job comes with a support package (default: no)."),
            example="no",
            allowed=_yes_no,
        ),
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
        existing = self.existing_values(
            Employment.objects.filter(employee_id__any_of=[e.pk for e in employees.values()])
        )
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(context, _unique_values(rows, "employer_kbo")),
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
        Column("insz", cells.insz, description=INSZ_TEXT, example=EXAMPLE_INSZ),
        Column(
            "evaluation_date",
            cells.date,
            required=False,
            description=_l("The day of the evaluation."),
            example="15/03/2019",
        ),
        Column(
            "advice",
            cells.text,
            description=_l("The advice: its code or its Dutch label."),
            example="ready",
            allowed=advice_codes,
        ),
        Column(
            "employer_kbo",
            cells.kbo,
            required=False,
            description=_l(
                "The KBO number of the social-economy employer; empty: taken from the person's job on that day."
            ),
            example="",
        ),
        Column(
            "instrument",
            cells.text,
            required=False,
            description=_l("The policy instrument; empty: taken from the person's job on that day."),
            example="",
            allowed=instrument_names,
        ),
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
        existing = self.existing_values(Evaluation.objects.filter(employee_id__any_of=ids))
        spells, spell_employers = _spells_by_employee(ids)
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(context, _unique_values(rows, "employer_kbo")),
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


# The ESF participant data a partner may send with its trajectories (docs/esf.md); never the special categories.
ESF_COLUMNS = [
    ("esf_labour_status", LabourMarketStatus, _l("ESF: labour-market status on entry (code, docs/esf.md).")),
    ("esf_education", EducationLevel, _l("ESF: education level on entry (code, docs/esf.md).")),
    ("esf_household", HouseholdSituation, _l("ESF: household situation on entry (code, docs/esf.md).")),
    ("esf_leaving_situation", LeavingSituation, _l("ESF: situation on leaving, beside work (code, docs/esf.md).")),
]


class TrajectoryKindSpec(Kind):
    kind = ImportKind.TRAJECTORIES
    model = Trajectory
    columns = [
        Column("insz", cells.insz, description=INSZ_TEXT, example=EXAMPLE_INSZ),
        Column("partner_kbo", cells.kbo, description=PARTNER_TEXT, example=EXAMPLE_KBO),
        Column("call_number", cells.text, description=_l("The number of the ESF call."), example="432"),
        Column("start_date", cells.date, description=_l("The first day of the trajectory."), example="01/04/2019"),
        Column(
            "planned_end_date",
            cells.date,
            required=False,
            description=_l(
                "The day the trajectory is planned to end; empty: the start plus the duration of the call, "
                "when the call sets one."
            ),
            example="",
        ),
        Column(
            "end_date",
            cells.date,
            required=False,
            description=_l("The last day of the trajectory; empty while it runs."),
            example="",
        ),
        Column(
            "end_reason",
            cells.text,
            required=False,
            description=_l("Why the trajectory ended: its code or its Dutch label."),
            example="",
            allowed=end_reason_codes,
        ),
        Column(
            "se_employer_kbo",
            cells.kbo,
            required=False,
            description=_l(
                "The KBO number of the social-economy employer; empty: taken from the person's job on the start date."
            ),
            example="",
        ),
        *[
            Column(
                name,
                lambda v: cells.text(v).lower(),
                required=False,
                description=description,
                example="",
                allowed=choices.values,
            )
            for name, choices, description in ESF_COLUMNS
        ],
        REGISTERED_ON,
        SOURCE_ID,
    ]
    update_fields = [
        "call",
        "se_employer",
        "instrument",
        "planned_end_date",
        "end_date",
        "end_reason",
        *[name for name, _choices, _description in ESF_COLUMNS],
        "registered_on",
        "source_id",
    ]
    derived_fields = ["age_years"]
    key_fields = ["employee_id", "partner_id", "start_date"]
    rekey_fields = ["start_date"]
    field_columns = {
        "employee": "insz",
        "partner": "partner_kbo",
        "call": "call_number",
        "start_date": "start_date",
        "planned_end_date": "planned_end_date",
        "end_date": "end_date",
        "end_reason": "end_reason",
        "se_employer": "se_employer_kbo",
        "instrument": "se_employer_kbo",
        **{name: name for name, _choices, _description in ESF_COLUMNS},
        "registered_on": "registered_on",
    }
    roles = {Role.ADMINISTRATOR, Role.PARTNER_STAFF}

    def prefetch(self, context, rows):
        employees = self._fetch_employees(context, rows)
        ids = [e.pk for e in employees.values()]
        existing = self.existing_values(Trajectory.objects.filter(employee_id__any_of=ids))
        spells, spell_employers = _spells_by_employee(ids)
        last_internships = (
            Internship.objects.filter(trajectory__employee_id__any_of=ids)
            .order_by()
            .values_list("trajectory__employee_id", "trajectory__partner_id", "trajectory__start_date")
            .annotate(last=Max("start_date"))
        )
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(
                context, _unique_values(rows, "partner_kbo"), _unique_values(rows, "se_employer_kbo")
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
                codes = sorted({r.code for r in context.end_reasons.values()})
                message = _("Unknown end reason: write its code or its Dutch label.")
                error("end_reason", f"{message} {allowed_values(codes)}")
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
            "planned_end_date": row.get("planned_end_date") or planned_end(call, start),
            "end_date": row.get("end_date"),
            "end_reason": end_reason,
            "se_employer": se_employer,
            "instrument": context.instruments_by_id[spell.instrument_id] if spell is not None else None,
        }
        for name, _choices, _description in ESF_COLUMNS:
            if name in row:  # a column left out of the file keeps what is stored
                fields[name] = row[name] or ""
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
                _d(t.planned_end_date),
                _d(t.end_date),
                t.end_reason.code if t.end_reason else "",
                t.se_employer.kbo_number if t.se_employer else "",
                *[getattr(t, name) for name, _choices, _description in ESF_COLUMNS],
                _d(t.registered_on),
                t.source_id,
            ]


class InternshipKindSpec(Kind):
    kind = ImportKind.INTERNSHIPS
    model = Internship
    columns = [
        Column("insz", cells.insz, description=INSZ_TEXT, example=EXAMPLE_INSZ),
        Column("partner_kbo", cells.kbo, description=PARTNER_TEXT, example=EXAMPLE_KBO),
        Column(
            "trajectory_start_date",
            cells.date,
            description=_l("The start date of the trajectory the internship belongs to."),
            example="01/04/2019",
        ),
        Column("host_kbo", cells.kbo, description=_l("The KBO number of the host company."), example=EXAMPLE_KBO),
        Column("sector", cells.text, description=_l("The sector of the internship."), example="logistiek"),
        Column("start_date", cells.date, description=_l("The first day of the internship."), example="02/09/2019"),
        Column(
            "end_date",
            cells.date,
            required=False,
            description=_l("The last day of the internship; empty while it runs."),
            example="31/10/2019",
        ),
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
            .filter(employee_id__any_of=ids)
            .only("pk", "employee_id", "partner_id", "start_date", "end_date")
        }
        existing = self.existing_values(
            Internship.objects.filter(trajectory_id__any_of=[t.pk for t in trajectories.values()])
        )
        return {
            "employees": employees,
            "organisations": self._fetch_organisations(
                context, _unique_values(rows, "partner_kbo"), _unique_values(rows, "host_kbo")
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
        Column("call_number", cells.text, description=_l("The number of the ESF call."), example="432"),
        Column("partner_kbo", cells.kbo, description=PARTNER_TEXT, example=EXAMPLE_KBO),
        Column("year", cells.integer, description=_l("The year the grant is for."), example="2019"),
        Column("esf_amount", cells.amount, description=_l("The ESF part of the grant, in euro."), example="16800,00"),
        Column(
            "flemish_amount",
            cells.amount,
            description=_l("The Flemish part of the grant, in euro."),
            example="25200,00",
        ),
        Column(
            "spent_amount",
            cells.amount,
            required=False,
            description=_l("The amount spent, in euro; empty while unknown."),
            example="",
        ),
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
        organisations = self._fetch_organisations(context, _unique_values(rows, "partner_kbo"))
        existing = self.existing_values(Grant.objects.filter(partner_id__any_of=[o.pk for o in organisations.values()]))
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
