"""The import pages per role: upload, preview with errors, confirm, error report download."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.identifiers import make_insz
from employees.models import Employee
from imports.models import ImportRun
from tests import factories
from tests.conftest import security_queries

INSZ = make_insz(datetime.date(1980, 5, 17), 21)
GOOD = f"insz,first_name,last_name\n{INSZ},An,Peeters\n".encode()
BAD = b"insz,first_name,last_name\n12345678901,An,Peeters\n"


def upload(client, kind, content, name="file.csv"):
    return client.post(reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("role", ["administrator", "evaluator"])
def test_upload_preview_and_confirm_imports_the_kept_file(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = upload(client, "employees", GOOD)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:preview", args=[run.pk])
    assert Employee.objects.count() == 0  # the preview writes nothing
    page = client.get(response.url)
    assert "Import bevestigen" in page.content.decode()
    client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.rows_created, run.user) == ("imported", 1, user)
    assert Employee.objects.get().insz == INSZ
    assert Employee.objects.get().history.get().history_user == user


def test_confirming_twice_imports_once(client, administrator):
    client.force_login(administrator)
    upload(client, "employees", GOOD)
    run = ImportRun.objects.get()
    client.post(reverse("imports:confirm", args=[run.pk]))
    client.post(reverse("imports:confirm", args=[run.pk]))
    assert Employee.objects.count() == 1 and Employee.history.count() == 1


def test_preview_shows_every_error_and_offers_no_confirmation(client, administrator):
    client.force_login(administrator)
    response = upload(client, "employees", BAD)
    page = client.get(response.url).content.decode()
    assert "[INSZ]" in page and "insz" in page  # the refused number itself is not kept (docs/security.md 3.2)
    assert "12345678901" not in page
    assert "Import bevestigen" not in page
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    client.post(reverse("imports:confirm", args=[run.pk]))
    assert Employee.objects.count() == 0


def test_error_report_downloads_as_xlsx_with_row_column_value_and_message(client, administrator):
    client.force_login(administrator)
    upload(client, "employees", BAD)
    run = ImportRun.objects.get()
    response = client.get(reverse("imports:error_report", args=[run.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("rij", "kolom", "waarde", "melding")
    # A refused INSZ (often a typo of a real one) is not kept in clear: row and column say where to correct it.
    assert rows[1][:3] == (2, "insz", "[INSZ]")
    assert "12345678901" not in str(ImportRun.objects.values_list("errors", flat=True).get())


def test_error_report_of_a_clean_file_does_not_exist(client, administrator):
    client.force_login(administrator)
    upload(client, "employees", GOOD)
    run = ImportRun.objects.get()
    assert client.get(reverse("imports:error_report", args=[run.pk])).status_code == 404


def test_analyst_gets_404_on_every_import_page(client, analyst, administrator):
    run = ImportRun.objects.create(
        user=administrator, kind="employees", file_name="x.csv", content=BAD, status="rejected"
    )
    client.force_login(analyst)
    assert client.get(reverse("imports:upload")).status_code == 404
    assert client.get(reverse("imports:preview", args=[run.pk])).status_code == 404
    assert client.get(reverse("imports:error_report", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 404


def test_evaluator_may_not_upload_organisations(client, evaluator):
    client.force_login(evaluator)
    response = upload(client, "organisations", b"kbo_number,name,kind\n")
    assert response.status_code == 200 and ImportRun.objects.count() == 0
    assert "kind" in response.context["form"].errors


def test_partner_staff_may_upload_trajectories_but_not_employees(client, partner_staff):
    client.force_login(partner_staff)
    assert upload(client, "employees", GOOD).status_code == 200
    content = (
        f"insz,partner_kbo,call_number,start_date\n{INSZ},{partner_staff.organisation.kbo_number},432,2019-04-01\n"
    )
    assert upload(client, "trajectories", content.encode()).status_code == 302


def test_partner_staff_row_for_another_partner_is_reported_as_not_theirs(client, partner_staff, other_partner):
    person = factories.EmployeeFactory()
    factories.TrajectoryFactory(employee=person, partner=partner_staff.organisation)
    client.force_login(partner_staff)
    content = f"insz,partner_kbo,call_number,start_date\n{person.insz},{other_partner.kbo_number},432,2019-04-01\n"
    upload(client, "trajectories", content.encode())
    run = ImportRun.objects.get()
    assert [(e["row"], e["column"]) for e in run.errors] == [(2, "partner_kbo")]
    assert "Niet uw organisatie" in run.errors[0]["message"]


def test_partner_staff_cannot_open_another_users_run(client, partner_staff, other_partner_staff):
    client.force_login(other_partner_staff)
    content = f"insz,partner_kbo,call_number,start_date\n{INSZ},{other_partner_staff.organisation.kbo_number},432,2019-04-01\n"
    upload(client, "trajectories", content.encode())
    run = ImportRun.objects.get()
    client.force_login(partner_staff)
    assert client.get(reverse("imports:preview", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 404


def test_upload_page_lists_only_the_kinds_of_the_role(client, evaluator):
    client.force_login(evaluator)
    response = client.get(reverse("imports:upload"))
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
    assert kinds == ["employees", "evaluations"]


def test_upload_page_has_a_bounded_number_of_queries(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    for _n in range(5):
        upload(client, "employees", BAD)
    with django_assert_max_num_queries(8 + security_queries("administrator")):
        client.get(reverse("imports:upload"))
