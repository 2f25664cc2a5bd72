"""The INSZ as personal data (docs/security.md 3.1-3.3): encrypted at rest and found through a keyed
hash, never in a URL or a log line, masked in lists and exports for the roles that do not need it."""

import csv
import datetime
import hashlib
import hmac
import io
import logging
import re

import openpyxl
import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts.access import insz_for_list, mask_insz, sees_full_insz
from audit.models import AccessEvent
from common.crypto import decrypt_bytes, decrypt_insz, insz_digest
from common.history import record_migrated_records
from common.identifiers import make_insz
from common.logging import RedactINSZFilter
from employees.models import Employee
from imports.services import preview_run
from people.services import person_lookup
from tests import factories

NUMBER = make_insz(datetime.date(1985, 7, 30), 33)  # 85073003328


def _spellings(number):
    """Every way the number can be written: compact, with dots and dashes, with spaces."""
    n = number
    return {n, f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}", f"{n[:6]} {n[6:9]} {n[9:]}", f"{n[:6]}-{n[6:9]}-{n[9:]}"}


def _all_cells(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- 3.2 Encrypted at rest, found through a keyed hash -------------------------------------------------


@pytest.mark.django_db
def test_no_table_holds_the_clear_insz_not_even_history_or_the_lookup_log():
    person = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    person.first_name = "Gewijzigd"
    person.save()  # a second history row
    person_lookup(user=factories.UserFactory(), insz=NUMBER)
    preview_run(
        kind="employees",
        content=f"insz,first_name,last_name\n{NUMBER},An,Peeters\n".encode(),
        file_name="werknemers.csv",
        user=None,
    )
    for table in (
        "employees_employee",
        Employee.history.model._meta.db_table,
        "employees_accessevent",
        "imports_importrun",
    ):
        cells = _all_cells(table)
        assert cells, table
        assert NUMBER not in cells, f"clear INSZ in {table}"
    stored = Employee.objects.values("insz_encrypted", "insz_digest").get(pk=person.pk)
    expected = hmac.new(settings.INSZ_HASH_KEY.encode(), NUMBER.encode(), hashlib.sha256).hexdigest()
    assert stored["insz_digest"] == expected
    assert Fernet(settings.INSZ_KEYS[0]).decrypt(stored["insz_encrypted"].encode()).decode() == NUMBER
    assert set(person.history.values_list("insz_digest", flat=True)) == {expected}


@pytest.mark.django_db
def test_with_insz_finds_the_person_however_the_number_is_typed():
    person = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    factories.EmployeeFactory()
    for typed in _spellings(NUMBER):
        assert list(Employee.objects.with_insz(typed)) == [person], typed
    assert not Employee.objects.with_insz(NUMBER[:6]).exists()
    assert not Employee.objects.with_insz("").exists()
    assert Employee.objects.get(pk=person.pk).insz == NUMBER


@pytest.mark.django_db
def test_saving_the_same_number_again_keeps_its_token_and_records_no_change():
    person = factories.EmployeeFactory()
    token = person.insz_encrypted
    reloaded = Employee.objects.get(pk=person.pk)
    reloaded.insz = person.insz
    assert reloaded.insz_encrypted == token
    reloaded.insz = make_insz(datetime.date(1990, 1, 1), 5)
    assert reloaded.insz_encrypted != token and reloaded.insz_digest != person.insz_digest


@pytest.mark.django_db
def test_clearing_the_insz_empties_both_columns_for_anonymisation():
    first, second = factories.EmployeeFactory(), factories.EmployeeFactory()
    for person in (first, second):
        person.insz = ""
        person.save()
    assert Employee.objects.filter(insz_digest__isnull=True, insz_encrypted__isnull=True).count() == 2
    assert Employee.objects.get(pk=first.pk).insz == ""


@pytest.mark.django_db
def test_the_form_refuses_a_duplicate_found_through_the_digest_in_dutch(client, evaluator):
    existing = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    client.force_login(evaluator)
    typed = f"{NUMBER[:2]}.{NUMBER[2:4]}.{NUMBER[4:6]}-{NUMBER[6:9]}.{NUMBER[9:]}"
    response = client.post(
        reverse("employees:create"),
        {
            "insz": typed,
            "first_name": "Kopie",
            "last_name": "Persoon",
            "registered_on": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["insz"] == [
        f"Er bestaat al een doelgroepwerknemer met INSZ-nummer {NUMBER}."
    ]
    assert Employee.objects.count() == 1 and existing.pk


@pytest.mark.django_db
def test_the_birth_date_must_still_match_the_insz(client, evaluator):
    client.force_login(evaluator)
    response = client.post(
        reverse("employees:create"),
        {
            "insz": NUMBER,
            "first_name": "An",
            "last_name": "Peeters",
            "birth_date": "1985-07-31",
            "registered_on": "2020-01-01",
        },
    )
    assert "30/07/1985" in " ".join(response.context["form"].errors["birth_date"])
    assert not Employee.objects.exists()


@pytest.mark.django_db
def test_rotate_insz_keys_reencrypts_with_the_new_first_key(settings):
    person = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    person_lookup(user=factories.UserFactory(), insz=NUMBER)
    content = f"insz,first_name,last_name\n{NUMBER},An,Peeters\n".encode()
    run = preview_run(kind="employees", content=content, file_name="werknemers.csv", user=None)
    old_key, new_key = settings.INSZ_KEYS[0], Fernet.generate_key().decode()
    settings.INSZ_KEYS = [new_key, old_key]
    call_command("rotate_insz_keys", stdout=io.StringIO())
    settings.INSZ_KEYS = [new_key]  # the old key can go now
    assert Employee.objects.get(pk=person.pk).insz == NUMBER
    assert AccessEvent.objects.get().insz == NUMBER
    run.refresh_from_db()
    assert decrypt_bytes(run.content) == content
    for token in Employee.history.model.objects.values_list("insz_encrypted", flat=True):
        assert decrypt_insz(token) == NUMBER
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(token.encode())


@pytest.mark.django_db
def test_rotate_insz_keys_rehashes_with_a_new_hash_key(settings, monkeypatch):
    person = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    new_hash_key = "a-new-hash-key-of-at-least-32-characters!"
    monkeypatch.setenv("DOORSTROOM_INSZ_NEW_HASH_KEY", new_hash_key)
    call_command("rotate_insz_keys", "--rehash", stdout=io.StringIO())
    assert not Employee.objects.with_insz(NUMBER).exists()  # the old key finds no one any more
    settings.INSZ_HASH_KEY = new_hash_key
    assert list(Employee.objects.with_insz(NUMBER)) == [person]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_persons_their_history_and_lookups():
    before, after = [("employees", "0005_access_log_and_retention")], [("employees", "0008_drop_clear_insz")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        now = timezone.now()
        person = old.get_model("employees", "Employee").objects.create(
            insz=NUMBER, first_name="Oud", last_name="Record", registered_on=datetime.date(2018, 1, 1)
        )
        old.get_model("employees", "HistoricalEmployee").objects.create(
            id=person.pk,
            insz=NUMBER,
            first_name="Oud",
            last_name="Record",
            registered_on=datetime.date(2018, 1, 1),
            created_at=person.created_at,
            updated_at=person.updated_at,
            history_date=now,
            history_type="+",
            gender="",
        )
        user = old.get_model("accounts", "User").objects.create(username="kijker")
        old.get_model("employees", "AccessEvent").objects.create(
            user=user, action="insz_lookup", insz=NUMBER, employee=person
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        for table in ("employees_employee", "employees_historicalemployee", "employees_accessevent"):
            assert NUMBER not in _all_cells(table), table
        migrated = executor.loader.project_state(after).apps
        for name in ("Employee", "HistoricalEmployee", "AccessEvent"):
            row = migrated.get_model("employees", name).objects.get()
            assert (decrypt_insz(row.insz_encrypted), row.insz_digest) == (NUMBER, insz_digest(NUMBER)), name
        # And back: the clear number returns where it was.
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        assert (
            executor.loader.project_state(before).apps.get_model("employees", "Employee").objects.get().insz == NUMBER
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        # As `migrate` does after the migrations (post_migrate): the rows that data migrations seeded
        # again, when the way back unapplied them, get their history row.
        record_migrated_records()


# --- 3.1 Never in a URL or a log line ----------------------------------------------------------------

URL_ATTRIBUTES = re.compile(r'(?:href|action|src|formaction)\s*=\s*"([^"]*)"')


class _Walk:
    """Every address the browser would see or send: request paths with their query, redirects, links."""

    def __init__(self, client, number):
        self.client, self.spellings, self.addresses = client, _spellings(number), []

    def _see(self, method, url, response):
        self.addresses.append(f"{method} {url}")
        if "Location" in response:
            self.addresses.append(f"Location {response['Location']}")
        if response.get("Content-Type", "").startswith("text/html"):
            self.addresses.extend(URL_ATTRIBUTES.findall(_body(response).decode()))
        return response

    def get(self, url, params=None):
        response = self.client.get(url, params or {})
        query = response.wsgi_request.META.get("QUERY_STRING", "")
        return self._see("GET", f"{url}?{query}", response)

    def post(self, url, data):
        return self._see("POST", url, self.client.post(url, data))

    def follow(self, response):
        location = response["Location"]
        path, _sep, query = location.partition("?")
        return self.get(path, dict(pair.split("=", 1) for pair in query.split("&") if pair) if query else None)

    def export_links(self, response):
        return [
            link.replace("&amp;", "&")
            for link in URL_ATTRIBUTES.findall(_body(response).decode())
            if "_export=" in link
        ]

    def leaks(self):
        return [address for address in self.addresses if any(s in address for s in self.spellings)]


def _quiet_sql():
    logging.getLogger("django.db.backends").setLevel(logging.WARNING)


@pytest.mark.django_db
def test_casework_with_an_insz_puts_it_in_no_url_and_no_log_record(
    client, caplog, evaluator, partner_staff, partner, administrator
):
    caplog.set_level(logging.DEBUG)
    _quiet_sql()
    dotted = f"{NUMBER[:2]}.{NUMBER[2:4]}.{NUMBER[4:6]}-{NUMBER[6:9]}.{NUMBER[9:]}"

    # An evaluator registers the person, searches the list by INSZ and exports what was found.
    client.force_login(evaluator)
    walk = _Walk(client, NUMBER)
    created = walk.post(
        reverse("employees:create"),
        {
            "insz": dotted,
            "first_name": "Zoë",
            "last_name": "Zoekmans",
            "birth_date": "1985-07-30",
            "registered_on": "2020-01-01",
        },
    )
    assert created.status_code == 302
    person = Employee.objects.with_insz(NUMBER).get()
    walk.get(created["Location"])
    found = walk.follow(walk.post(reverse("employees:list"), {"q": dotted, "gender": ""}))
    assert "Zoekmans" in found.content.decode()
    exports = walk.export_links(found)
    assert len(exports) == 2
    for link in exports:
        export = walk.get(reverse("employees:list"), dict(p.split("=", 1) for p in link.lstrip("?").split("&")))
        assert export["Content-Type"].startswith("application/vnd") or NUMBER in _body(export).decode()
    sorted_page = walk.get(
        reverse("employees:list"),
        {
            **dict(p.split("=", 1) for p in exports[0].lstrip("?").split("&") if not p.startswith("_export")),
            "sort": "last_name",
        },
    )
    assert "Zoekmans" in sorted_page.content.decode()
    factories.EvaluationFactory(employee=person)
    evaluations = walk.follow(walk.post(reverse("evaluations:list"), {"q": NUMBER}))
    assert "Zoekmans" in evaluations.content.decode()

    # A partner looks the person up and searches their lists by INSZ.
    client.force_login(partner_staff)
    looked_up = walk.post(reverse("employees:lookup"), {"insz": dotted})
    assert looked_up.status_code == 200 and "Zoekmans" in looked_up.content.decode()
    walk.follow(walk.post(reverse("trajectories:list"), {"q": NUMBER}))

    # An administrator searches the admin and the look-up log.
    client.force_login(administrator)
    admin_list = reverse("admin:employees_employee_changelist")
    result = walk.follow(walk.post(admin_list, {"q": dotted, "_insz_search": "1"}))
    assert list(result.context["cl"].result_list) == [person]
    walk.follow(walk.post(reverse("employees:access_log"), {"q": NUMBER}))
    walk.get(reverse("admin:audit_accessevent_changelist"))

    assert len(walk.addresses) > 30
    assert walk.leaks() == []
    logged = [record.getMessage() for record in caplog.records]
    assert logged, "the walk should have logged something (a 302, a 404...) to make this check mean something"
    assert not [message for message in logged if any(s in message for s in _spellings(NUMBER))]


@pytest.mark.django_db
def test_a_search_of_a_name_and_an_insz_keeps_both_out_of_the_address_and_applies_both(client, evaluator):
    person = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER, last_name="Zoekmans")
    namesake = factories.EmployeeFactory(last_name="Zoekmans")
    client.force_login(evaluator)
    redirect = client.post(reverse("employees:list"), {"q": f"zoekmans {NUMBER[:6]} {NUMBER[6:9]} {NUMBER[9:]}"})
    assert not any(s in redirect["Location"] for s in _spellings(NUMBER)) and "zoekmans" not in redirect["Location"]
    page = client.get(redirect["Location"]).content.decode()
    assert reverse("employees:detail", args=[person.pk]) in page
    assert reverse("employees:detail", args=[namesake.pk]) not in page


@pytest.mark.django_db
def test_an_insz_in_a_get_address_is_not_acted_on(client, evaluator):
    person = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    other = factories.EmployeeFactory()
    client.force_login(evaluator)
    response = client.get(reverse("employees:list"), {"q": NUMBER})
    page = response.content.decode()
    assert str(other.last_name) in page  # the search was not applied
    assert "zoekvak" in " ".join(str(m) for m in response.context["messages"])
    assert person.pk


def test_every_log_handler_carries_the_redaction_filter():
    filters = settings.LOGGING["filters"]
    redacting = {name for name, spec in filters.items() if spec.get("()") == "common.logging.RedactINSZFilter"}
    assert redacting
    for name, handler in settings.LOGGING["handlers"].items():
        assert redacting & set(handler.get("filters", [])), name
    # Every handler the settings installed, on every logger: pytest's own capture handlers aside, and the
    # NullHandlers that libraries put on their loggers (they write nothing anywhere).
    installed = {
        handler
        for logger in [logging.getLogger(), *logging.root.manager.loggerDict.values()]
        for handler in getattr(logger, "handlers", [])
        if not type(handler).__module__.startswith("_pytest") and type(handler) is not logging.NullHandler
    }
    assert installed
    assert [h for h in installed if not any(isinstance(f, RedactINSZFilter) for f in h.filters)] == []


@pytest.mark.parametrize("spelling", sorted(_spellings(NUMBER)))
def test_the_log_filter_redacts_an_insz_in_message_arguments_and_traceback(spelling):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactINSZFilter())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Not Found: /persons/?q=%s", spelling)
        logger.warning(f"inline {spelling} and a number %d", 3)
        try:
            raise ValueError(f"bad value {spelling}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert spelling not in written and NUMBER not in written
    assert written.count("[INSZ]") == 3 and "a number 3" in written
    assert "KBO 0403170701" in _redacted("KBO 0403170701")  # ten digits are no INSZ


def _redacted(text):
    from common.logging import redact

    return redact(text)


# --- 3.3 Masked in lists and exports except for the roles that need it ----------------------------------


def test_the_rule_per_role(evaluator, partner_staff, administrator, analyst):
    assert (sees_full_insz(administrator), sees_full_insz(evaluator), sees_full_insz(partner_staff)) == (
        True,
        True,
        False,
    )
    assert sees_full_insz(analyst) is False
    assert insz_for_list(partner_staff, NUMBER) == "••.••.••-•••.28" == mask_insz(NUMBER)
    assert insz_for_list(analyst, NUMBER) == ""
    assert insz_for_list(evaluator, NUMBER) == NUMBER


def _csv(client, url, params=None):
    response = client.get(url, {**(params or {}), "_export": "csv"})
    return list(csv.reader(io.StringIO(_body(response).decode())))


def _xlsx(client, url):
    response = client.get(url, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response)), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown"), [("evaluator", "full"), ("administrator", "full"), ("partner_staff", "masked")]
)
def test_person_list_and_export_show_the_insz_by_role(role, shown, request, client, partner):
    user = request.getfixturevalue(role)
    person = factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    factories.TrajectoryFactory(employee=person, partner=partner)
    client.force_login(user)
    expected = NUMBER if shown == "full" else "••.••.••-•••.28"
    page = client.get(reverse("employees:list")).content.decode()
    assert expected in page
    rows = _csv(client, reverse("employees:list"))
    column = rows[0].index("INSZ-nummer")
    assert [row[column] for row in rows[1:]] == [expected]
    assert [row[column] for row in _xlsx(client, reverse("employees:list"))[1:]] == [expected]
    if shown == "masked":
        assert NUMBER not in page
        # The person's page shows the whole number to those who may open it.
        assert NUMBER in client.get(reverse("employees:detail", args=[person.pk])).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [("administrator", "full"), ("partner_staff", "masked")])
def test_trajectory_list_and_export_show_the_insz_by_role(role, shown, request, client, partner):
    user = request.getfixturevalue(role)
    trajectory = factories.TrajectoryFactory(partner=partner)
    number = trajectory.employee.insz
    expected = number if shown == "full" else mask_insz(number)
    client.force_login(user)
    assert expected in client.get(reverse("trajectories:list")).content.decode()
    rows = _csv(client, reverse("trajectories:list"))
    assert [row[rows[0].index("INSZ-nummer")] for row in rows[1:]] == [expected]
    detail = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert expected in detail and (shown == "full" or number not in detail)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [("evaluator", "full"), ("administrator", "full")])
def test_evaluation_list_and_export_show_the_insz_to_who_needs_it(role, shown, request, client):
    user = request.getfixturevalue(role)
    evaluation = factories.EvaluationFactory()
    client.force_login(user)
    rows = _csv(client, reverse("evaluations:list"))
    assert [row[rows[0].index("INSZ-nummer")] for row in rows[1:]] == [evaluation.employee.insz]


@pytest.mark.django_db
def test_analysts_reach_no_list_with_an_insz(client, analyst):
    factories.TrajectoryFactory()
    client.force_login(analyst)
    for name in ("employees:list", "trajectories:list", "evaluations:list", "employees:access_log"):
        assert client.get(reverse(name), {"_export": "csv"}).status_code == 404, name


@pytest.mark.django_db
def test_admin_changelist_masks_for_a_role_without_the_full_number(rf, administrator, partner_staff):
    from django.contrib import admin

    from employees.models import Employee as Model

    factories.EmployeeFactory(birth_date=datetime.date(1985, 7, 30), insz=NUMBER)
    model_admin = admin.site._registry[Model]
    for user, expected in ((administrator, NUMBER), (partner_staff, "••.••.••-•••.28")):
        request = rf.get("/")
        request.user = user
        column = next(c for c in model_admin.get_list_display(request) if callable(c))
        assert column(Model.objects.get()) == expected


@pytest.mark.django_db
def test_the_history_page_shows_an_insz_change_as_numbers_not_tokens(client, administrator):
    person = factories.EmployeeFactory(birth_date=None, insz=make_insz(None, 15))
    old = person.insz
    client.force_login(administrator)
    edit = client.get(reverse("employees:update", args=[person.pk]))
    data = {**edit.context["form"].initial, "insz": make_insz(None, 17), "registered_on": "2018-01-01"}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    assert client.post(reverse("employees:update", args=[person.pk]), data).status_code == 302
    page = client.get(reverse("employees:history", args=[person.pk])).content.decode()
    assert old in page and make_insz(None, 17) in page
    assert "gAAAAA" not in page  # no Fernet token, no digest column shown
    assert person.insz_digest not in page
