"""Hostile input at every form: never a server error, Dutch errors, nothing of anyone else touched.

Property-based (hypothesis): each example takes a valid submission of a form and replaces some of
its fields by hostile values (10k-character strings, blanks, RTL and zero-width characters, emoji,
NUL bytes, `<script>`, SQL fragments, letters in numbers and dates, lists instead of scalars,
integers beyond bigint, negative amounts, dates out of range, the other organisation's ids and KBO
numbers). Each example runs in a savepoint that is rolled back, so all start from the same world.

For every answer:
- never a server error (the test client re-raises any exception a view lets escape);
- rejected input: the form comes back (200) with its errors in Dutch, or a clean 4xx; the database
  holds exactly what it held (row counts and a checksum of every row of every table, history
  tables included);
- accepted input: only the tables the form writes changed, the other organisation's rows did not,
  and every row written is one the user may see (`visible_to`); the page it leads to renders;
- a submitted `<script>` comes back escaped, never raw;
- a list's filter form (it posts: its search text may hold an INSZ) writes nothing and answers with
  the list's address, in which, as in the list's links, no INSZ appears; the list renders.

The access log (`audit.AccessEvent`) is in the snapshot like any table: a refused submission
writes no event; the look-up by INSZ writes one, in the user's name.

`FORMS` is the registry of covered forms; `test_every_form_of_the_project_is_covered` walks the
URL conf, so a new view that accepts POST fails until it has an entry here.
"""

from __future__ import annotations

import datetime
import html
import inspect
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accounts.otp import issue_enrolment_code
from accounts.roles import Role
from accounts.tokens import issue_token
from common.identifiers import make_insz
from common.validators import contains_insz_like
from evaluations.models import DeclineReason
from imports.models import ImportRun
from partners.models import Organisation
from reports.models import SavedReport
from tests import factories
from tests.url_walk import named_patterns

# --- the hostile values --------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
XSS = (SCRIPT, IMAGE)

HOSTILE = [
    "",
    " ",
    "\t\n \r\n",
    "x" * 10_001,
    "é" * 10_001,
    "\u202eredro\u202c",  # right-to-left override
    "\u200b",  # zero-width space
    "\ufeff1",  # byte-order mark
    "😀👨‍👩‍👧",
    "\x00",
    "a\x00b",
    "\x01\x1b[31m\x7f",  # control characters (a worksheet cannot hold them)
    "2019-01-01\x00",
    "1\x00",
    SCRIPT,
    IMAGE,
    "'; DROP TABLE employees_employee;--",
    "1 OR 1=1",
    "1' OR '1'='1",
    "%",
    "_",
    "\\",
    "abc",
    "12abc",
    "-1",
    "0",
    "-0.01",
    "1e309",
    "NaN",
    "Infinity",
    "1,5",
    str(2**63),
    "9" * 30,
    "-" + "9" * 30,
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2019-02-30",
    "31/12/2019",
    "-2019-01-01",
    "true",
    ["1", "2"],  # a list instead of a scalar: the field is sent twice
    ["", SCRIPT],
]


def hostile_values(world):
    """The fixed hostile values, the other organisation's ids and numbers, and random text."""
    other = world["other"]
    foreign = [
        str(other["partner"].pk),
        other["partner"].kbo_number,
        other["partner"].name,
        str(other["trajectory"].pk),
        str(other["employee"].pk),
        other["employee"].insz,
        _dotted(other["employee"].insz),
        f"Peeters {other['employee'].insz}",
        str(other["referral"].pk),
        str(other["grant"].pk),
    ]
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(foreign),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


# --- the world: two partner organisations with the same records ----------------------------------


def _administrator_without_device():
    user = factories.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    return user


def _regular_job(case):
    """A job in the regular economy after the case's trajectory: the one a partner follows up."""
    return factories.EmploymentFactory(
        employee=case["employee"], regular=True, start_date=datetime.date(2019, 5, 1), registered_on=TODAY
    )


class World(dict):
    """The records of a test; short in hypothesis' reports."""

    def __repr__(self):
        return "world"


@pytest.fixture
def world(partner, partner_staff, other_partner, other_partner_staff, evaluator, administrator, analyst):
    own = factories.partner_case(partner, partner_staff)
    own["regular_job"] = _regular_job(own)
    # An evaluation advised ready and not referred yet: the evaluator's referral form can be accepted.
    own["unreferred_evaluation"] = factories.EvaluationFactory(employee=own["employee"])
    other = factories.partner_case(other_partner, other_partner_staff)
    other["regular_job"] = _regular_job(other)

    own["api_token"] = issue_token(user=partner_staff, name="Eigen systeem")[0]
    other["api_token"] = issue_token(user=other_partner_staff, name="Ander systeem")[0]

    own["job"] = factories.finished_job(partner_staff, status="failed")
    other["job"] = factories.finished_job(other_partner_staff, status="failed")
    employer = factories.OrganisationFactory(name="Maatwerk Hostiel vzw")
    without_device = _administrator_without_device()
    return World(
        {
            "enrolment_code": issue_enrolment_code(without_device, issued_by=administrator),
            "own": own,
            "other": other,
            "employer": employer,
            "proposed": factories.RegularEmployerFactory(name="Voorgesteld bv", status="proposed"),
            "pilot": factories.PilotFactory(),
            "report": SavedReport.objects.get(slug="q2a_trajectories_by_partner_year"),
            # The pack's reports are not deleted: the delete form is that of an administrator's own report.
            "own_report": SavedReport.objects.create(
                name="Eigen rapport", slug="eigen-rapport", measure="trajectories"
            ),
            "users": {
                "partner_staff": partner_staff,
                "other_partner_staff": other_partner_staff,
                "evaluator": evaluator,
                "administrator": administrator,
                "analyst": analyst,
                "anonymous": None,
                "administrator_without_device": without_device,
            },
        }
    )


def _foreign_rows(world):
    """(table, pk) of every record of the other organisation: no form of our users may change them."""
    rows = set()
    for record in world["other"].values():
        if hasattr(record, "_meta"):
            rows.add((record._meta.db_table, record.pk))
    return rows


# --- the database snapshot -----------------------------------------------------------------------

# Sessions change on every request (idle time-out); they hold no case data.
# django-axes logs every sign-in (AccessLog), and the tests sign in inside each example.
IGNORED_TABLES = {"django_session", "axes_accesslog"}
# Columns every sign-in writes (the tests sign in inside each example).
IGNORED_COLUMNS = {"accounts_user": {"last_login"}}


def _tables():
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen or meta.db_table in IGNORED_TABLES:
            continue
        seen[meta.db_table] = meta.pk.column
    return seen


def snapshot() -> dict[str, dict]:
    """Every row of every table (history tables included), as {table: {pk: checksum of the row}}."""
    quote = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for table, pk in _tables().items():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [c[0] for c in cursor.description]
            index = columns.index(pk)
            ignored = IGNORED_COLUMNS.get(table, set())
            kept = [i for i, column in enumerate(columns) if column not in ignored]
            result[table] = {row[index]: zlib.crc32(repr([row[i] for i in kept]).encode()) for row in cursor.fetchall()}
    return result


def differences(before, after) -> dict[str, set]:
    """{table: pks added, removed or changed}."""
    changed = {}
    for table, rows in after.items():
        old = before.get(table, {})
        keys = {pk for pk in rows.keys() | old.keys() if rows.get(pk) != old.get(pk)}
        if keys:
            changed[table] = keys
    return changed


def _tables_of(*labels):
    """The tables of models (app_label.Model) and of their history models."""
    tables = set()
    for label in labels:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            tables.add(history.model._meta.db_table)
        for m2m in model._meta.many_to_many:
            tables.add(m2m.remote_field.through._meta.db_table)
    return tables


# --- the registry of forms -----------------------------------------------------------------------


@dataclass
class Form:
    role: str
    target: Callable | None = None  # world -> the record whose key is in the URL
    data: Callable = lambda world: {}  # world -> valid values, on top of those the GET page's form shows
    writes: tuple = ()  # models (app_label.Model) an accepted submission may write
    writes_even_when_refused: tuple = ()  # e.g. failed-login counters
    url_kwargs: Callable | None = None
    take_initial: bool = True  # start from the values the form shows on GET
    renders_on_success: bool = False  # answers 200 (no redirect) after doing its work
    cross_target: Callable | None = None  # world -> the other organisation's record of the same kind
    derived_writes: tuple = ()  # models whose derived fields an accepted submission may recompute
    # A list's filter form: it posts (so that an INSZ typed in it is in no URL) and answers with the
    # list's GET address (Post/Redirect/Get), writing nothing; that address holds no INSZ and renders.
    search: bool = False


def own(key):
    return lambda world: world["own"][key]


# A renamed organisation's name in the search texts of the records that name it (common/search_columns.py).
ORGANISATION_SEARCH_TEXTS = ("evaluations.Evaluation", "trajectories.Trajectory", "trajectories.Internship")


def other(key):
    return lambda world: world["other"][key]


TODAY = datetime.date(2019, 6, 3)


def _new_insz():
    return make_insz(datetime.date(1991, 2, 3), 417)


def _dotted(insz):
    """An INSZ as people type it: 85.07.30-033.28."""
    return f"{insz[:2]}.{insz[2:4]}.{insz[4:6]}-{insz[6:9]}.{insz[9:]}"


def _search_for_the_person(world):
    """A list's search text naming the user's own person by name and INSZ, as typed."""
    employee = world["own"]["employee"]
    return {"q": f"{employee.last_name} {_dotted(employee.insz)}"}


FORMS: dict[str, Form] = {
    # persons and their jobs
    "employees:create": Form(
        "evaluator",
        writes=("employees.Employee",),
        data=lambda w: {
            "insz": _new_insz(),
            "first_name": "An",
            "last_name": "Peeters",
            "birth_date": "1991-02-03",
            "gender": "f",
            "registered_on": "2019-01-01",
        },
    ),
    # A new birth date recomputes the ages kept on the person's evaluations and trajectories (which an
    # evaluator does not see: the trajectory's age is derived, not written by the evaluator's choice).
    "employees:update": Form(
        "evaluator",
        own("employee"),
        writes=("employees.Employee", "evaluations.Evaluation"),
        # The trajectories' ages; the search texts of the person's records (common/search_columns.py).
        derived_writes=("trajectories.Trajectory", "evaluations.Referral", "trajectories.Internship"),
    ),
    "employees:employment_create": Form(
        "partner_staff",
        own("employee"),
        cross_target=other("employee"),
        writes=("employees.Employment",),
        data=lambda w: {
            "employer": w["employer"].kbo_number,
            "instrument": "",
            "start_date": "2019-11-01",
            "end_date": "",
        },
    ),
    "employees:employment_update": Form(
        "partner_staff", own("employment"), cross_target=other("employment"), writes=("employees.Employment",)
    ),
    "employees:lookup": Form(
        "partner_staff",
        data=lambda w: {"insz": w["own"]["employee"].insz},
        writes=("audit.AccessEvent",),
        renders_on_success=True,
    ),
    # evaluations and referrals
    "evaluations:create": Form(
        "evaluator",
        own("employee"),
        writes=("evaluations.Evaluation",),
        data=lambda w: {"evaluation_date": "2019-05-02", "registered_on": "2019-05-02", "notes": "goed"},
    ),
    "evaluations:update": Form("evaluator", own("evaluation"), writes=("evaluations.Evaluation",)),
    "evaluations:refer": Form(
        "evaluator",
        own("unreferred_evaluation"),
        writes=("evaluations.Referral",),
        data=lambda w: {"partner": str(w["own"]["partner"].pk)},
    ),
    "evaluations:referral_reassign": Form(
        "administrator",
        own("waiting_referral"),
        writes=("evaluations.Referral",),
        data=lambda w: {"partner": str(w["other"]["partner"].pk)},
    ),
    "evaluations:referral_decline": Form(
        "partner_staff",
        own("waiting_referral"),
        cross_target=other("waiting_referral"),
        writes=("evaluations.Referral",),
        data=lambda w: {"decline_reason": str(DeclineReason.objects.get(code="no_capacity").pk), "answer_note": "vol"},
    ),
    "evaluations:referral_withdraw": Form(
        "evaluator",
        own("waiting_referral"),
        writes=("evaluations.Referral",),
        data=lambda w: {"withdrawal_reason": "De persoon is verhuisd."},
    ),
    # trajectories and internships
    "trajectories:start_from_referral": Form(
        "partner_staff",
        own("waiting_referral"),
        cross_target=other("waiting_referral"),
        writes=("trajectories.Trajectory", "evaluations.Referral"),
        data=lambda w: {"start_date": "2019-06-03", "se_employer": w["employer"].kbo_number},
    ),
    "trajectories:start_from_lookup": Form(
        "partner_staff",
        own("lookup"),
        cross_target=other("lookup"),
        writes=("trajectories.Trajectory", "evaluations.Referral"),
        data=lambda w: {"start_date": "2019-06-03", "se_employer": w["employer"].kbo_number},
    ),
    "trajectories:update": Form(
        "partner_staff", own("trajectory"), cross_target=other("trajectory"), writes=("trajectories.Trajectory",)
    ),
    "trajectories:withdraw_access": Form(
        "administrator", own("trajectory"), writes=("trajectories.Trajectory",), take_initial=False
    ),
    "trajectories:end": Form(
        "partner_staff",
        own("trajectory"),
        cross_target=other("trajectory"),
        writes=("trajectories.Trajectory", "trajectories.Internship", "evaluations.Referral", "employees.Employment"),
        data=lambda w: {"end_date": "2019-09-30", "end_reason": "1", "job_unknown": "on", "end_internships": "on"},
    ),
    "trajectories:internship_create": Form(
        "partner_staff",
        own("trajectory"),
        cross_target=other("trajectory"),
        # The first internship sets the trajectory's phase "internship".
        writes=("trajectories.Internship", "trajectories.Trajectory"),
        data=lambda w: {
            "host": w["employer"].kbo_number,
            "sector": "zorg",
            "start_date": "2019-05-01",
            "end_date": "2019-05-31",
            "outcome": "hired",
        },
    ),
    "trajectories:job_follow_up_record": Form(
        "partner_staff",
        own("regular_job"),
        cross_target=other("regular_job"),
        # A person who left: the follow-up ends the job in the same step.
        writes=("trajectories.JobFollowUp", "employees.Employment"),
        data=lambda w: {"mark": "3", "still_in_work": "no", "job_end_date": "2019-05-31", "note": "Verhuisd"},
    ),
    "trajectories:internship_update": Form(
        "partner_staff",
        own("internship"),
        cross_target=other("internship"),
        writes=("trajectories.Internship", "trajectories.Trajectory"),
    ),
    # register: organisations, grants, pilots (administrators)
    "partners:organisation_create": Form(
        "administrator",
        writes=("partners.Organisation",),
        data=lambda w: {"name": "Nieuw vzw", "kbo_number": "0403170701", "kind": "se_employer", "postcode": "9000"},
    ),
    "partners:organisation_update": Form(
        "administrator", own("partner"), writes=("partners.Organisation",), derived_writes=ORGANISATION_SEARCH_TEXTS
    ),
    "partners:organisation_propose": Form(
        "partner_staff",
        writes=("partners.Organisation",),
        data=lambda w: {"name": "Colruyt", "kbo_number": "0400378485", "kind": "regular_employer", "postcode": "1500"},
    ),
    "partners:organisation_confirm": Form(
        "administrator",
        lambda w: w["proposed"],
        writes=("partners.Organisation",),
        take_initial=False,
        derived_writes=ORGANISATION_SEARCH_TEXTS,
    ),
    "partners:organisation_merge": Form(
        "administrator",
        lambda w: w["proposed"],
        writes=(
            "partners.Organisation",
            "employees.Employment",
            "evaluations.Evaluation",
            "trajectories.Trajectory",
            "trajectories.Internship",
        ),
        data=lambda w: {"into": w["employer"].kbo_number},
    ),
    "partners:grant_create": Form(
        "administrator",
        writes=("partners.Grant",),
        data=lambda w: {
            "call": str(w["own"]["grant"].call_id),
            "partner": w["own"]["partner"].kbo_number,
            "year": "2020",
            "esf_amount": "100.00",
            "flemish_amount": "150.00",
            "spent_amount": "",
        },
    ),
    "partners:grant_update": Form("administrator", own("grant"), writes=("partners.Grant",)),
    "partners:pilot_create": Form(
        "administrator",
        writes=("partners.Pilot",),
        data=lambda w: {
            "name": "Proeftuin zorg",
            "sector": "zorg",
            "start_date": "2019-01-01",
            "end_date": "2019-12-31",
            "results": "",
        },
    ),
    "partners:pilot_update": Form("administrator", lambda w: w["pilot"], writes=("partners.Pilot",)),
    # reports (administrators build them)
    "reports:create": Form(
        "administrator",
        writes=("reports.SavedReport",),
        data=lambda w: {
            "name": "Trajecten per partner",
            "measure": w["report"].measure,
            "row_dimension_1": "",
            "row_dimension_2": "",
            "column": "",
            "fixed_label_lines": "",
        },
    ),
    "reports:update": Form("administrator", lambda w: w["report"], writes=("reports.SavedReport",)),
    # Anonymising the persons past the retention period in the background: records the job and queues it.
    "employees:retention": Form(
        "administrator", writes=("jobs.BackgroundJob", "django_tasks_database.DBTaskResult"), take_initial=False
    ),
    # Making the parliamentary workbook in the background: records the job and queues it.
    "reports:pack_background": Form(
        "analyst", writes=("jobs.BackgroundJob", "django_tasks_database.DBTaskResult"), take_initial=False
    ),
    "reports:copy": Form("administrator", lambda w: w["report"], writes=("reports.SavedReport",), take_initial=False),
    "reports:delete": Form(
        "administrator", lambda w: w["own_report"], writes=("reports.SavedReport",), take_initial=False
    ),
    # imports (the file itself: test_hostile_import_files below)
    "imports:upload": Form("partner_staff", writes=("imports.ImportRun",), data=lambda w: {"kind": "trajectories"}),
    # Starting one's failed export again: it only re-queues it (the task runs in the worker).
    "jobs:restart": Form(
        "partner_staff",
        own("job"),
        cross_target=other("job"),
        writes=("jobs.BackgroundJob", "django_tasks_database.DBTaskResult"),
        take_initial=False,
    ),
    # Importing the previewed file in the background: records the job and queues it.
    "imports:confirm_background": Form(
        "partner_staff",
        own("import_run"),
        cross_target=other("import_run"),
        writes=("jobs.BackgroundJob", "django_tasks_database.DBTaskResult"),
        take_initial=False,
    ),
    "imports:confirm": Form(
        "partner_staff",
        own("import_run"),
        cross_target=other("import_run"),
        writes=("imports.ImportRun",),
        take_initial=False,
    ),
    # signing in, the second factor, the language
    "accounts:login": Form(
        "anonymous",
        data=lambda w: {"username": w["own"]["staff"].username, "password": "correct-horse-battery"},
        writes=("accounts.User",),
        writes_even_when_refused=("axes.AccessAttempt", "axes.AccessFailureLog"),
    ),
    "accounts:logout": Form("partner_staff", take_initial=False, data=lambda w: {"next": "/"}),
    "accounts:otp_verify": Form(
        "administrator",
        data=lambda w: {"code": "123456", "next": "/"},
        writes_even_when_refused=("otp_totp.TOTPDevice",),
    ),
    # The first step of linking an app: the enrolment code another administrator issued (the world's).
    # A right code is used up and makes a fresh device; a wrong one counts against the user's codes.
    "accounts:otp_setup": Form(
        "administrator_without_device",
        data=lambda w: {"enrolment_code": w["enrolment_code"], "next": "/"},
        writes=("accounts.OTPEnrolmentCode", "otp_totp.TOTPDevice"),
        writes_even_when_refused=("accounts.OTPEnrolmentCode",),
    ),
    "accounts:otp_enrolment_issue": Form(
        "administrator",
        lambda w: w["users"]["administrator_without_device"],
        writes=("accounts.OTPEnrolmentCode",),
        renders_on_success=True,
    ),
    # Personal API keys: a new one is shown once on the page itself; a user revokes only their own.
    "accounts:api_tokens": Form(
        "partner_staff",
        data=lambda w: {"name": "Ons cliëntsysteem", "days": "30", "scope": "read"},
        writes=("accounts.APIToken",),
        renders_on_success=True,
    ),
    "accounts:api_token_revoke": Form(
        "partner_staff",
        own("api_token"),
        cross_target=other("api_token"),
        take_initial=False,
        writes=("accounts.APIToken",),
    ),
    # The signed-in user's choice is kept (accounts/language.py).
    "set_language": Form(
        "partner_staff", take_initial=False, data=lambda w: {"language": "nl", "next": "/"}, writes=("accounts.User",)
    ),
    # the lists' filter forms (posted: the search text may hold an INSZ)
    "employees:list": Form("evaluator", search=True, data=_search_for_the_person),
    "employees:access_log": Form(
        "administrator",
        search=True,
        data=lambda w: {"user": w["own"]["staff"].username, "action": "insz_lookup", "since": "2019-01-01"},
    ),
    "evaluations:list": Form("evaluator", search=True, data=_search_for_the_person),
    "evaluations:referral_list": Form("partner_staff", search=True, data=_search_for_the_person),
    "evaluations:referral_overdue": Form("administrator", search=True, data=_search_for_the_person),
    "evaluations:ready_unreferred": Form("evaluator", search=True, data=_search_for_the_person),
    "evaluations:referral_not_taken_up": Form("evaluator", search=True, data=_search_for_the_person),
    "trajectories:list": Form("partner_staff", search=True, data=_search_for_the_person),
    "trajectories:internship_list": Form("partner_staff", search=True, data=_search_for_the_person),
    "partners:organisation_list": Form("evaluator", search=True, data=lambda w: {"q": w["own"]["partner"].kbo_number}),
    "partners:grant_list": Form(
        "partner_staff", search=True, data=lambda w: {"partner": w["own"]["partner"].name, "year": "2020"}
    ),
    "partners:pilot_list": Form("analyst", search=True, data=lambda w: {"q": "zorg", "year": "2019"}),
}

# Django's own admin is walked by tests/test_admin.py.
NOT_HERE_PREFIXES = ("admin:",)


# --- the walk: every view that takes a POST is in the registry ----------------------------------


def accepts_post(callback, depth=2) -> bool:
    """A class-based view with a post() method, or a function view that reads POST or requires it,
    itself or in a function of its module it calls (`report_create` hands the request to `_edit`)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function = inspect.unwrap(callback)
    if "POST" in inspect.getsource(function):
        return True
    called = [function.__globals__.get(name) for name in function.__code__.co_names]
    return depth > 0 and any(
        inspect.isfunction(f) and f.__module__ == function.__module__ and accepts_post(f, depth - 1) for f in called
    )


def post_url_names():
    return sorted(
        {
            name
            for name, pattern in named_patterns()
            if not name.startswith(NOT_HERE_PREFIXES) and accepts_post(pattern.callback)
        }
    )


def test_every_form_of_the_project_is_covered():
    missing = [name for name in post_url_names() if name not in FORMS]
    assert not missing, f"Views taking POST without hostile-input coverage in tests/test_hostile_input.py: {missing}"


def test_the_registry_names_only_views_that_take_post():
    assert set(FORMS) <= set(post_url_names())


def test_the_walk_would_notice_a_view_taking_post():
    """The walk recognises each way a view takes POST: a form view, a function reading POST, require_POST."""
    from django.views.decorators.http import require_POST
    from django.views.generic import DetailView, FormView

    def reads_post(request):
        return request.POST

    @require_POST
    def only_post(request):
        return None

    def only_get(request):
        return request.GET

    assert accepts_post(FormView.as_view()) and accepts_post(reads_post) and accepts_post(only_post)
    assert not accepts_post(DetailView.as_view()) and not accepts_post(only_get)
    from reports.views import report_create, report_run

    assert accepts_post(report_create) and not accepts_post(report_run)  # report_create hands POST to _edit


# --- helpers -------------------------------------------------------------------------------------


def url_of(name, spec, world, record=None):
    pattern = dict(named_patterns())[name]
    keys = list(pattern.pattern.converters)
    if not keys:
        return reverse(name)
    record = record if record is not None else spec.target(world)
    value = record.slug if keys[0] == "slug" else record.pk
    return reverse(name, kwargs={keys[0]: value})


def sign_in(client, spec, world):
    user = world["users"][spec.role]
    if user is not None:
        client.force_login(user)
    return user


def _plain(value):
    """A form value as the browser sends it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _form_of(page):
    """The form a page shows: its form, or for a list the form of its filters."""
    try:
        return page.context["form"]
    except KeyError:
        return page.context["filter"].form


def valid_payload(client, url, spec, world):
    """What a user submits without touching the form, with the spec's values filled in."""
    payload = {}
    if spec.take_initial:
        response = client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        form = _form_of(response)
        for name, bound in form.fields.items():
            value = form[name].value()
            if hasattr(form.fields[name], "prepare_value") and not isinstance(value, (list, tuple)):
                value = form.fields[name].prepare_value(value)
            plain = _plain(value)
            if plain != "":
                payload[name] = plain
    payload.update(spec.data(world))
    return payload


ENGLISH_WORDS = frozenset(
    [
        "the",
        "this",
        "field",
        "enter",
        "valid",
        "required",
        "ensure",
        "select",
        "choice",
        "please",
        "characters",
        "must",
        "allowed",
        "already",
        "exists",
        "should",
        "invalid",
        "value",
        "number",
        "date",
        "whole",
    ]
)
WORD = re.compile(r"\w+")


def _strings(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def english_words(message: str, generated: set[str]) -> list[str]:
    """The English words of a message, each a whole word, leaving out the words of text the test generated.

    Whole words only: cutting generated text out of a message could leave a fragment of a name ("Theys
    VOF" less a typed "ys VOF" leaves "The"), so nothing is cut; a word the test typed or generated (a
    name, an echoed value) is simply not judged.
    """
    return [w for w in WORD.findall(message) if w.lower() in ENGLISH_WORDS and w.lower() not in generated]


def assert_dutch(messages, submitted):
    """No English word in an error message, other than the words of what the test itself generated."""
    generated_texts = [*(s for v in submitted.values() for s in _strings(v))]
    generated_texts += Organisation.objects.values_list("name", flat=True)
    generated = {w.lower() for text in generated_texts for w in WORD.findall(text)}
    for message in messages:
        assert not english_words(message, generated), f"English in an error message: {message!r}"


def test_the_english_check_judges_whole_words_not_fragments_of_generated_names():
    """A Dutch message naming a generated company is Dutch; an English message is not, whatever was typed."""
    assert english_words("Er loopt al een traject bij Theys VOF.", {"ys", "vof"}) == []
    assert english_words("This field is required.", {"theys"}) == ["This", "field", "required"]
    assert english_words("Ongeldige waarde: the", {"the"}) == []


def form_errors(response) -> list[str] | None:
    context = response.context
    if context is None:
        return None
    try:
        form = context["form"]
    except KeyError:
        return None
    return [str(m) for messages in form.errors.values() for m in messages]


def assert_escaped(response, submitted):
    content = response.content.decode(errors="replace")
    for value in submitted.values():
        for s in _strings(value):
            for payload in XSS:
                if payload in s:
                    assert payload not in content, f"{payload!r} came back unescaped"


@dataclass
class Check:
    name: str
    spec: Form
    world: dict
    before: dict
    foreign: set
    user: object = None
    notes: list = field(default_factory=list)

    def submit(self, client, url, payload):
        """Post; check the answer and the database; follow an accepted form to its page."""
        response = client.post(url, payload)
        status = response.status_code
        assert status < 500, f"{status} for {payload!r}"
        changed = differences(self.before, snapshot())
        refused_tables = (
            set().union(*(_tables_of(m) for m in self.spec.writes_even_when_refused))
            if self.spec.writes_even_when_refused
            else set()
        )
        real = {t: pks for t, pks in changed.items() if t not in refused_tables}
        touched_foreign = {(t, pk) for t, pks in changed.items() for pk in pks} & self.foreign
        assert not touched_foreign, f"the other organisation's rows changed: {touched_foreign} for {payload!r}"
        if self.spec.search:
            assert not real, f"a list search changed the database: {real} for {payload!r}"
            self._search_leads_to_its_list(client, url, response, payload)
        elif (
            real
            and status in (200, 302)
            and not (status == 200 and not self.spec.renders_on_success and form_errors(response))
        ):
            allowed = _tables_of(*self.spec.writes, *self.spec.derived_writes) | refused_tables
            # The user row changes on login (last_login) and logout leaves it; both are accepted outcomes.
            assert set(real) <= allowed, f"unexpected tables written: {set(real) - allowed} for {payload!r}"
            derived = _tables_of(*self.spec.derived_writes) if self.spec.derived_writes else set()
            self._written_rows_are_visible({t: pks for t, pks in real.items() if t not in derived})
            if status == 302:
                target = client.get(response.url)
                assert target.status_code < 500
                assert_escaped(target, payload)
            self.notes.append("accepted")
        else:
            assert not real, f"refused ({status}) but the database changed: {real} for {payload!r}"
            if status == 200:
                errors = form_errors(response)
                assert errors, f"200 without a form error for {payload!r}"
                assert_dutch(errors, payload)
            else:
                assert status in (302, 400, 403, 404, 405), f"{status} for {payload!r}"
            self.notes.append(f"refused {status}")
        assert_escaped(response, payload)
        return response

    def _search_leads_to_its_list(self, client, url, response, payload):
        """A posted search answers with its list's address, in which no INSZ was put; the list renders,
        and none of its links (sorting, paging, export) carries an INSZ either."""
        assert response.status_code == 302, f"{response.status_code} for {payload!r}"
        location = unquote_plus(response.url)
        assert response.url.split("?")[0] == url
        assert not contains_insz_like(location), f"an INSZ in the address {location!r} for {payload!r}"
        page = client.get(response.url)
        assert page.status_code == 200, f"{page.status_code} for {location!r}"
        assert_escaped(page, payload)
        links = [unquote_plus(html.unescape(link)) for link in re.findall(r'href="([^"]*)"', page.content.decode())]
        assert not [link for link in links if contains_insz_like(link)], f"an INSZ in a link for {payload!r}"
        self.notes.append("searched")

    def _written_rows_are_visible(self, changed):
        if self.user is None:
            return
        for model in apps.get_models():
            pks = changed.get(model._meta.db_table)
            manager = model._default_manager
            if pks and model._meta.label in AUDIT_MODELS:  # the log names who did it: the user, no one else
                assert set(manager.filter(pk__in=pks).values_list("user_id", flat=True)) <= {self.user.pk}
                continue
            if not pks or not hasattr(manager, "visible_to"):
                continue
            existing = set(manager.filter(pk__in=pks).values_list("pk", flat=True))
            visible = set(manager.visible_to(self.user).filter(pk__in=existing).values_list("pk", flat=True))
            assert existing == visible, f"wrote {model.__name__} rows the user may not see: {existing - visible}"


# Records of what a user did, shown to administrators only: the user writes them, but does not see them.
AUDIT_MODELS = {"audit.AccessEvent"}

HYPOTHESIS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("name", sorted(FORMS))
@HYPOTHESIS
@given(data=st.data())
def test_hostile_values_in_any_field_never_break_a_form(name, world, data):
    spec = FORMS[name]
    client = Client()
    if "before" not in world:  # every example starts from this state: each is rolled back
        world["before"] = snapshot()
    with transaction.atomic():
        user = sign_in(client, spec, world)
        url = url_of(name, spec, world)
        if "payload" not in world:
            world["payload"] = valid_payload(client, url, spec, world)
        payload = world["payload"]
        names = sorted(set(payload) | {"version", "next", "unknown_field"})
        hostile = data.draw(
            st.dictionaries(st.sampled_from(names), hostile_values(world), min_size=1, max_size=3),
            label="hostile fields",
        )
        check = Check(name, spec, world, world["before"], _foreign_rows(world), user)
        check.submit(client, url, {**payload, **hostile})
        event(check.notes[-1])  # --hypothesis-show-statistics: how many were accepted, refused and how
        transaction.set_rollback(True)


# --- the lists' search forms: an INSZ typed anywhere stays out of the address --------------------

SEARCHED_BY_PERSON = sorted(n for n, spec in FORMS.items() if spec.data is _search_for_the_person)


def test_an_insz_typed_in_a_list_search_stays_out_of_every_address_and_still_finds_the_person(world):
    """However it is typed, with a name, twice, or in a field that takes no INSZ: the answer's address
    and the list's links hold no INSZ, and the search text comes back from the session."""
    assert len(SEARCHED_BY_PERSON) >= 5
    employee = world["own"]["employee"]
    insz = employee.insz
    for name in SEARCHED_BY_PERSON:
        spec = FORMS[name]
        url = reverse(name)
        for typed in (_dotted(insz), f"{employee.last_name} {insz[:6]} {insz[6:9]} {insz[9:]}", insz):
            client = Client()
            sign_in(client, spec, world)
            response = client.post(url, {"q": ["Peeters " + insz, typed], "gender": insz, "next": _dotted(insz)})
            check = Check(name, spec, world, snapshot(), _foreign_rows(world), None)
            check._search_leads_to_its_list(client, url, response, {"q": typed})
            page = client.get(response.url)
            assert page.context["filter"].form.data["q"] == typed, name
            if name == "employees:list":
                assert employee in page.context["filter"].qs


def test_a_search_too_long_for_an_address_brings_the_list_back_with_a_dutch_message(world):
    """Django refuses to redirect to an address beyond 16,384 characters: a pasted text of thousands
    of characters in a search box answered 400 (Bad Request) instead of the list."""
    client = Client()
    sign_in(client, FORMS["employees:list"], world)
    url = reverse("employees:list")
    response = client.post(url, {"q": "é" * 10_001})
    assert response.status_code == 302, response.status_code
    assert response.url == url
    page = client.get(url)
    assert page.status_code == 200
    assert "Deze zoekopdracht is te lang" in page.content.decode()


# --- other organisations' records in the URL, keys beyond bigint, missing CSRF token ---------------


# One test each walks every form: the world is made once (making it is most of the cost).


def test_a_valid_form_posted_to_the_other_organisations_record_answers_404_and_changes_nothing(world):
    names = sorted(n for n, spec in FORMS.items() if spec.cross_target)
    assert len(names) >= 9
    for name in names:
        spec = FORMS[name]
        client = Client()
        with transaction.atomic():
            sign_in(client, spec, world)
            payload = valid_payload(client, url_of(name, spec, world), spec, world)
            before = snapshot()
            response = client.post(url_of(name, spec, world, record=spec.cross_target(world)), payload)
            assert response.status_code == 404, name
            assert not differences(before, snapshot()), name
            transaction.set_rollback(True)


def test_keys_that_exist_nowhere_or_exceed_bigint_answer_404(world):
    before = snapshot()
    for name in sorted(n for n, spec in FORMS.items() if spec.target):
        spec = FORMS[name]
        (converter_name,) = dict(named_patterns())[name].pattern.converters
        keys = ["kopie-die-niet-bestaat"] if converter_name == "slug" else [0, 2**31, 2**63, 10**30]
        for key in keys:
            client = Client()
            with transaction.atomic():
                sign_in(client, spec, world)
                response = client.post(reverse(name, kwargs={converter_name: key}), {"x": "1"})
                assert response.status_code == 404, f"{name} {key}"
                assert not differences(before, snapshot()), f"{name} {key}"
                transaction.set_rollback(True)


def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(world):
    for name in sorted(n for n in FORMS if n != "accounts:login"):
        spec = FORMS[name]
        client = Client(enforce_csrf_checks=True)
        with transaction.atomic():
            sign_in(client, spec, world)
            payload = valid_payload(client, url_of(name, spec, world), spec, world)
            before = snapshot()  # after the GET: the second factor's set-up page makes its pending device
            response = client.post(url_of(name, spec, world), payload)
            assert response.status_code == 403, name
            assert not differences(before, snapshot()), name
            transaction.set_rollback(True)


def test_the_login_form_without_its_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": world["own"]["staff"].username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 403 and "_auth_user_id" not in client.session


# --- the import: hostile files -------------------------------------------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1+1)", "=1+1"]
CELLS = [v for v in HOSTILE if isinstance(v, str)] + FORMULAS + ["x" * 40_000]
COLUMNS = ["insz", "partner_kbo", "call_number", "start_date", "end_date", "end_reason", "se_employer_kbo"]


def _good_rows(world, count):
    own_case = world["own"]
    return [
        {
            "insz": own_case["employee"].insz,
            "partner_kbo": own_case["partner"].kbo_number,
            "call_number": "432",
            "start_date": f"2020-{month:02d}-01",
        }
        for month in range(1, count + 1)
    ]


@st.composite
def hostile_tables(draw, world):
    """Good trajectory rows of the user's own organisation with up to two hostile rows among them,
    columns sometimes missing or added."""
    other_case = world["other"]
    cell = st.one_of(
        st.sampled_from(CELLS),
        st.text(max_size=30),
        st.sampled_from([other_case["partner"].kbo_number, other_case["employee"].insz]),
    )
    rows = _good_rows(world, draw(st.integers(1, 4)))
    for _ in range(draw(st.integers(0, 2))):
        row = dict(draw(st.sampled_from(rows)))
        row.update(draw(st.dictionaries(st.sampled_from(COLUMNS), cell, min_size=1, max_size=3)))
        rows.insert(draw(st.integers(0, len(rows))), row)
    columns = list(COLUMNS)
    if draw(st.booleans()):
        columns.remove(draw(st.sampled_from(columns)))
    if draw(st.booleans()):
        columns.append(draw(st.sampled_from(["extra", "", "insz", SCRIPT])))
    return columns, [[row.get(c, "") for c in columns] for row in rows]


def _csv(columns, rows, encoding, delimiter):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx(columns, rows):
    import io

    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [columns, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000] for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@st.composite
def hostile_files(draw, world):
    kind = draw(st.sampled_from(["csv", "xlsx", "bytes", "zip-like"]))
    if kind == "bytes":
        return draw(st.sampled_from(["file.csv", "file.xlsx", "file.txt"])), draw(st.binary(max_size=400))
    if kind == "zip-like":
        return "file.xlsx", b"PK\x03\x04" + draw(st.binary(max_size=400))
    columns, rows = draw(hostile_tables(world))
    if kind == "xlsx":
        return "file.xlsx", _xlsx(columns, rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return draw(st.sampled_from(["file.csv", "FILE.CSV", "file.txt"])), _csv(
        columns, rows, encoding, draw(st.sampled_from([",", ";", "\t"]))
    )


CASE_MODELS = (
    "trajectories.Trajectory",
    "partners.Call",
    "employees.Employee",
    "employees.Employment",
    "evaluations.Referral",
    "partners.Organisation",
    "trajectories.EndReason",
)


@HYPOTHESIS
@given(data=st.data())
def test_hostile_import_files_never_break_the_import_and_import_all_or_nothing(world, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.constants import ImportStatus

    user = world["users"]["partner_staff"]
    if "before" not in world:
        world["before"] = snapshot()
    file_name, content = data.draw(hostile_files(world), label="file")
    case_tables = _tables_of(*CASE_MODELS)
    foreign = _foreign_rows(world)
    with transaction.atomic():
        client = Client()
        client.force_login(user)
        response = client.post(
            reverse("imports:upload"), {"kind": "trajectories", "file": SimpleUploadedFile(file_name, content)}
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:  # the upload form refused the file itself
            errors = form_errors(response)
            assert errors
            assert_dutch(errors, {})
            assert not differences(world["before"], snapshot())
            transaction.set_rollback(True)
            return
        run = ImportRun.objects.filter(user=user).latest("pk")
        page = client.get(response.url)
        assert page.status_code == 200
        assert SCRIPT not in page.content.decode()
        assert set(differences(world["before"], snapshot())) == {"imports_importrun"}
        if run.status == ImportStatus.REJECTED:
            assert run.errors, "a rejected file lists its errors"
            assert_dutch([e["message"] for e in run.errors], {i: e["value"] for i, e in enumerate(run.errors)})
            assert client.get(reverse("imports:error_report", args=[run.pk])).status_code == 200
        confirm = client.post(reverse("imports:confirm", args=[run.pk]))
        assert confirm.status_code == 302
        run.refresh_from_db()
        changed = differences(world["before"], snapshot())
        assert not {(t, pk) for t, pks in changed.items() for pk in pks} & foreign
        if run.status == ImportStatus.IMPORTED:
            assert set(changed) <= case_tables | {"imports_importrun"}
            assert set(Trajectory_pks(changed)) <= set(
                apps.get_model("trajectories.Trajectory").objects.visible_to(user).values_list("pk", flat=True)
            )
        else:
            assert set(changed) == {"imports_importrun"}, "a file with a bad row imports nothing"
        transaction.set_rollback(True)


def Trajectory_pks(changed):
    return changed.get(apps.get_model("trajectories.Trajectory")._meta.db_table, set())


def test_two_hostile_rows_among_good_ones_import_nothing_and_each_error_is_listed_in_dutch(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = world["users"]["partner_staff"]
    client.force_login(user)
    rows = _good_rows(world, 3)
    rows.insert(1, {**rows[0], "partner_kbo": world["other"]["partner"].kbo_number, "start_date": "2021-01-01"})
    rows.insert(3, {**rows[0], "start_date": "10000-01-01", "call_number": "=cmd|' /C calc'!A0"})
    before = snapshot()
    content = _csv(COLUMNS, [[row.get(c, "") for c in COLUMNS] for row in rows], "utf-8-sig", ";")
    response = client.post(
        reverse("imports:upload"), {"kind": "trajectories", "file": SimpleUploadedFile("t.csv", content)}
    )
    run = ImportRun.objects.filter(user=user).latest("pk")
    assert run.status == "rejected"
    assert {(e["row"], e["column"]) for e in run.errors} >= {(3, "partner_kbo"), (5, "start_date")}
    assert_dutch([e["message"] for e in run.errors], {})
    client.post(reverse("imports:confirm", args=[run.pk]))
    assert set(differences(before, snapshot())) == {"imports_importrun"}
    assert client.get(response.url).status_code == 200


def test_a_utf16_csv_is_read_and_a_csv_with_nul_characters_is_refused_in_dutch(world, client):
    """Excel's "Unicode text" is UTF-16: it was read as Windows-1252 full of NUL characters, which
    PostgreSQL refused when the errors were stored (a 500)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = world["users"]["partner_staff"]
    client.force_login(user)
    rows = [[row.get(c, "") for c in COLUMNS] for row in _good_rows(world, 2)]
    client.post(
        reverse("imports:upload"),
        {"kind": "trajectories", "file": SimpleUploadedFile("t.csv", _csv(COLUMNS, rows, "utf-16", "\t"))},
    )
    run = ImportRun.objects.filter(user=user).latest("pk")
    assert (run.status, run.rows_created) == ("previewed", 2), run.errors
    content = _csv(COLUMNS, rows, "utf-8", ",").replace(b"432", b"4\x0032")
    client.post(reverse("imports:upload"), {"kind": "trajectories", "file": SimpleUploadedFile("t.csv", content)})
    run = ImportRun.objects.filter(user=user).latest("pk")
    assert run.status == "rejected" and "NUL-tekens" in run.errors[0]["message"]


# --- forms sent with GET: list filters, the report dates, the person's situation date ------------


def _get_form_urls(world):
    """Every list (its filter form), the report pages (their dates), a person's page (its date) and who
    looked at them (its pages)."""
    from casework.views import CaseListView

    urls = {}
    for name, pattern in named_patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, CaseListView):
            urls[name] = reverse(name)
    report = world["report"]
    urls["reports:run"] = reverse("reports:run", args=[report.slug])
    urls["reports:cell"] = reverse("reports:cell", args=[report.slug])
    urls["reports:pack"] = reverse("reports:pack")
    urls["employees:detail"] = reverse("employees:detail", args=[world["own"]["employee"].pk])
    urls["employees:access"] = reverse("employees:access", args=[world["own"]["employee"].pk])
    return urls


GET_FORMS = [
    "employees:list",
    "employees:access_log",
    "evaluations:list",
    "evaluations:referral_list",
    "evaluations:referral_overdue",
    "evaluations:ready_unreferred",
    "evaluations:referral_not_taken_up",
    "trajectories:list",
    "trajectories:internship_list",
    "partners:organisation_list",
    "partners:grant_list",
    "partners:pilot_list",
    "reports:run",
    "reports:cell",
    "reports:pack",
    "employees:detail",
    "employees:access",
]


def _get_form(page):
    """The fields of the filter form of a list, the dates form of a report, the situation date of a person;
    who looked at a person has its pages only."""
    context = page.context
    if "events" in context:
        return ["page"]
    for key in ("filter", "form", "state_form"):
        try:
            value = context[key]
        except KeyError:
            continue
        return sorted((value.form if key == "filter" else value).fields)
    return ["as_of", "known_at", *page.context["run"].dimensions]  # the records behind a cell: dates and labels


def test_every_get_form_is_covered(world):
    assert sorted(_get_form_urls(world)) == sorted(GET_FORMS)


# The pack runs every report of the pack per request: its two dates (the same RunForm as reports:run)
# get the sweep below, not the random examples.
@pytest.mark.parametrize("name", [name for name in GET_FORMS if name != "reports:pack"])
@settings(HYPOTHESIS, max_examples=15)
@given(data=st.data())
def test_hostile_values_in_a_get_form_never_break_the_page(name, world, data):
    client = Client()
    client.force_login(world["users"]["administrator"])
    url = _get_form_urls(world)[name]
    if f"fields:{name}" not in world:
        page = client.get(url)
        assert page.status_code == 200
        world[f"fields:{name}"] = _get_form(page)
    keys = world[f"fields:{name}"] + ["sort", "page", "partner", "call", "year", "as_of", "known_at", "on"]
    query = data.draw(
        st.dictionaries(st.sampled_from(keys), hostile_values(world), min_size=1, max_size=3), label="query"
    )
    response = client.get(url, query)
    assert response.status_code in (200, 302, 400, 404), f"{response.status_code} for {query!r}"
    assert_escaped(response, query)


# --- a sweep: each value the databases differ on, in every field of every form at once ----------
# (every field of a form is cleaned, so one request tries them all). SQLite stores a NUL, takes any
# integer up to 2**63 and has no date type; PostgreSQL refuses NUL in text, has bigint and dates.

SWEEP = [
    "\x00",
    "a\x00b",
    "9" * 30,
    "-" + "9" * 30,
    str(2**63),
    "10000-01-01",
    "0000-00-00",
    "9999-12-31",
    SCRIPT,
    "x" * 10_001,
    ["1", "\x00"],
]


@pytest.mark.parametrize("name", sorted(FORMS))
def test_each_value_the_databases_differ_on_in_every_field_at_once_and_the_calendars_ends_in_each_date(name, world):
    """SWEEP in all fields at once; then the calendar's first and last day in each date field alone of an
    otherwise valid form: accepted or refused, never a 500, and when accepted the page it leads to (a
    report run, a person's timeline) still renders."""
    spec = FORMS[name]
    before = snapshot()
    foreign = _foreign_rows(world)
    with transaction.atomic():
        client = Client()
        sign_in(client, spec, world)
        url = url_of(name, spec, world)
        payload = valid_payload(client, url, spec, world)
        dates = _date_fields(client, url, spec)
        transaction.set_rollback(True)
    submissions = [dict.fromkeys([*payload, "version", "next"], value) for value in SWEEP]
    submissions += [{**payload, field: value} for field in dates for value in EDGE_DATES]
    for submission in submissions:
        with transaction.atomic():
            client = Client()
            user = sign_in(client, spec, world)
            Check(name, spec, world, before, foreign, user).submit(client, url, submission)
            transaction.set_rollback(True)


@pytest.mark.parametrize("name", GET_FORMS)
def test_each_value_the_databases_differ_on_in_every_get_field_at_once(name, world, client):
    client.force_login(world["users"]["administrator"])
    url = _get_form_urls(world)[name]
    page = client.get(url)
    for value in SWEEP:
        query = dict.fromkeys([*_get_form(page), "sort", "page"], value)
        response = client.get(url, query)
        assert response.status_code in (200, 302, 400, 404), f"{response.status_code} for {value!r}"
        assert_escaped(response, query)


EDGE_DATES = ["0001-01-01", "9999-12-31"]


def _date_fields(client, url, spec):
    from django import forms as django_forms

    if not spec.take_initial:
        return []
    form = _form_of(client.get(url))
    return [name for name, field in form.fields.items() if isinstance(field, django_forms.DateField)]


def test_a_birth_date_after_the_persons_evaluation_is_refused_not_a_500(world):
    """The ages kept with evaluations and trajectories are recomputed when the birth date changes; a
    birth date after the evaluation made that age negative and the database refused it (a 500)."""
    spec = FORMS["employees:update"]
    employee = world["own"]["employee"]
    born = datetime.date(2019, 6, 1)  # after the evaluation (2019-03-15) and the trajectory (2019-04-01)
    client = Client()
    sign_in(client, spec, world)
    url = url_of("employees:update", spec, world)
    payload = {**valid_payload(client, url, spec, world), "insz": make_insz(born, 5), "birth_date": born.isoformat()}
    before = snapshot()
    response = client.post(url, payload)
    assert response.status_code == 200
    assert "vóór deze geboortedatum" in response.context["form"].errors["birth_date"][0]
    assert not differences(before, snapshot())
    employee.refresh_from_db()
    assert employee.birth_date != born
