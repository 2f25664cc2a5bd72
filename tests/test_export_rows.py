"""List exports read cells straight from the records: the same rows as django-tables2's cell rendering.

`common.export.table_rows` renders through django-tables2 only the columns that need it (issue 17).
For every list, as an administrator and as partner staff (masked INSZ), the exported rows are
compared with the rows of the rendering it replaced (`_rendered_rows`, the former code).
"""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_str
from django_tables2.columns import DateColumn, DateTimeColumn
from django_tables2.rows import BoundRow

from common import export
from tests import factories
from tests.test_lists import LIST_ROLES, _body, _make_rows

pytestmark = pytest.mark.django_db


def _rendered_rows(table, queryset, exclude_columns=()):
    """The former `table_rows`: every cell through `BoundRow.get_cell_value`."""
    columns = export.export_columns(table, exclude_columns)
    yield [force_str(column.header, strings_only=True) for column in columns]
    dates = {column.name for column in columns if isinstance(column.column, (DateColumn, DateTimeColumn))}
    for record in queryset.iterator(chunk_size=export.CHUNK_SIZE):
        row = BoundRow(record, table=table)
        yield [
            column.accessor.resolve(record, quiet=True)
            if column.name in dates
            else force_str(row.get_cell_value(column.name), strings_only=True)
            for column in columns
        ]


@pytest.mark.parametrize("name, role", LIST_ROLES)
def test_export_rows_equal_the_rendered_cells(name, role, request, client, partner, monkeypatch):
    client.force_login(request.getfixturevalue(role))
    _make_rows(name, 4, partner)
    seen = []
    fast = export.table_rows

    def recording(table, queryset, exclude_columns=()):
        rows = list(fast(table, queryset, exclude_columns))
        seen.append((rows, list(_rendered_rows(table, queryset, exclude_columns))))
        return iter(rows)

    monkeypatch.setattr(export, "table_rows", recording)
    response = client.get(reverse(name), {"_export": "csv"})
    _body(response)
    assert response.status_code == 200
    ((rows, rendered),) = seen
    assert len(rows) > 1
    assert rows == rendered
    assert [type(v) for row in rows for v in row] == [type(v) for row in rendered for v in row]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_person_list_is_exported_from_its_columns_without_a_record_per_row(
    export_format, client, administrator, partner, monkeypatch
):
    """Every column of the person list is a field (or the INSZ): the rows are read as tuples (issue 17)."""
    from employees.models import Employee

    _make_rows("employees:list", 3, partner)
    numbers = {employee.insz for employee in Employee.objects.all()}
    exporting = []
    from_db, table_rows = Employee.from_db.__func__, export.table_rows

    def no_instance_while_exporting(cls, *args, **kwargs):
        assert not exporting, "a model instance was made for an exported row"
        return from_db(cls, *args, **kwargs)

    def rows(*args, **kwargs):
        exporting.append(True)
        yield from table_rows(*args, **kwargs)
        exporting.clear()

    monkeypatch.setattr(Employee, "from_db", classmethod(no_instance_while_exporting))
    monkeypatch.setattr(export, "table_rows", rows)
    client.force_login(administrator)
    response = client.get(reverse("employees:list"), {"_export": export_format})
    body = _body(response)
    assert response.status_code == 200
    if export_format == "csv":
        assert all(number in body.decode("utf-8-sig") for number in numbers)


# The models that name the fields their text reads (`STR_FIELDS`): an export reads only those.
TEXT_MODELS = [model for model in apps.get_models() if getattr(model, "STR_FIELDS", None)]


def _records_to_name():
    """At least one record of every model with `STR_FIELDS` (the managed lists come with the migrations)."""
    factories.EvaluationFactory(employee=factories.TrajectoryFactory().employee)
    factories.GrantFactory()
    factories.UserFactory(first_name="", last_name="")  # named by the username


def test_the_models_that_name_their_text_fields_are_the_related_columns_models():
    names = {model._meta.label for model in TEXT_MODELS}
    assert {"employees.Employee", "partners.Organisation", "evaluations.Advice", "accounts.User"} <= names


@pytest.mark.parametrize("model", TEXT_MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_record_read_with_its_text_fields_gives_its_text_without_a_query(model, language, django_assert_num_queries):
    """`__str__` reads no field outside `STR_FIELDS`: else every related record of an export would
    cost a query of its own (a deferred field read on first use)."""
    _records_to_name()
    wholes = list(model._base_manager.order_by("pk"))
    assert wholes, f"no {model._meta.label} to name"
    with translation.override(language):
        records = list(export._text_records(model).filter(pk__in=[whole.pk for whole in wholes]))
        with django_assert_num_queries(0):
            texts = {record.pk: str(record) for record in records}
        assert texts == {whole.pk: str(whole) for whole in wholes}


def test_related_texts_read_only_the_text_fields_unordered_and_keep_the_text():
    from employees.models import Employee

    persons = [factories.EmployeeFactory() for _ in range(3)]
    texts = {}
    with CaptureQueriesContext(connection) as context:
        export._related_texts(Employee, {person.pk for person in persons} | {None}, texts)
    ((query,),) = [[entry["sql"] for entry in context.captured_queries]]
    assert "ORDER BY" not in query
    assert "insz_encrypted" not in query and "created_at" not in query
    assert texts == {person.pk: f"{person.first_name} {person.last_name}" for person in persons}


@pytest.mark.parametrize("model", TEXT_MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_related_texts_made_from_the_text_fields_equal_the_records_texts(model, language):
    """`_related_texts` reads the text fields as tuples and makes each text without a model instance
    (`_text_maker`): the same text as the whole record's __str__, in either language."""
    _records_to_name()
    wholes = list(model._base_manager.order_by("pk"))
    assert export._text_fields(model) == tuple(model.STR_FIELDS)
    texts = {}
    with translation.override(language), CaptureQueriesContext(connection) as context:
        export._related_texts(model, {whole.pk for whole in wholes}, texts)
        assert texts == {whole.pk: str(whole) for whole in wholes}
    assert len(context.captured_queries) == 1


def test_a_model_without_text_fields_is_named_by_its_whole_records():
    from evaluations.models import Evaluation

    evaluation = factories.EvaluationFactory()
    assert export._text_fields(Evaluation) is None
    texts = {}
    export._related_texts(Evaluation, {evaluation.pk}, texts)
    assert texts == {evaluation.pk: str(evaluation)}


def _export_queries(client, name, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(name), {"_export": "csv", **(params or {})})
        body = _body(response).decode("utf-8-sig")
    assert response.status_code == 200
    return body, [entry["sql"] for entry in context.captured_queries]


def test_a_small_export_is_one_plain_query_without_a_count(client, administrator, partner):
    """Its rows are read at once: the access log has their number without a COUNT, and the names of
    the persons and employers, which the query joins already (INSZ, province), come in its rows."""
    from audit.models import AccessEvent

    _make_rows("evaluations:list", 3, partner)
    client.force_login(administrator)
    body, queries = _export_queries(client, "evaluations:list")
    reads = [sql for sql in queries if 'FROM "evaluations_evaluation"' in sql]
    assert len(reads) == 1
    assert "DECLARE" not in reads[0] and "COUNT(" not in reads[0]
    assert '"employees_employee"."first_name"' in reads[0] and '"partners_organisation"."name"' in reads[0]
    assert not any('FROM "employees_employee"' in sql and "ANY(" in sql for sql in queries)
    assert not any('FROM "partners_organisation"' in sql and "ANY(" in sql for sql in queries)
    assert AccessEvent.objects.get(action="list_exported").row_count == len(body.strip().splitlines()) - 1 == 3


def test_a_big_export_is_read_through_a_cursor_planned_for_all_its_rows_and_counted(
    client, administrator, partner, monkeypatch
):
    from audit.models import AccessEvent

    _make_rows("evaluations:list", 5, partner)
    client.force_login(administrator)
    small, _queries = _export_queries(client, "evaluations:list")
    monkeypatch.setattr(export, "PLAIN_QUERY_ROWS", 3)
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    body, queries = _export_queries(client, "evaluations:list")
    assert body == small
    declared = [number for number, sql in enumerate(queries) if sql.startswith("DECLARE")]
    assert len(declared) == 1
    assert queries[declared[0] - 1] == "SET cursor_tuple_fraction = 1"
    assert queries[declared[0] + 1] == "RESET cursor_tuple_fraction"
    assert any("COUNT(" in sql for sql in queries)
    events = AccessEvent.objects.filter(action="list_exported").order_by("pk")
    assert [event.row_count for event in events] == [5, 5]


def test_rows_equal_in_the_sort_asked_for_are_exported_in_the_order_of_the_pages(client, administrator):
    """Persons of the same name: by id, as the list's pages show them, whatever the query's plan."""
    persons = [factories.EmployeeFactory(first_name="Jan", last_name="Peeters") for _ in range(6)]
    for person in persons[:3]:  # stored again, after the others: the table's order is no longer the ids'
        person.save()
    client.force_login(administrator)
    body, _queries = _export_queries(client, "employees:list")
    numbers = [line.split(",")[2] for line in body.strip().splitlines()[1:]]
    assert numbers == [person.insz for person in sorted(persons, key=lambda person: person.pk)]


def test_the_csv_cell_of_the_writer_is_csv_cell():
    import datetime
    from decimal import Decimal

    cell = export._csv_cell_writer()
    values = [
        None, "", "plain", "=1+1", "'=1", "''+x", "'plain", "'", "-3", "\tcmd", "@SUM(A1)", 3, -3, 0, True,
        2.5, Decimal("1.50"), datetime.date(2019, 3, 1), datetime.date(2019, 3, 1),
        datetime.datetime(2019, 3, 1, 12, 30, tzinfo=datetime.UTC), datetime.time(8, 15),
    ]  # fmt: skip
    assert [cell(value) for value in values] == [export.csv_cell(value) for value in values]
    assert [type(cell(value)) for value in values] == [type(export.csv_cell(value)) for value in values]
