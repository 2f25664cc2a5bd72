"""The Django admin: every registered model works for an administrator, and keeps others out.

The tests walk admin.site._registry, so that a newly registered model is
covered without writing a test for it.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from accounts.tokens import issue_token
from api.models import IdempotentRequest
from audit.models import AccessEvent
from common.models import RegisteredModel
from employees.models import AnonymisationRun
from evaluations.models import Referral
from imports.models import ImportRun
from people.models import DataQualitySnapshot
from tests import factories
from tests.url_walk import project_app_labels
from trajectories.models import JobFollowUp

PROJECT_APPS = project_app_labels()


@pytest.fixture
def one_of_everything(db):
    """At least one record of every model, made the way the application makes them."""
    _make_one_of_everything()


def _make_one_of_everything():
    internship = factories.InternshipFactory()
    factories.EmploymentFactory(employee=internship.trajectory.employee)
    followed = factories.EmploymentFactory(regular=True, ended=True)
    JobFollowUp.objects.create(
        employment=followed, mark=3, checked_on=followed.start_date + datetime.timedelta(days=100), still_in_work=True
    )
    evaluation = factories.EvaluationFactory(employee=internship.trajectory.employee)
    Referral.objects.create(
        evaluation=evaluation,
        employee=evaluation.employee,
        partner=internship.trajectory.partner,
        trajectory=internship.trajectory,
    )
    factories.GrantFactory(partner=internship.trajectory.partner)
    DataQualitySnapshot.objects.create(
        day=datetime.date(2019, 6, 3), organisation=internship.trajectory.partner, kind="esf_incomplete", count=1
    )
    pilot = factories.PilotFactory()
    pilot.organisations.add(internship.host)
    factories.TrajectoryFactory(ended=True)
    factories.UserFactory(organisation=internship.trajectory.partner)
    factories.CallFactory(number=f"9{factories.CallFactory._meta.model.objects.count():02d}")
    AccessEvent.objects.create(
        user=factories.UserFactory(), insz=evaluation.employee.insz, employee=evaluation.employee, action="insz_lookup"
    )
    AnonymisationRun.objects.create(run_by="test", retention_years=10, cutoff=datetime.date(2016, 1, 1), persons=0)
    ImportRun.objects.create(kind="employees", file_name="werknemers.csv", content=b"insz", status="previewed")
    # Background work (jobs/): a job of the user, its task in django-tasks' database queue, and an API key.
    owner = factories.UserFactory()
    factories.finished_job(owner, status="failed")
    DBTaskResult.objects.create(
        task_path="casework.tasks.export_list",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    issue_token(user=owner, name="Eigen systeem")
    IdempotentRequest.objects.create(user=owner, key="sleutel-1", fingerprint="f", status_code=201, body={})
    # Login protection (docs/security.md): a lock-out record, a failed and a successful login, a TOTP device.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone as tz

    from accounts.otp import give_confirmed_device, issue_enrolment_code

    someone = factories.UserFactory()
    now = tz.now()
    address = dict(ip_address="192.0.2.1", user_agent="pytest", http_accept="*/*", path_info="/gebruiker/aanmelden/")
    AccessAttempt.objects.create(
        username=someone.username, attempt_time=now, get_data="", post_data="", failures_since_start=1, **address
    )
    AccessFailureLog.objects.create(username=someone.username, attempt_time=now, locked_out=False, **address)
    AccessLog.objects.create(username=someone.username, attempt_time=now, **address)
    give_confirmed_device(someone)
    issue_enrolment_code(factories.UserFactory(is_staff=True), issued_by=someone)


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _ids(items):
    return [model._meta.label for model, _model_admin in items]


REGISTERED = _registered()


def test_every_model_of_the_project_is_in_the_admin_with_search_and_filters():
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            model_admin = admin.site._registry.get(model)
            assert model_admin is not None, f"{model._meta.label} is not in the admin"
            assert model_admin.search_fields, f"{model._meta.label} has no search fields"
            assert model_admin.list_filter, f"{model._meta.label} has no list filters"


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=_ids(REGISTERED))
def test_changelist_with_search_and_filter_answers_an_administrator(
    client, administrator, one_of_everything, model, model_admin
):
    client.force_login(administrator)
    url = _admin_url(model, "changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    assert client.get(url, {"q": "a"}).status_code == 200
    filter_specs = response.context["cl"].filter_specs
    if model_admin.list_filter:
        choices = [c for c in filter_specs[0].choices(response.context["cl"]) if not c["selected"]]
        assert choices, f"{model._meta.label}: the first filter offers no choice"
        filtered = client.get(url + choices[0]["query_string"])
        # An unknown filter redirects to ?e=1; a working one answers 200.
        assert filtered.status_code == 200, choices[0]["query_string"]


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=_ids(REGISTERED))
def test_add_and_change_pages_answer_an_administrator(client, administrator, one_of_everything, model, model_admin):
    client.force_login(administrator)
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"make a {model._meta.label} in one_of_everything"
    request = RequestFactory().get("/")
    request.user = administrator
    # Some records are only made by the application (an import run), never added by hand.
    expected_add = 200 if model_admin.has_add_permission(request) else 403
    assert client.get(_admin_url(model, "add")).status_code == expected_add
    assert client.get(_admin_url(model, "change", record.pk)).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=_ids(REGISTERED))
def test_admin_pages_send_a_non_staff_user_to_the_admin_login(
    client, partner_staff, one_of_everything, model, model_admin
):
    client.force_login(partner_staff)
    record = model._default_manager.order_by("pk").first()
    for url in (_admin_url(model, "changelist"), _admin_url(model, "add"), _admin_url(model, "change", record.pk)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


def test_admin_pages_are_in_dutch_by_default(client, administrator):
    client.force_login(administrator)
    response = client.get(_admin_url(apps.get_model("employees", "Employee"), "changelist"))
    assert "doelgroepwerknemer" in response.content.decode().lower()
    assert "Select employee to change" not in response.content.decode()


def test_derived_values_are_read_only_in_the_admin(client, administrator, one_of_everything):
    client.force_login(administrator)
    for label, field in [
        ("partners.Organisation", "province"),
        ("evaluations.Evaluation", "age_years"),
        ("trajectories.Trajectory", "age_years"),
    ]:
        model = apps.get_model(label)
        record = model._default_manager.first()
        response = client.get(_admin_url(model, "change", record.pk))
        assert field not in response.context["adminform"].form.fields, label
        assert field in admin.site._registry[model].get_readonly_fields(response.wsgi_request, record), label


# --- History of case records ---------------------------------------------------------


def _form_data(response):
    """The POST data an administrator sends back unchanged from an admin change page."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                data[key] = ""
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(getattr(v, "pk", v)) for v in value]
            elif isinstance(value, (datetime.date, datetime.datetime)):
                data[key] = value.isoformat()
            else:
                data[key] = str(getattr(value, "pk", value))

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


CASE_MODELS = sorted(
    (m for m in apps.get_models() if issubclass(m, RegisteredModel) and not m.__name__.startswith("Historical")),
    key=lambda m: m._meta.label,
)


@pytest.mark.parametrize("model", CASE_MODELS, ids=[m._meta.label for m in CASE_MODELS])
def test_a_change_through_the_admin_is_kept_with_who_when_and_what(client, administrator, one_of_everything, model):
    record = model._default_manager.order_by("pk").first()
    versions_before = record.history.count()
    client.force_login(administrator)
    url = _admin_url(model, "change", record.pk)
    data = _form_data(client.get(url))
    new_date = record.registered_on - datetime.timedelta(days=10)
    data["registered_on"] = new_date.isoformat()
    before = timezone.now()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert record.history.count() == versions_before + 1
    latest, previous = record.history.all()[:2]
    assert latest.history_type == "~"
    assert latest.history_user == administrator
    assert before <= latest.history_date <= timezone.now()
    delta = latest.diff_against(previous)
    assert delta.changed_fields == ["registered_on"]
    assert delta.changes[0].old == record.registered_on
    assert delta.changes[0].new == new_date
    # The admin's history page shows who changed the record.
    history_page = client.get(_admin_url(model, "history", record.pk))
    assert history_page.status_code == 200
    # The name as the page escapes it (a generated name such as D'hondt has an apostrophe).
    page = history_page.content.decode()
    assert escape(str(administrator)) in page or administrator.username in page


def test_a_post_that_changes_nothing_keeps_no_new_version_with_changes(client, administrator, one_of_everything):
    model = apps.get_model("evaluations", "Evaluation")
    record = model._default_manager.first()
    client.force_login(administrator)
    url = _admin_url(model, "change", record.pk)
    client.post(url, _form_data(client.get(url)))
    latest, previous = record.history.all()[:2]
    assert latest.diff_against(previous).changed_fields == []


def test_admin_finds_an_insz_typed_with_separators(client, administrator):
    wanted, other = factories.EmployeeFactory(), factories.EmployeeFactory()
    typed = f"{wanted.insz[:2]}.{wanted.insz[2:4]}.{wanted.insz[4:6]}-{wanted.insz[6:9]}.{wanted.insz[9:]}"
    client.force_login(administrator)
    # The admin's search box posts; the INSZ travels as a session token, never in the address.
    redirect = client.post(_admin_url(wanted.__class__, "changelist"), {"q": typed, "_insz_search": "1"})
    assert redirect.status_code == 302 and wanted.insz not in redirect["Location"]
    response = client.get(redirect["Location"])
    assert list(response.context["cl"].result_list) == [wanted]
    assert other not in response.context["cl"].result_list
    # Typed into the address bar instead: nothing is found.
    assert list(client.get(_admin_url(wanted.__class__, "changelist"), {"q": typed}).context["cl"].result_list) == []


def test_admin_finds_a_kbo_number_typed_as_on_a_letterhead(client, administrator):
    wanted, other = factories.OrganisationFactory(), factories.OrganisationFactory()
    typed = f"BE {wanted.kbo_number[:4]}.{wanted.kbo_number[4:7]}.{wanted.kbo_number[7:]}"
    client.force_login(administrator)
    response = client.get(_admin_url(wanted.__class__, "changelist"), {"q": typed})
    assert list(response.context["cl"].result_list) == [wanted]
    assert other not in response.context["cl"].result_list


def test_admin_is_named_after_the_application_in_dutch(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Doorstroom-beheer" in page
    assert "Django-websitebeheer" not in page


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=_ids(REGISTERED))
def test_changelist_queries_do_not_grow_with_the_rows(client, administrator, one_of_everything, model, model_admin):
    client.force_login(administrator)
    url = _admin_url(model, "changelist")
    client.get(url)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _round in range(3):
        _make_one_of_everything()
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert response.context["cl"].result_count > 1
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]


def test_admin_refuses_a_bad_insz_in_dutch_and_keeps_what_was_typed(client, administrator):
    model = apps.get_model("employees", "Employee")
    client.force_login(administrator)
    url = _admin_url(model, "add")
    data = _form_data(client.get(url))
    data.update({"insz": "85.07.30-033.27", "first_name": "An", "last_name": "Peeters", "registered_on": "2019-01-01"})
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "De controlecijfers van INSZ-nummer 85073003327 kloppen niet." in page
    assert 'value="85.07.30-033.27"' in page
    assert response.context["adminform"].form.errors.keys() == {"insz"}
    assert not model.objects.exists()

    data["insz"] = "85.07.30-033.28"
    assert client.post(url, data).status_code == 302
    assert model.objects.get().insz == "85073003328"


def test_admin_takes_a_kbo_number_typed_as_on_a_letterhead(client, administrator):
    model = apps.get_model("partners", "Organisation")
    client.force_login(administrator)
    url = _admin_url(model, "add")
    page = client.get(url).content.decode()
    assert 'maxlength="20"' in page
    data = _form_data(client.get(url))
    data.update(
        {"name": "Maatwerk Gent vzw", "kbo_number": "BE 0403.170.701", "kind": "se_employer", "postcode": "9000"}
    )
    assert client.post(url, data).status_code == 302
    assert model.objects.get().kbo_number == "0403170701"


# Reference tables that stay short (a few dozen rows at most): a filter may list their rows as links.
# Columns with few distinct values: a year, the sectors of the few sector pilots, the retention period of
# the anonymisation runs (the access-log branch's employees.AnonymisationRun).
FEW_VALUES = {
    ("partners.Grant", "year"),
    ("partners.Pilot", "sector"),
    ("employees.AnonymisationRun", "retention_years"),
}
SHORT_TABLES = {
    "partners.Call",
    "employees.Instrument",
    "evaluations.Advice",
    "evaluations.DeclineReason",
    "trajectories.EndReason",
    "auth.Group",
}


def _filter_target(model, field_path):
    field = None
    for part in field_path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    return field


OWN = [(model, model_admin) for model, model_admin in REGISTERED if model._meta.app_label in PROJECT_APPS]


@pytest.mark.parametrize(("model", "model_admin"), OWN, ids=_ids(OWN))
def test_no_admin_filter_lists_a_big_table_or_every_value_of_a_free_text_column(model, model_admin):
    """Issue 6: no filter renders more than 200 options. A filter of a foreign key lists every related
    row, and a filter of a text column every distinct value: only short reference tables and columns
    with choices, booleans and dates qualify; organisations, offices, sectors get a text box."""
    from django.db import models

    from common.admin_filters import TextListFilter

    for entry in model_admin.list_filter:
        if isinstance(entry, type) and issubclass(entry, (TextListFilter, admin.SimpleListFilter)):
            continue
        path = entry[0] if isinstance(entry, (tuple, list)) else entry
        if isinstance(entry, (tuple, list)) and entry[1] is admin.EmptyFieldListFilter:
            continue
        field = _filter_target(model, path)
        if field.is_relation:
            assert field.related_model._meta.label in SHORT_TABLES, f"{model._meta.label}: filter {path}"
        else:
            assert (
                field.choices
                or isinstance(field, (models.BooleanField, models.DateField, models.DateTimeField))
                or (model._meta.label, path) in FEW_VALUES
            ), f"{model._meta.label}: filter {path} lists every value"


def test_the_partner_text_filter_of_the_referrals_admin_keeps_the_other_filters(
    client, administrator, one_of_everything
):
    referral = Referral.objects.select_related("partner").first()
    other = Referral.objects.create(
        evaluation=referral.evaluation,
        employee=referral.employee,
        partner=factories.PartnerFactory(name="Zonnewerk vzw"),
    )
    client.force_login(administrator)
    url = _admin_url(Referral, "changelist")
    response = client.get(url, {"partner_name": "zonnewerk", "status": other.status})
    assert response.status_code == 200
    assert [r.pk for r in response.context["cl"].result_list] == [other.pk]
    page = response.content.decode()
    assert 'name="partner_name" value="zonnewerk"' in page
    assert f'<input type="hidden" name="status" value="{other.status}">' in page  # typing keeps the other filters
    assert "<option" not in page.split('id="changelist-filter"')[1].split("</nav>")[0]
