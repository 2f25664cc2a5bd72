"""Each kind's downloadable template: derived from its columns, and its example row imports."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.constants import ImportStatus
from imports.kinds import IMPORT_ORDER, KINDS
from imports.models import ImportRun
from imports.services import import_file


def template(client, kind, fmt):
    return client.get(reverse("imports:template", kwargs={"kind": kind, "fmt": fmt}))


def workbook_of(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("kind", IMPORT_ORDER)
def test_the_xlsx_template_has_the_header_an_example_and_a_sheet_describing_every_column(client, administrator, kind):
    client.force_login(administrator)
    response = template(client, kind, "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{kind}-sjabloon.xlsx"'
    book = workbook_of(response)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == KINDS[kind].column_names
    assert len(rows) == 2
    described = list(book.worksheets[1].iter_rows(values_only=True))
    assert described[0] == ("kolom", "verplicht", "formaat", "toegelaten waarden", "beschrijving")
    assert [r[0] for r in described[1:]] == KINDS[kind].column_names
    assert all(r[4] for r in described[1:]), "every column has a description"


def test_the_description_sheet_lists_the_allowed_values_and_the_format(client, administrator):
    client.force_login(administrator)
    described = {
        r[0]: r for r in workbook_of(template(client, "employees", "xlsx")).worksheets[1].iter_rows(values_only=True)
    }
    assert described["gender"][1:4] == ("nee", "tekst", "m, f, x")
    assert described["insz"][1] == "ja"
    assert described["birth_date"][2] == "datum: DD/MM/JJJJ of JJJJ-MM-DD"


@pytest.mark.parametrize("kind", IMPORT_ORDER)
def test_the_csv_template_is_the_header(client, administrator, kind):
    client.force_login(administrator)
    response = template(client, kind, "csv")
    assert response.content.decode() == ",".join(KINDS[kind].column_names) + "\n"


def test_the_example_rows_import_without_error_in_order(client, administrator):
    """Each example refers to the records of the kinds before it: imported in order, each previews clean."""
    client.force_login(administrator)
    for kind in IMPORT_ORDER:
        content = template(client, kind, "xlsx").content
        upload = SimpleUploadedFile(f"{kind}.xlsx", content)
        client.post(reverse("imports:upload"), {"kind": kind, "file": upload})
        run = ImportRun.objects.latest("pk")
        assert (run.kind, run.errors, run.status) == (kind, [], ImportStatus.PREVIEWED)
        assert run.rows_created == 1
        result = import_file(kind=kind, content=content, file_name=f"{kind}.xlsx", user=administrator)
        assert result.ok and result.created == 1


def test_the_upload_page_links_the_templates_of_the_role_only(client, partner_staff):
    client.force_login(partner_staff)
    page = client.get(reverse("imports:upload")).content.decode()
    assert reverse("imports:template", kwargs={"kind": "trajectories", "fmt": "xlsx"}) in page
    assert reverse("imports:template", kwargs={"kind": "trajectories", "fmt": "csv"}) in page
    assert "/import/sjabloon/employees" not in page


@pytest.mark.parametrize(("kind", "status"), [("trajectories", 200), ("employees", 404), ("grants", 404)])
def test_partner_staff_get_only_the_templates_they_may_import(client, partner_staff, kind, status):
    client.force_login(partner_staff)
    assert template(client, kind, "xlsx").status_code == status


def test_an_unknown_kind_or_format_is_not_found(client, administrator):
    client.force_login(administrator)
    assert template(client, "persons", "xlsx").status_code == 404
    assert template(client, "employees", "pdf").status_code == 404
