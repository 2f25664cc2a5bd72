"""Imports in bounded memory and time (issue 12, docs/security.md 12.1-12.3): a file over a limit of
imports/limits.py is refused with a Dutch message naming the limit, nothing imported, in the web pages
and in `import_records` alike. The hostile files are made small here by lowering the limits in the
settings; bench/hostile_imports.py makes them at the size of the issue and measures them."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bench.hostile_imports import xlsx_bytes
from common.identifiers import make_insz
from employees.models import Employee
from imports.models import ImportRun
from imports.services import import_file

INSZ = make_insz(datetime.date(1980, 5, 17), 21)
HEADER = "insz,first_name,last_name"
NOTHING = "Er werd niets geïmporteerd."


def bad_rows_csv(rows: int) -> bytes:
    """Employees whose INSZ is wrong on every row: one problem per row."""
    return (HEADER + "\n" + "".join(f"1234567{n:04d},An,Peeters\n" for n in range(rows))).encode()


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(result) -> str:
    """The one message of a file refused as a whole."""
    assert not result.ok and len(result.errors) == 1 and result.errors[0].row == 0, result.errors[:3]
    return result.errors[0].message


def run(content, name="werknemers.csv", kind="employees"):
    return import_file(kind=kind, content=content, file_name=name)


def upload(client, content, name):
    return client.post(reverse("imports:upload"), {"kind": "employees", "file": SimpleUploadedFile(name, content)})


def command(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_records", "employees", str(path), stderr=err)
    return str(raised.value), err.getvalue()


# --- 12.1: the errors kept are capped, and reading stops there ------------------------------------


def test_a_file_with_more_problems_than_the_cap_keeps_the_cap_and_says_there_are_more(db):
    result = run(bad_rows_csv(5_000))
    assert len(result.errors) == 1_000
    assert result.more_errors
    assert result.total < 5_000  # reading stopped at the cap: nothing would be imported anyway
    assert Employee.objects.count() == 0


def test_the_preview_stores_the_cap_and_the_page_and_report_say_there_are_more(client, administrator):
    client.force_login(administrator)
    upload(client, bad_rows_csv(1_200), "werknemers.csv")
    run_ = ImportRun.objects.get()
    assert run_.status == "rejected" and len(run_.errors) == 1_000 and run_.errors_truncated
    page = client.get(reverse("imports:preview", args=[run_.pk])).content.decode()
    assert "Alleen de eerste 1.000 problemen staan hier; het bestand heeft er meer." in page
    report = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:error_report", args=[run_.pk])).content))
    rows = list(report.active.iter_rows(values_only=True))
    assert len(rows) == 1 + 1_000 + 1  # header, the kept problems, the note
    assert "het bestand heeft er meer" in rows[-1][3]
    assert Employee.objects.count() == 0


def test_the_command_stops_at_the_cap_and_says_so(db, tmp_path, settings):
    settings.IMPORT_MAX_ERRORS = 10
    message, err = command(tmp_path, bad_rows_csv(50), "werknemers.csv")
    assert "Meer dan 10 fouten" in message
    assert "Alleen de eerste 10 problemen staan hier; het bestand heeft er meer." in err
    assert err.count("\n") == 11
    assert ImportRun.objects.get().errors_truncated and Employee.objects.count() == 0


def test_a_file_exactly_at_the_cap_is_not_said_to_have_more(db, settings):
    settings.IMPORT_MAX_ERRORS = 10
    result = run(bad_rows_csv(10))
    assert len(result.errors) == 10 and not result.more_errors


# --- CSV: rows, lines, cells ----------------------------------------------------------------------


def test_a_csv_with_an_over_long_line_is_refused(db):
    line = ",".join(["x"] * 60_000)  # 120,000 characters, each cell short
    message = refused(run(f"{HEADER}\n{INSZ},An,Peeters\n{line}\n".encode()))
    assert message.startswith("Rij 3 is langer dan 100.000 tekens") and NOTHING in message
    assert Employee.objects.count() == 0


def test_a_csv_with_a_cell_over_the_csv_field_limit_is_refused_not_a_server_error(db):
    message = refused(run(f'{HEADER}\n{INSZ},"{"a" * 140_000}",Peeters\n'.encode()))
    assert "Rij 2 is langer dan 100.000 tekens" in message


def test_a_quoted_cell_spanning_many_lines_is_counted_as_one_record(db, settings):
    settings.IMPORT_MAX_LINE_CHARS = 1_000
    many_lines = "\n".join(["abc"] * 500)  # 2,000 characters over 500 short lines
    message = refused(run(f'{HEADER}\n{INSZ},"{many_lines}",Peeters\n'.encode()))
    assert "Rij 2 is langer dan 1.000 tekens" in message


def test_a_csv_cell_over_excel_s_limit_is_refused(db):
    message = refused(run(f"{HEADER}\n{INSZ},{'a' * 32_768},Peeters\n".encode()))
    assert "Rij 2 bevat een cel van meer dan 32.767 tekens" in message


def test_a_csv_with_more_rows_than_the_limit_is_refused(db, settings):
    settings.IMPORT_MAX_ROWS = 5
    valid = "".join(f"{make_insz(datetime.date(1980, 5, 17), n)},An,Peeters\n" for n in range(1, 7))
    message = refused(run(f"{HEADER}\n{valid}".encode()))
    assert message.startswith("Het bestand heeft meer dan 5 rijen") and NOTHING in message
    assert Employee.objects.count() == 0
    assert run(f"{HEADER}\n{valid}".encode().rsplit(b"\n", 2)[0] + b"\n").ok  # five rows: imported


def test_csv_reading_is_unchanged_for_ordinary_files(db):
    # semicolons, a BOM, Windows-1252, quoted line breaks: as before
    text = f'\ufeffinsz;first_name;last_name\r\n{INSZ};"Ann\r\nMarie";Peeters\r\n'
    result = run(text.encode("utf-8"))
    assert result.ok and Employee.objects.get().first_name == "Ann\r\nMarie"
    assert run(f"{HEADER}\n{INSZ},Zoë,Peeters\n".encode("cp1252")).ok
    assert run(f"{HEADER}\n{INSZ},Zoë,Peeters\n".encode("utf-16")).ok


# --- 12.2 / 12.3: XLSX checked before openpyxl opens it ------------------------------------------


def test_an_xlsx_cell_over_excel_s_limit_is_refused(db):
    content = xlsx_bytes([HEADER.split(","), [INSZ, "a" * 40_000, "Peeters"]])
    message = refused(run(content, "werknemers.xlsx"))
    assert "bevat een tekst van meer dan 32.767 tekens" in message and NOTHING in message


def test_an_xlsx_inline_cell_over_the_limit_is_refused_before_parsing(db, settings):
    settings.IMPORT_MAX_XLSX_OTHER_PART_BYTES = 3_000  # the sheet is then scanned before openpyxl reads it
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        + "a" * 400_000
        + "</t></is></c></row></sheetData></worksheet>"
    )
    content = _replace_part(xlsx_bytes([["x"]]), "xl/worksheets/sheet1.xml", sheet, level=1)
    message = refused(run(content, "werknemers.xlsx"))
    assert "bevat een tekst van meer dan 32.767 tekens" in message


def test_an_xlsx_part_compressed_beyond_the_ratio_is_refused(db):
    # texts within a cell's limit, but so alike that the part is compressed about 1,000 times
    content = xlsx_bytes([HEADER.split(",")] + [[INSZ, f"{n}" + "b" * 30_000, "x"] for n in range(60)])
    message = refused(run(content, "werknemers.xlsx"))
    assert "is meer dan 200 keer samengedrukt" in message and NOTHING in message


def test_an_xlsx_part_over_the_unpacked_size_is_refused(db, settings):
    settings.IMPORT_MAX_XLSX_PART_BYTES = 50_000
    content = xlsx_bytes([HEADER.split(",")] + [[INSZ, f"Voornaam{n}", n] for n in range(3_000)])
    message = refused(run(content, "werknemers.xlsx"))
    assert "is uitgepakt groter dan 0,048 MB" in message and NOTHING in message


def test_an_xlsx_with_too_many_shared_strings_is_refused(db, settings):
    settings.IMPORT_MAX_SHARED_STRINGS = 100
    content = xlsx_bytes([HEADER.split(",")] + [[INSZ, f"Voornaam{n}", f"Achternaam{n}"] for n in range(60)])
    message = refused(run(content, "werknemers.xlsx"))
    assert message.startswith("De werkmap bevat meer dan 100 verschillende teksten") and NOTHING in message


def test_an_xlsx_whose_shared_strings_lie_about_their_count_is_still_counted(db, settings):
    settings.IMPORT_MAX_SHARED_STRINGS = 100
    content = xlsx_bytes([HEADER.split(",")] + [[INSZ, f"Voornaam{n}", f"Achternaam{n}"] for n in range(60)])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    strings = re.sub(r'(uniqueCount|count)="\d+"', r'\1="3"', strings)
    message = refused(run(_replace_part(content, "xl/sharedStrings.xml", strings), "werknemers.xlsx"))
    assert "meer dan 100 verschillende teksten" in message


def test_an_xlsx_claiming_the_widest_sheet_reads_only_its_cells(db):
    content = xlsx([HEADER.split(","), [INSZ, "An", "Peeters"]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet)
    result = run(_replace_part(content, "xl/worksheets/sheet1.xml", sheet), "werknemers.xlsx")
    assert result.ok and result.total == 1


def test_an_xlsx_with_more_rows_than_the_limit_is_refused(db, settings):
    settings.IMPORT_MAX_ROWS = 3
    content = xlsx_bytes(
        [HEADER.split(",")] + [[make_insz(datetime.date(1980, 5, 17), n), "An", "P"] for n in range(1, 5)]
    )
    assert refused(run(content, "werknemers.xlsx")).startswith("Het bestand heeft meer dan 3 rijen")


def test_a_refused_xlsx_is_refused_through_the_page_and_the_command(client, administrator, tmp_path):
    content = xlsx_bytes([HEADER.split(","), [INSZ, "a" * 40_000, "Peeters"]])
    client.force_login(administrator)
    response = upload(client, content, "werknemers.xlsx")
    run_ = ImportRun.objects.get()
    assert run_.status == "rejected" and len(run_.errors) == 1
    page = client.get(response.url).content.decode()
    assert "bevat een tekst van meer dan 32.767 tekens" in page
    message, err = command(tmp_path, content, "werknemers.xlsx")
    assert "bevat een tekst van meer dan 32.767 tekens" in err and "1 fout" in message
    assert Employee.objects.count() == 0


def test_an_ordinary_xlsx_still_imports(db):
    for content in (
        xlsx([HEADER.split(","), [INSZ, "An", "Peeters"]]),
        xlsx_bytes([HEADER.split(","), [INSZ, "An", "Peeters"]]),
    ):
        result = run(content, "werknemers.xlsx")
        assert result.ok and Employee.objects.get().last_name == "Peeters"


def _replace_part(content: bytes, name: str, text: str, level: int = 6) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in source.infolist():
            data = text.encode() if info.filename == name else source.read(info)
            target.writestr(info.filename, data)
    return buffer.getvalue()


def test_a_refused_file_is_not_kept_and_key_rotation_skips_it(db, tmp_path, settings):
    from cryptography.fernet import Fernet

    from imports.services import preview_run

    rejected = preview_run(kind="employees", content=bad_rows_csv(3), file_name="werknemers.csv", user=None)
    assert rejected.status == "rejected" and bytes(rejected.content) == b""
    command(tmp_path, bad_rows_csv(3), "werknemers.csv")
    assert [bytes(r.content) for r in ImportRun.objects.all()] == [b"", b""]
    good = f"{HEADER}\n{INSZ},An,Peeters\n".encode()
    kept = preview_run(kind="employees", content=good, file_name="werknemers.csv", user=None)
    settings.INSZ_KEYS = [Fernet.generate_key().decode(), *settings.INSZ_KEYS]
    call_command("rotate_insz_keys", stdout=io.StringIO())
    from common.crypto import decrypt_bytes

    kept.refresh_from_db()
    assert decrypt_bytes(kept.content) == good
