"""An import looks rows up in batches (issue 17): its number of queries does not grow with the rows of a
file, and a chunk's write, paused while the next chunk is read (imports.services._write), leaves every
record and history row as a write in one go would, and nothing at all when the reading then fails."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.identifiers import make_insz
from employees.models import Employee, Employment
from imports import services
from imports.kinds import KINDS
from imports.services import import_file
from tests import factories
from tests.test_import_constraints import MAKERS

pytestmark = pytest.mark.django_db


def inszs(count: int, first: int = 0) -> list[str]:
    return [
        make_insz(datetime.date(1970, 1, 1) + datetime.timedelta(days=first + n), 1 + n % 997) for n in range(count)
    ]


def persons_file(numbers) -> bytes:
    lines = ["insz,first_name,last_name,birth_date,gender"]
    for n, number in enumerate(numbers):
        born = datetime.date(1900 + int(number[:2]), int(number[2:4]), int(number[4:6]))
        lines.append(f"{number},Voornaam{n},Achternaam{n},{born:%d/%m/%Y},{'fm'[n % 2]}")
    return ("\n".join(lines) + "\n").encode()


def spells_file(numbers, employer) -> bytes:
    lines = ["insz,employer_kbo,instrument,start_date,end_date,support_package"]
    for n, number in enumerate(numbers):
        instrument = "collectief maatwerk" if n % 2 else ""
        lines.append(
            f"{number},{employer.kbo_number},{instrument},2016-01-{1 + n % 28:02d},,{'yes' if n % 3 else 'no'}"
        )
    return ("\n".join(lines) + "\n").encode()


def queries(kind, content) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = import_file(kind=kind, content=content, file_name="file.csv")
    assert result.ok, result.errors[:3]
    return len(captured)


def test_importing_persons_takes_as_many_queries_for_40_rows_as_for_3():
    few, many = inszs(3), inszs(40, first=1000)
    assert queries("employees", persons_file(few)) == queries("employees", persons_file(many))
    # The same files again (all unchanged): again the same count.
    assert queries("employees", persons_file(few)) == queries("employees", persons_file(many))
    assert Employee.objects.count() == 43


def test_importing_spells_takes_as_many_queries_for_40_rows_as_for_3():
    employer = factories.OrganisationFactory()
    few, many = inszs(3), inszs(40, first=1000)
    import_file(kind="employees", content=persons_file(few + many), file_name="persons.csv")
    assert queries("employments", spells_file(few, employer)) == queries("employments", spells_file(many, employer))
    assert queries("employments", spells_file(few, employer)) == queries("employments", spells_file(many, employer))
    assert Employment.objects.count() == 43


def test_a_file_of_many_chunks_writes_every_record_with_its_history(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 5)
    numbers = inszs(23)
    result = import_file(kind="employees", content=persons_file(numbers), file_name="persons.csv")
    assert result.ok and result.created == 23
    stored = {e.insz: e for e in Employee.objects.all()}
    assert sorted(stored) == sorted(numbers)
    assert all(e.first_name.startswith("Voornaam") and e.birth_date for e in stored.values())
    assert Employee.history.filter(history_type="+").count() == 23
    again = import_file(kind="employees", content=persons_file(numbers), file_name="persons.csv")
    assert again.ok and again.unchanged == 23


def test_a_file_whose_reading_fails_after_a_written_chunk_leaves_nothing(monkeypatch, settings):
    monkeypatch.setattr(services, "CHUNK_SIZE", 5)
    settings.IMPORT_MAX_ROWS = 8  # rows 1-5 are written (paused), reading rows 6-10 stops at the ninth
    result = import_file(kind="employees", content=persons_file(inszs(12)), file_name="persons.csv")
    assert not result.ok and len(result.errors) == 1 and result.errors[0].row == 0
    # The connection is usable, and neither the records nor their history were kept.
    assert Employee.objects.count() == 0
    assert Employee.history.count() == 0
    assert import_file(kind="employees", content=persons_file(inszs(3)), file_name="p.csv").created == 3


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_record_made_by_filling_its_fields_is_what_the_constructor_makes(kind):
    model = KINDS[kind].model
    stored = MAKERS[model._meta.label]()
    args = [getattr(stored, f.attname) for f in model._meta.concrete_fields]
    made, constructed = services._made(model, args), model(*args)
    assert type(made) is model
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in constructed.__dict__.items() if k != "_state"
    }
    assert (made._state.adding, made._state.db, made._state.fields_cache) == (True, None, {})
    made.clean_fields()  # a whole record: every field there, its rules and relations readable
    made.clean()
    assert str(made) == str(constructed)
