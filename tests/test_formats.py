"""Flemish formats, Dutch by default (issue 15, point 5) and forms a caseworker understands (point 6).

Dates dd/mm/yyyy on pages, forms and exports in both languages; amounts the Belgian way in Dutch;
the interface Dutch unless the user chose English, never the browser's language; one form of
address; labels that keep their capital; "— kies —" for an empty choice; no registration date
asked in casework forms; the confirmation of a save before the suggested next step.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import polib
import pytest
from django import forms
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from common.forms import style_form
from common.identifiers import make_insz
from common.numbers import amount, number
from employees.models import Employee
from evaluations.constants import ADVICE_READY
from evaluations.models import Advice, Evaluation
from tests import factories
from tests.test_i18n import CATALOGUES

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


# --- The language: the user's choice, never the browser's -------------------------------------------


def test_a_browser_set_to_english_still_gets_dutch(client, db):
    page = client.get(reverse("accounts:login"), **ENGLISH_BROWSER).content.decode()
    assert "Inloggen bij Doorstroom" in page
    assert "Log in to Doorstroom" not in page


def test_a_signed_in_user_with_an_english_browser_gets_dutch(client, evaluator):
    client.force_login(evaluator)
    response = client.get(reverse("home"), **ENGLISH_BROWSER)
    assert "Welkom" in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_the_language_switch_is_kept_for_the_user_on_every_device(client, evaluator):
    client.force_login(evaluator)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    evaluator.refresh_from_db()
    assert evaluator.language == "en"

    # Another browser, without the language cookie, in Dutch: the user's choice holds.
    other_device = Client(**ENGLISH_BROWSER)
    other_device.force_login(evaluator)
    assert "Welcome" in other_device.get(reverse("home")).content.decode()

    other_device.post(reverse("set_language"), {"language": "nl", "next": reverse("home")})
    evaluator.refresh_from_db()
    assert evaluator.language == "nl"
    fresh = Client()
    fresh.force_login(evaluator)
    assert "Welkom" in fresh.get(reverse("home")).content.decode()


def test_the_switch_before_signing_in_holds_until_the_user_chose(client, evaluator):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert "Log in to Doorstroom" in client.get(reverse("accounts:login")).content.decode()
    client.force_login(evaluator)
    assert "Welcome" in client.get(reverse("home")).content.decode()


def test_an_unknown_language_changes_nothing(client, evaluator):
    client.force_login(evaluator)
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    evaluator.refresh_from_db()
    assert evaluator.language == ""
    assert "Welkom" in client.get(reverse("home")).content.decode()


# --- Dates dd/mm/yyyy ----------------------------------------------------------------------------------

WRONG_DATE = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b(?!\d)")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_person_list_writes_every_date_dd_mm_yyyy(client, evaluator, language):
    factories.EmployeeFactory(
        last_name="Verhulst", birth_date=datetime.date(1984, 7, 6), registered_on=datetime.date(2015, 2, 11)
    )
    client.force_login(evaluator)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("employees:list")).content.decode()
    assert "06/07/1984" in page
    assert "11/02/2015" in page
    assert "11-2-2015" not in page and "02/11/2015" not in page


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("typed", ["06/07/1984", "6/7/1984", "06-07-1984", "1984-07-06"])
def test_a_date_typed_by_hand_is_read_day_first(language, typed):
    with translation.override(language):
        assert forms.DateField().clean(typed) == datetime.date(1984, 7, 6)


def test_a_two_digit_year_is_refused():
    with translation.override("nl"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("06/07/84")


def test_a_person_typed_with_a_hand_written_date_in_english_is_saved_day_first(client, evaluator):
    client.force_login(evaluator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    insz = make_insz(datetime.date(1984, 7, 6), 33)
    response = client.post(
        reverse("employees:create"),
        {"insz": insz, "first_name": "Lotte", "last_name": "Verhulst", "birth_date": "06/07/1984", "gender": "f"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    employee = Employee.objects.get(last_name="Verhulst")
    assert employee.birth_date == datetime.date(1984, 7, 6)


def test_date_fields_show_and_ask_dd_mm_yyyy_whatever_the_browser(client, evaluator):
    """The browser's date picker follows the browser's language (month first in English): a text field."""
    employee = factories.EmployeeFactory(birth_date=datetime.date(1984, 7, 6))
    client.force_login(evaluator)
    page = client.get(reverse("employees:update", args=[employee.pk]), **ENGLISH_BROWSER).content.decode()
    field = re.search(r'<input[^>]*name="birth_date"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'value="06/07/1984"' in field
    assert 'placeholder="dd/mm/jjjj"' in field and 'inputmode="numeric"' in field


def test_a_date_that_cannot_be_read_says_how_to_write_it(client, evaluator):
    client.force_login(evaluator)
    response = client.post(
        reverse("employees:create"),
        {"insz": "123", "first_name": "Lotte", "last_name": "Verhulst", "birth_date": "31/31/1984", "gender": "f"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Schrijf de datum als dd/mm/jjjj, bijvoorbeeld 06/07/1984." in page
    assert 'value="31/31/1984"' in page  # what was typed comes back to be corrected


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_list_exports_write_dates_dd_mm_yyyy(client, evaluator, export):
    factories.EmployeeFactory(
        last_name="Verhulst", birth_date=datetime.date(1984, 7, 6), registered_on=datetime.date(2015, 2, 11)
    )
    client.force_login(evaluator)
    response = client.get(reverse("employees:list"), {"_export": export})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert ["06/07/1984", "11/02/2015"] == [c for c in rows[1] if "/" in c]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [cell for cell in next(sheet.iter_rows(min_row=2)) if isinstance(cell.value, datetime.datetime)]
        assert [cell.value.date() for cell in cells] == [datetime.date(1984, 7, 6), datetime.date(2015, 2, 11)]
        assert {cell.number_format for cell in cells} == {"DD/MM/YYYY"}


# --- Numbers and amounts -----------------------------------------------------------------------------


def test_amounts_and_numbers_the_belgian_way_in_dutch():
    with translation.override("nl"):
        assert amount(Decimal("2016000")) == "€ 2.016.000,00"
        assert amount(Decimal("1234.56")) == "€ 1.234,56"
        assert number(1234) == "1.234"
        assert number(Decimal("1234.5"), 2) == "1.234,50"
    with translation.override("en"):
        assert amount(Decimal("2016000")) == "€ 2,016,000.00"


def test_the_grant_list_writes_amounts_the_belgian_way(client, administrator):
    factories.GrantFactory(esf_amount=Decimal("806400.00"), flemish_amount=Decimal("1209600.00"))
    client.force_login(administrator)
    page = client.get(reverse("partners:grant_list")).content.decode()
    assert "€ 806.400,00" in page and "€ 1.209.600,00" in page and "€ 2.016.000,00" in page


# --- One form of address, labels, empty choices --------------------------------------------------------


def test_the_dutch_catalogues_address_the_user_as_u():
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie|jezelf)\b", re.IGNORECASE)
    found = [
        (str(path), entry.msgstr)
        for path in CATALOGUES
        for entry in polib.pofile(str(path))
        if not entry.obsolete and informal.search(entry.msgstr)
    ]
    assert found == []


def test_the_code_page_says_u(client, administrator):
    client.force_login(administrator)
    session = client.session
    session.pop("otp_device_id", None)
    session.save()
    page = client.get(reverse("accounts:otp_verify")).content.decode()
    assert "uw authenticator-app" in page or "uw aanmelding" in page
    assert not re.search(r"\bje\b", page)


def test_labels_keep_their_capital_when_the_form_comes_back_with_errors(client, partner_staff):
    employee = factories.EmployeeFactory()
    factories.TrajectoryFactory(employee=employee, partner=partner_staff.organisation)
    client.force_login(partner_staff)
    response = client.post(
        reverse("employees:employment_create", args=[employee.pk]),
        {"employer": "Bestaat Niet Organisatie", "start_date": "01/02/2020"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "is-invalid" in page
    assert re.search(r'<label class="form-label" for="id_employer">Werkgever', page)
    assert not re.search(r'<label class="form-label" for="id_\w+">[a-z]', page)


def test_an_empty_choice_reads_kies(client, evaluator):
    client.force_login(evaluator)
    page = client.get(reverse("employees:create")).content.decode()
    assert "— kies —" in page
    assert "---------" not in page
    listing = client.get(reverse("evaluations:list")).content.decode()
    assert "---------" not in listing


# --- Forms a caseworker understands -------------------------------------------------------------------


def test_casework_forms_do_not_ask_the_registration_date(client, evaluator):
    employee = factories.EmployeeFactory()
    client.force_login(evaluator)
    for url in (reverse("employees:create"), reverse("evaluations:create", args=[employee.pk])):
        page = client.get(url).content.decode()
        assert 'name="registered_on"' not in page, url


def test_administrators_may_still_set_the_registration_date(client, administrator):
    client.force_login(administrator)
    assert 'name="registered_on"' in client.get(reverse("employees:create")).content.decode()


def test_a_record_saved_without_the_field_is_registered_on_the_day_of_entry(client, evaluator):
    employee = factories.EmployeeFactory()
    client.force_login(evaluator)
    response = client.post(
        reverse("evaluations:create", args=[employee.pk]),
        {
            "evaluation_date": "15/03/2019",
            "advice": Advice.objects.exclude(code=ADVICE_READY).first().pk,
            "office": "VDAB Gent",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Evaluation.objects.get().registered_on == datetime.date.today()


def test_the_confirmation_comes_before_the_suggested_next_step(client, evaluator):
    employee = factories.EmployeeFactory()
    client.force_login(evaluator)
    response = client.post(
        reverse("evaluations:create", args=[employee.pk]),
        {"evaluation_date": "15/03/2019", "advice": Advice.objects.get(code=ADVICE_READY).pk, "office": "VDAB Gent"},
    )
    assert response.status_code == 302
    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert [level for level, _text in shown] == ["success", "info"], shown


def test_the_default_language_is_dutch():
    assert settings.LANGUAGE_CODE == "nl"


def test_the_phase_dates_say_what_they_mean(client, partner_staff):
    trajectory = factories.TrajectoryFactory(partner=partner_staff.organisation)
    client.force_login(partner_staff)
    page = client.get(reverse("trajectories:update", args=[trajectory.pk])).content.decode()
    for name in ("voortraject_start", "jobmatching_start", "stage_start", "nazorg_start"):
        assert f'aria-describedby="id_{name}_helptext"' in page, name
        assert f'id="id_{name}_helptext"' in page, name
    assert "De dag waarop het voortraject begon" in page


def test_a_date_picker_of_an_app_form_becomes_the_dd_mm_yyyy_field():
    class Dates(forms.Form):
        as_of = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    form = style_form(Dates(initial={"as_of": datetime.date(2015, 2, 11)}))
    html = str(form["as_of"])
    assert html.count("type=") == 1 and 'type="text"' in html
    assert 'value="11/02/2015"' in html
