"""The list exports' XLSX writer (common/xlsx.py): what a spreadsheet program reads back from its files.

openpyxl reads the files here as Excel and LibreOffice would: values, their types, the dates' format.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from common.xlsx import column_letters, serial, sheet_name, write_sheet


def _written(rows, **options):
    output = io.BytesIO()
    write_sheet(output, rows, **options)
    output.seek(0)
    return output


def _read(output):
    workbook = openpyxl.load_workbook(output)
    sheet = workbook.active
    return workbook, sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_values_come_back_with_their_types():
    rows = [
        ["naam", "geboren", "moment", "aantal", "deel", "ja", "leeg", "bedrag"],
        [
            "Peeters",
            datetime.date(1984, 7, 6),
            datetime.datetime(2019, 12, 31, 23, 45),
            12,
            0.25,
            True,
            None,
            Decimal("806400.00"),
        ],
    ]
    _workbook, sheet, values = _read(_written(rows))
    assert values[0] == rows[0]
    name, born, moment, count, share, yes, empty, amount = values[1]
    assert (name, count, share, yes, empty) == ("Peeters", 12, 0.25, True, None)
    assert born == datetime.datetime(1984, 7, 6) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert moment == datetime.datetime(2019, 12, 31, 23, 45) and sheet["C2"].number_format == "DD/MM/YYYY HH:MM"
    assert amount == "806400.00"  # a Decimal is written as its text, as the former writer did


@pytest.mark.parametrize(
    "text",
    [
        "Müller & <Çelik>",
        " spaties rondom ",
        "twee\nregels",
        "aanhalings\"tekens'",
        "€ 1.234,56",
        "Zoë 👩‍🔧",
        "x" * 5000,
    ],
)
def test_text_comes_back_as_written(text):
    assert _read(_written([[text]]))[2] == [[text]]


def test_characters_xml_cannot_hold_are_left_out_and_then_the_guard_applies():
    guarded = _read(_written([["\x01=SUM(A1)", "a\x00b\x1fc"]], guard=lambda t: "'" + t if t[0] == "=" else t))[2]
    assert guarded == [["'=SUM(A1)", "abc"]]


def test_a_moment_is_made_local_first():
    moment = datetime.datetime(2019, 1, 1, 12, 0, tzinfo=datetime.UTC)
    local = _read(_written([[moment]], local=lambda m: m.replace(tzinfo=None) + datetime.timedelta(hours=1)))[2]
    assert local == [[datetime.datetime(2019, 1, 1, 13, 0)]]


def test_many_rows_and_columns_keep_their_places():
    rows = [[f"{row}-{column}" if (row + column) % 3 else None for column in range(30)] for row in range(1200)]
    _workbook, sheet, values = _read(_written(rows))
    assert values == rows
    assert sheet["AD1200"].value == rows[1199][29]


def test_the_sheet_name_is_one_a_spreadsheet_accepts():
    workbook, _sheet, _values = _read(_written([["a"]], title="Trajecten [2019]: a/b? *c* met een lange naam"))
    assert workbook.sheetnames == ["Trajecten 2019 ab c met een lan"]
    assert sheet_name("[]:*?/\\") == "Export"
    assert sheet_name("Tom & Jerry's") == "Tom & Jerry's"
    assert _read(_written([["a"]], title="Tom & Jerry"))[0].sheetnames == ["Tom & Jerry"]


def test_an_empty_export_is_a_valid_file():
    _workbook, _sheet, values = _read(_written([]))
    assert values in ([], [[None]])


def test_the_package_holds_the_parts_a_spreadsheet_program_needs():
    with zipfile.ZipFile(_written([["a"]])) as package:
        assert set(package.namelist()) == {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        }
        assert package.testzip() is None


def test_day_numbers_follow_the_1900_date_system():
    assert serial(datetime.date(1900, 1, 1)) == 1
    assert serial(datetime.date(1900, 2, 28)) == 59
    assert serial(datetime.date(1900, 3, 1)) == 61  # day 60 is the 29 February 1900 Excel counts
    assert serial(datetime.date(2019, 12, 31)) == 43830
    assert serial(datetime.datetime(2019, 12, 31, 18, 0)) == 43830.75


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
