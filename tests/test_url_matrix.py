"""Every URL of the project, for every role: who gets the page, who gets 404, who is sent to log in.

The test walks the root URLconf, so a view added later without an entry in
EXPECTED fails here, and one whose access check is missing fails its row.
"""

import pytest
from django.urls import reverse

from accounts.tokens import issue_token
from reports.models import SavedReport
from tests import factories
from tests.url_walk import named_patterns

OK, NOT_FOUND, LOGIN, METHOD_NOT_ALLOWED = 200, 404, 302, 405

ROLES = ["anonymous", "evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"]

# For each URL name: the object its pk refers to (all records belong to OTHER partner's case), and
# the roles that get the page; every other signed-in role gets 404, anonymous users go to login.
EXPECTED = {
    "home": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"}),
    "data_quality": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    # employees
    "employees:list": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator"}),
    "employees:create": (None, {"evaluator", "administrator"}),
    "employees:lookup": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "employees:access_log": (None, {"administrator"}),
    "employees:lookups_without_trajectory": (None, {"administrator"}),
    "employees:retention": (None, {"administrator"}),
    "employees:detail": ("employee", {"evaluator", "other_partner_staff", "administrator"}),
    "employees:update": ("employee", {"evaluator", "administrator"}),
    "employees:history": ("employee", {"administrator"}),
    "employees:access": ("employee", {"administrator"}),
    "employees:employment_create": ("employee", {"other_partner_staff", "administrator"}),
    "employees:employment_update": ("employment", {"other_partner_staff", "administrator"}),
    "employees:employment_history": ("employment", {"administrator"}),
    # evaluations
    "evaluations:list": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator"}),
    "evaluations:create": ("employee", {"evaluator", "administrator"}),
    "evaluations:detail": ("evaluation", {"evaluator", "other_partner_staff", "administrator"}),
    "evaluations:update": ("evaluation", {"evaluator", "administrator"}),
    "evaluations:history": ("evaluation", {"administrator"}),
    "evaluations:refer": ("evaluation", {"evaluator", "administrator"}),
    "evaluations:referral_list": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator"}),
    "evaluations:referral_overdue": (None, {"administrator"}),
    "evaluations:ready_unreferred": (None, {"evaluator", "administrator"}),
    "evaluations:referral_not_taken_up": (None, {"evaluator", "administrator"}),
    "evaluations:referral_detail": ("referral", {"evaluator", "other_partner_staff", "administrator"}),
    "evaluations:referral_decline": ("waiting_referral", {"other_partner_staff", "administrator"}),
    "evaluations:referral_withdraw": ("waiting_referral", {"evaluator", "administrator"}),
    "evaluations:referral_reassign": ("waiting_referral", {"administrator"}),
    "evaluations:referral_history": ("referral", {"administrator"}),
    # trajectories
    "trajectories:list": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "trajectories:start_from_referral": ("waiting_referral", {"other_partner_staff", "administrator"}),
    "trajectories:start_from_lookup": ("lookup", {"other_partner_staff"}),
    "trajectories:detail": ("trajectory", {"other_partner_staff", "administrator"}),
    "trajectories:access_review": (None, {"administrator"}),
    "trajectories:awaiting_job": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "trajectories:job_follow_up": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "trajectories:job_follow_up_record": ("regular_job", {"other_partner_staff", "administrator"}),
    "trajectories:past_planned_end": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "trajectories:internships_too_long": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "trajectories:withdraw_access": ("trajectory", {"administrator"}),
    "trajectories:update": ("trajectory", {"other_partner_staff", "administrator"}),
    "trajectories:end": ("trajectory", {"other_partner_staff", "administrator"}),
    "trajectories:history": ("trajectory", {"administrator"}),
    "trajectories:internship_create": ("trajectory", {"other_partner_staff", "administrator"}),
    "trajectories:internship_list": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "trajectories:internship_update": ("internship", {"other_partner_staff", "administrator"}),
    "trajectories:internship_history": ("internship", {"administrator"}),
    # partners
    "partners:organisation_list": (
        None,
        {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"},
    ),
    "partners:organisation_create": (None, {"administrator"}),
    "partners:organisation_propose": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "partners:organisation_proposed": (None, {"administrator"}),
    "partners:organisation_confirm": ("proposed_organisation", {"administrator"}),
    "partners:organisation_merge": ("proposed_organisation", {"administrator"}),
    "partners:organisation_detail": (
        "organisation",
        {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"},
    ),
    "partners:organisation_update": ("organisation", {"administrator"}),
    "partners:organisation_history": ("organisation", {"administrator"}),
    "partners:grant_list": (None, {"partner_staff", "other_partner_staff", "administrator"}),
    "partners:grant_create": (None, {"administrator"}),
    "partners:grant_update": ("grant", {"other_partner_staff", "administrator"}),
    "partners:grant_history": ("grant", {"administrator"}),
    "partners:pilot_list": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"}),
    "partners:pilot_create": (None, {"administrator"}),
    "partners:pilot_detail": (
        "pilot",
        {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"},
    ),
    "partners:pilot_update": ("pilot", {"administrator"}),
    "partners:pilot_history": ("pilot", {"administrator"}),
    # reports: administrators build, analysts run and export; nobody else knows they exist
    "reports:list": (None, {"administrator", "analyst"}),
    "reports:pack": (None, {"administrator", "analyst"}),
    "reports:pack_export": (None, {"administrator", "analyst"}),
    "reports:pack_background": (None, {"administrator", "analyst"}),
    "reports:run": ("report", {"administrator", "analyst"}),
    "reports:export": ("report", {"administrator", "analyst"}),
    "reports:cell": ("report", {"administrator"}),
    "reports:create": (None, {"administrator"}),
    "reports:update": ("report", {"administrator"}),
    "reports:copy": ("report", {"administrator"}),
    "reports:delete": ("own_report", {"administrator"}),  # the pack's reports are not deleted
    # imports: a run is seen by the one who uploaded it and by administrators
    "imports:upload": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator"}),
    "imports:rejected": (None, {"administrator"}),
    "imports:preview": ("import_run", {"other_partner_staff", "administrator"}),
    "imports:confirm": ("import_run", {"other_partner_staff", "administrator"}),
    "imports:confirm_background": ("import_run", {"other_partner_staff", "administrator"}),
    "imports:error_report": ("import_run", {"other_partner_staff", "administrator"}),
    # the template of a kind: for the roles that may import it (employees: evaluators and administrators)
    "imports:template": (None, {"evaluator", "administrator"}),
    # background jobs: everyone has "Mijn taken"; a job is seen by the one who started it and by administrators
    "jobs:list": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"}),
    "jobs:detail": ("job", {"other_partner_staff", "administrator"}),
    "jobs:status": ("job", {"other_partner_staff", "administrator"}),
    "jobs:download": ("job", {"other_partner_staff", "administrator"}),
    "jobs:restart": ("job", {"other_partner_staff", "administrator"}),
    # accounts: an administrator issues another administrator's authenticator enrolment code
    "accounts:otp_enrolment_issue": ("administrator_without_device", {"administrator"}),
    # a user's own API keys (an administrator's: everyone's), and the API's reference page
    "accounts:api_tokens": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"}),
    "accounts:api_token_revoke": ("api_token", {"other_partner_staff", "administrator"}),
    "api:reference": (None, {"evaluator", "partner_staff", "other_partner_staff", "administrator", "analyst"}),
}

# Further URL arguments, beyond the object's key.
EXTRA_KWARGS = {
    "reports:export": {"fmt": "json"},
    "imports:template": {"kind": "employees", "fmt": "xlsx"},
    "trajectories:job_follow_up": {"months": 6},
}

# Views that only take POST: a GET answers 405 to everyone, before anything is looked up.
POST_ONLY = {
    "jobs:restart",
    "reports:pack_background",
    "imports:confirm_background",
    "reports:copy",
    "imports:confirm",
    "trajectories:withdraw_access",
    "partners:organisation_confirm",
    "accounts:api_token_revoke",
}

# URLs whose access is not row-level casework: tested elsewhere or provided by Django.
# The API (a key, not a session) has its own rows, per method: API_EXPECTED below.
NOT_CASEWORK_PREFIXES = ("admin:", "accounts:", "set_language", "api:")

# Grant edits are administrators' work: partner staff see their own grants in the list only.
EXPECTED["partners:grant_update"] = ("grant", {"administrator"})


def all_url_names():
    return sorted({name for name, _pattern in named_patterns()})


def casework_url_names():
    """Every URL but those of NOT_CASEWORK_PREFIXES, unless EXPECTED names one of them."""
    return [name for name in all_url_names() if not name.startswith(NOT_CASEWORK_PREFIXES) or name in EXPECTED]


def test_every_url_of_the_project_has_an_expectation():
    missing = [name for name in casework_url_names() if name not in EXPECTED]
    assert not missing, f"URLs without an access expectation in tests/test_url_matrix.py: {missing}"


def test_the_expectations_name_no_url_that_does_not_exist():
    assert not set(EXPECTED) - set(all_url_names())


@pytest.fixture
def world(other_partner, other_partner_staff, settings, tmp_path):
    """Records that all belong to the OTHER partner's case: partner_staff must not reach any of them."""
    settings.DOORSTROOM_JOB_RESULTS_DIR = str(tmp_path)
    case = factories.partner_case(other_partner, other_partner_staff)
    return {
        "job": factories.finished_job(other_partner_staff),
        **case,
        "regular_job": factories.EmploymentFactory(employee=case["employee"], regular=True),
        "organisation": factories.OrganisationFactory(),
        "proposed_organisation": factories.RegularEmployerFactory(status="proposed"),
        "pilot": factories.PilotFactory(),
        "report": SavedReport.objects.get(slug="q2a_trajectories_by_partner_year"),
        "own_report": SavedReport.objects.create(name="Eigen rapport", slug="eigen-rapport", measure="trajectories"),
        "administrator_without_device": _administrator_without_device(),
        "api_token": issue_token(user=other_partner_staff, name="Ander systeem")[0],
    }


def _administrator_without_device():
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    user = factories.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    return user


def _url(name, world):
    target, _roles = EXPECTED[name]
    pattern = dict(named_patterns())[name]
    keys = [key for key in pattern.pattern.converters if key not in EXTRA_KWARGS.get(name, {})]
    if not keys:
        return reverse(name, kwargs=EXTRA_KWARGS.get(name))
    assert target is not None, f"{name} takes {keys} but EXPECTED names no object"
    record = world[target]
    value = record.slug if keys[0] == "slug" else record.pk
    return reverse(name, kwargs={keys[0]: value, **EXTRA_KWARGS.get(name, {})})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_pages_the_roles_table_allows(role, request, client, world):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    wrong = []
    for name in casework_url_names():
        if name not in EXPECTED:
            continue  # reported by test_every_url_of_the_project_has_an_expectation
        _target, allowed = EXPECTED[name]
        url = _url(name, world)
        expected = LOGIN if role == "anonymous" else (OK if role in allowed else NOT_FOUND)
        if name in POST_ONLY and role != "anonymous":
            expected = METHOD_NOT_ALLOWED
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{name} {url}: {status}, expected {expected}")
        # Exports of lists follow the same rule as the list itself.
        if name.endswith("list") and expected == OK:
            for export in ("csv", "xlsx"):
                response = client.get(url, {"_export": export})
                if response.status_code != OK:
                    wrong.append(f"{name} export {export}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["partner_staff", "evaluator", "analyst"])
def test_posting_to_a_forbidden_page_changes_nothing(role, request, client, world):
    client.force_login(request.getfixturevalue(role))
    trajectory = world["trajectory"]
    response = client.post(
        reverse("trajectories:end", args=[trajectory.pk]), {"end_date": "2019-09-01", "end_reason": 1}
    )
    assert response.status_code == NOT_FOUND
    trajectory.refresh_from_db()
    assert trajectory.end_date is None


@pytest.mark.parametrize("role", ROLES)
def test_each_role_refused_a_page_is_refused_it_on_post_too(role, request, client, world):
    """A view must not check access on GET only: a POST from a role without access answers the same."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    wrong = []
    for name in casework_url_names():
        if name not in EXPECTED or role in EXPECTED[name][1]:
            continue
        url = _url(name, world)
        status = client.post(url, {}).status_code
        expected = LOGIN if role == "anonymous" else NOT_FOUND
        if status != expected:
            wrong.append(f"POST {name} {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


# --- the API under /api/v1/: every endpoint and method, per role, with a key instead of a session ----

READERS = {"evaluator", "partner_staff", "other_partner_staff", "administrator"}
GUIDES = {"partner_staff", "other_partner_staff", "administrator"}
EVERYONE = READERS | {"analyst"}
# (URL name, method): (the object its key refers to (the OTHER partner's), the roles that get through).
# Everyone else gets 404, a call without a key 401. A write that gets through, sent empty and without
# If-Match, answers 400 (the form's messages) or 428 (no If-Match); a GET answers 200.
API_EXPECTED = {
    ("api:schema", "get"): (None, EVERYONE),
    ("api:lookup-list", "post"): (None, GUIDES),
    ("api:person-list", "get"): (None, READERS),
    ("api:person-detail", "get"): ("employee", {"evaluator", "other_partner_staff", "administrator"}),
    ("api:referral-list", "get"): (None, READERS),
    ("api:referral-list", "post"): (None, {"evaluator", "administrator"}),
    ("api:referral-detail", "get"): ("referral", {"evaluator", "other_partner_staff", "administrator"}),
    ("api:referral-decline", "post"): ("waiting_referral", {"other_partner_staff", "administrator"}),
    ("api:evaluation-list", "get"): (None, READERS),
    ("api:evaluation-list", "post"): (None, {"evaluator", "administrator"}),
    ("api:evaluation-detail", "get"): ("evaluation", {"evaluator", "other_partner_staff", "administrator"}),
    ("api:evaluation-detail", "patch"): ("evaluation", {"evaluator", "administrator"}),
    ("api:trajectory-list", "get"): (None, GUIDES),
    ("api:trajectory-list", "post"): (None, GUIDES),
    ("api:trajectory-detail", "get"): ("trajectory", {"other_partner_staff", "administrator"}),
    ("api:trajectory-detail", "patch"): ("trajectory", {"other_partner_staff", "administrator"}),
    ("api:trajectory-end", "post"): ("trajectory", {"other_partner_staff", "administrator"}),
    ("api:internship-list", "get"): (None, GUIDES),
    ("api:internship-list", "post"): (None, GUIDES),
    ("api:internship-detail", "get"): ("internship", {"other_partner_staff", "administrator"}),
    ("api:internship-detail", "patch"): ("internship", {"other_partner_staff", "administrator"}),
    ("api:job-list", "get"): (None, READERS),
    ("api:job-list", "post"): (None, GUIDES),
    ("api:job-detail", "get"): ("employment", {"evaluator", "other_partner_staff", "administrator"}),
    ("api:job-detail", "patch"): ("employment", {"other_partner_staff", "administrator"}),
    ("api:organisation-list", "get"): (None, EVERYONE),
    ("api:organisation-detail", "get"): ("organisation", EVERYONE),
    ("api:report-list", "get"): (None, {"administrator", "analyst"}),
    ("api:report-detail", "get"): ("report", {"administrator", "analyst"}),
}


def api_operations():
    """(URL name, method) of every API endpoint: the methods its view answers (HEAD and OPTIONS aside)."""
    found = set()
    for name, pattern in named_patterns():
        if not name.startswith("api:") or name == "api:reference":
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions is None:
            view = pattern.callback.cls
            actions = {method: method for method in view.http_method_names if hasattr(view, method)}
        found |= {(name, method) for method in actions if method not in ("head", "options")}
    return found


def test_every_api_endpoint_and_method_has_an_expectation():
    assert api_operations() == set(API_EXPECTED)


def _api_client(user, scope="read_write"):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        _token, key = issue_token(user=user, name="matrix", scope=scope)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _api_url(name, world):
    pattern = dict(named_patterns())[name]
    keys = list(pattern.pattern.regex.groupindex)
    if not keys:
        return reverse(name)
    record = world[API_EXPECTED[next(k for k in API_EXPECTED if k[0] == name)][0]]
    return reverse(name, kwargs={keys[0]: record.slug if keys[0] == "slug" else record.pk})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_api_the_roles_table_allows(role, request, world, settings):
    settings.DOORSTROOM_API_RATE = "10000/minute"
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client, reader = _api_client(user), _api_client(user, scope="read")
    wrong = []
    for (name, method), (_target, allowed) in sorted(API_EXPECTED.items()):
        url = _api_url(name, world)
        status = getattr(client, method)(url, {}, format="json").status_code
        if role == "anonymous":
            ok = status == 401
        elif role not in allowed:
            ok = status == NOT_FOUND
        else:
            ok = status == OK if method == "get" else status in (400, 428)
            if method != "get" and name != "api:lookup-list":
                # A read-only key is refused every write (the look-up only reads).
                refused = getattr(reader, method)(url, {}, format="json").status_code
                ok = ok and refused == 403
        if not ok:
            wrong.append(f"{method.upper()} {name} {url}: {status}")
    assert not wrong, "\n".join(wrong)
