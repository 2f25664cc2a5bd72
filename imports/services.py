"""Import a file of one kind: all rows or none, idempotent, in bulk, with history.

`import_file` is the one entry point used by the command and the views.
Rows are read, checked and written a chunk at a time inside one
transaction; when any row of the file is wrong, or for a preview, the
transaction is rolled back, so nothing is half-written and the counts of a
preview are exactly those of the real import.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import connection, transaction
from django.db.models import CheckConstraint, F, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.crypto import decrypt_bytes, encrypt_bytes
from common.export import unguard_cell
from common.history import bulk_create_with_history, bulk_update_with_history, recorded_bulk_write, write_history
from common.logging import redact
from common.validators import validate_not_future
from evaluations.models import Evaluation
from imports import cells, limits
from imports.constants import ImportStatus
from imports.kind_base import Context, Kind, allowed_values
from imports.kinds import KINDS
from imports.models import ImportRun
from imports.readers import UnreadableFile, read_table
from trajectories.models import Trajectory

CHUNK_SIZE = 2000
BATCH_SIZE = 2000
MEMO_LIMIT = 500_000


@dataclass
class RowError:
    row: int  # the row number in the file (the header is row 1); 0 for the file as a whole
    column: str
    value: str
    message: str

    def as_dict(self):
        """As kept with the run (ImportRun.errors, shown on its page): a refused INSZ, often a typo of a
        real one, is kept as [INSZ], also inside the message (docs/security.md 3.2); the row and column say
        where to correct it."""
        return {
            "row": self.row,
            "column": self.column,
            "value": redact(str(self.value)),
            "message": redact(str(self.message)),
        }


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: bool = False  # the file has more problems than the MAX_ERRORS kept (imports/limits.py)
    # What the updates change, value by value: {row, column, old, new}, at most MAX_CHANGES of them.
    changes: list[dict] = field(default_factory=list)
    more_changes: bool = False

    def stored_errors(self) -> list[dict]:
        """The errors as kept with the run, at most MAX_ERRORS of them."""
        return [e.as_dict() for e in self.errors]

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def check_headers(kind: Kind, headers: list[str]) -> list[RowError]:
    """Missing required columns, unknown and repeated columns: the file is refused before any row is read."""
    errors = []
    known = set(kind.column_names)
    seen = set()
    for header in headers:
        if header in seen:
            errors.append(RowError(1, header, header, _("This column appears twice.")))
        seen.add(header)
        if header not in known:
            errors.append(
                RowError(
                    1,
                    header,
                    header,
                    _("Unknown column. The columns of this kind are: %(columns)s.")
                    % {"columns": ", ".join(kind.column_names)},
                )
            )
    for column in kind.columns:
        if column.required and column.name not in seen:
            errors.append(RowError(1, column.name, "", _("This column is missing.")))
    return errors


def _referenced_fields(condition: Q) -> list[str]:
    names = []
    for child in condition.children:
        if isinstance(child, Q):
            names.extend(_referenced_fields(child))
        elif isinstance(child, tuple):
            names.append(child[0].split("__")[0])
    return names


class _NotEvaluated(Exception):
    """A lookup `_evaluate` does not compute in Python: Django's own validation decides instead."""


_COMPARISONS = {
    "gte": lambda a, b: a >= b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "lt": lambda a, b: a < b,
}


def _evaluate(condition: Q, instance):
    """A check constraint's condition evaluated on an unsaved instance, with SQL's three-valued logic.

    In Python, for the lookups the models' constraints use (exact, isnull, in, regex, gte, lte, gt,
    lt, with values or F() references on the record's own fields): a file repeats them for thousands
    of rows. Any other lookup, transform or expression raises _NotEvaluated, and `violates` asks
    Django's own CheckConstraint.validate (a query per row) instead.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, instance))
            continue
        if not isinstance(child, tuple):
            raise _NotEvaluated
        lookup, expected = child
        name, _sep, operator = lookup.partition("__")
        if hasattr(expected, "resolve_expression") and not isinstance(expected, F) or "__" in operator:
            raise _NotEvaluated
        try:
            model_field = instance._meta.get_field(name)
            if isinstance(expected, F):
                expected = getattr(instance, instance._meta.get_field(expected.name).attname)
        except FieldDoesNotExist:
            raise _NotEvaluated from None
        actual = getattr(instance, model_field.attname)
        if operator == "isnull":
            results.append((actual is None) == bool(expected))
        elif operator not in ("", "exact", "regex", "in", *_COMPARISONS):
            raise _NotEvaluated
        elif actual is None or expected is None:
            results.append(None)
        elif operator in ("", "exact"):
            results.append(actual == expected)
        elif operator == "regex":
            results.append(re.search(expected, actual) is not None)
        elif operator == "in":
            results.append(actual in expected)
        else:
            results.append(_COMPARISONS[operator](actual, expected))
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if condition.negated and value is not None:
        value = not value
    return value


def violates(constraint: CheckConstraint, instance) -> bool:
    """Whether the unsaved instance breaks the check constraint (NULL passes, as in SQL)."""
    try:
        return _evaluate(constraint.condition, instance) is False
    except _NotEvaluated:
        try:
            constraint.validate(type(instance), instance)
        except ValidationError:
            return True
        return False


def validate_instance(kind: Kind, instance, error, cache: dict | None = None) -> None:
    """The model's own rules: its fields' validators, its clean() and its check constraints.

    This is what full_clean() does (without the uniqueness checks, which the
    natural keys settle, and without the relations, resolved from prefetched
    records). A field's validators depend only on its value, so their outcome
    is remembered per value in `cache`: a file repeats the same dates and
    codes thousands of times.
    """
    reported = set()
    cache = {} if cache is None else cache
    for model_field in instance._meta.concrete_fields:
        if model_field.name in kind.clean_exclude:
            continue
        raw = getattr(instance, model_field.attname)
        if model_field.blank and raw in model_field.empty_values:
            continue
        outcome = _field_outcome(model_field, raw, instance, cache)
        if outcome[0]:
            setattr(instance, model_field.attname, outcome[1])
        else:
            column = kind.field_columns.get(model_field.name, model_field.name)
            reported.add(column)
            for message in outcome[1]:
                error(column, message)
    try:
        instance.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else kind.field_columns.get(name, name)
            reported.add(column)
            for message in messages:
                error(column, message)
    for constraint in instance._meta.constraints:
        if isinstance(constraint, CheckConstraint) and violates(constraint, instance):
            names = _referenced_fields(constraint.condition)
            column = kind.field_columns.get("end_date" if "end_date" in names else (names or [""])[0], "")
            if column not in reported:  # the field's own check already said it more precisely
                reported.add(column)
                error(column, str(constraint.get_violation_error_message()))


def _field_outcome(model_field, raw, instance, cache: dict):
    """(True, cleaned value) or (False, messages) of one field's own checks, remembered per value;
    a refused choice says which values are allowed."""
    key = (model_field.name, type(raw), raw)
    outcome = cache.get(key)
    if outcome is None:
        try:
            outcome = (True, model_field.clean(raw, instance))
        except ValidationError as exc:
            messages = exc.messages
            if model_field.choices and any(e.code == "invalid_choice" for e in exc.error_list):
                choices = [value for value, _label in model_field.flatchoices if value not in ("", None)]
                messages = [f"{message} {allowed_values(choices)}" for message in messages]
            outcome = (False, messages)
        if len(cache) < MEMO_LIMIT:
            cache[key] = outcome
    return outcome


def validate_columns(kind: Kind, row: dict, row_errors: list, error, cache: dict) -> None:
    """The fields' own checks on a row that cannot become a record (a person, an organisation or a
    required value is wrong): its other values are still checked, so that the row's every problem is
    reported at once. A column that has a problem already is not checked again."""
    said = {e.column for e in row_errors}
    by_column = {column: name for name, column in kind.field_columns.items()}
    for column, value in row.items():
        name = by_column.get(column, column)
        if value is None or column in said or name in kind.clean_exclude:
            continue
        try:
            model_field = kind.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.is_relation or (model_field.blank and value in model_field.empty_values):
            continue
        ok, outcome = _field_outcome(model_field, value, None, cache)
        if not ok:
            for message in outcome:
                error(column, message)


def _parse_row(kind: Kind, index: dict[str, int], cells_: list, error, memo: dict) -> dict:
    """The row's values by column; a column left out of the file is absent, an empty cell is None.

    `memo` remembers each (column, cell) already read in this file: a file
    names the same persons and employers many times, and checking an INSZ or
    KBO checksum is the costliest part of reading a row.
    """
    row = {}
    for column in kind.columns:
        if column.name not in index:
            continue
        position = index[column.name]
        # A text the export guarded against formulas ('=...) reads back as it was recorded.
        raw = unguard_cell(cells_[position]) if position < len(cells_) else ""
        if raw == "" or raw is None:
            if column.required:
                error(column.name, _("This column is required."))
            row[column.name] = None
            continue
        memo_key = (column.name, raw)
        outcome = memo.get(memo_key)
        if outcome is None:
            try:
                outcome = (True, column.parse(raw))
            except cells.CellError as exc:
                outcome = (False, exc.message)
            if len(memo) < MEMO_LIMIT:
                memo[memo_key] = outcome
        if outcome[0]:
            row[column.name] = outcome[1]
        else:
            error(column.name, outcome[1])
            row[column.name] = None
    return row


def _history_moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def import_file(*, kind: str, content: bytes, file_name: str, user=None, dry_run: bool = False) -> ImportResult:
    """Check every row of a file and, when all are right and this is not a dry run, write them."""
    spec = KINDS[kind]
    result = ImportResult()
    try:
        table = read_table(content, file_name)
    except UnreadableFile as exc:
        result.errors.append(RowError(0, "", file_name, str(exc)))
        return result
    result.errors.extend(check_headers(spec, table.headers))
    if result.errors:
        return result
    index = {header: position for position, header in enumerate(table.headers)}
    try:
        with transaction.atomic():
            try:
                _import_rows(spec, index, table.rows, user, file_name, result)
            except UnreadableFile as exc:  # a limit of imports/limits.py, met while reading the rows
                result.errors[:] = [RowError(0, "", file_name, str(exc))]
                result.more_errors = False
            if dry_run or result.errors:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _import_rows(spec: Kind, index, rows, user, file_name, result: ImportResult) -> None:
    now = timezone.now()
    context = Context.for_user(user, timezone.localdate())
    reason = _("import of %(file)s") % {"file": file_name}
    seen_keys: dict = {}
    memo: dict = {}
    validated: dict = {}
    # The registration date's default (today), read once rather than in every new record's __init__.
    defaults = {"registered_on": context.today} if _has_field(spec.model, "registered_on") else {}
    while chunk := list(islice(rows, CHUNK_SIZE)):
        parsed = []
        for number, raw_cells in chunk:
            row_errors = []

            def error(column, message, _number=number, _cells=raw_cells, _errors=row_errors):
                position = index.get(column)
                value = _cells[position] if position is not None and position < len(_cells) else ""
                _errors.append(RowError(_number, column, cells.text(value) if value != "" else "", message))

            parsed.append((number, _parse_row(spec, index, raw_cells, error, memo), error, row_errors))
        lookups = spec.prefetch(context, [row for _n, row, _e, _r in parsed])
        lookups["by_source"] = spec.by_source_id({r["source_id"] for _n, r, _e, _r in parsed if r.get("source_id")})
        creates, updates, changing = [], [], []
        for number, row, error, row_errors in parsed:
            result.total += 1
            resolved = spec.resolve(context, lookups, row, error)
            if row.get("registered_on") is not None:
                try:
                    validate_not_future(row["registered_on"])
                except ValidationError as exc:
                    error("registered_on", " ".join(exc.messages))
            if resolved is None:
                validate_columns(spec, row, row_errors, error, validated)
                continue
            key, values = resolved
            if row.get("source_id"):
                values["source_id"] = row["source_id"]
            stored = _match(spec, lookups, key, values, number, seen_keys, error)
            if stored is _REFUSED:
                continue
            if stored is None:
                instance = _new_instance(spec.model, values, defaults)
                if row.get("registered_on") is not None and not hasattr(instance, "registered_on"):
                    instance._history_date = _history_moment(row["registered_on"])
                validate_instance(spec, instance, error, validated)
                if not row_errors:
                    creates.append(instance)
                    result.created += 1
                continue
            compared = {**spec.update_attnames, **(spec.rekey_attnames if values.get("source_id") else {})}
            changed = [
                name for name, attname in compared.items() if name in values and stored[attname] != _raw(values[name])
            ]
            if changed:
                changing.append((number, stored["pk"], values, changed, error, row_errors))
            else:
                result.unchanged += 1
        _plan_updates(spec, changing, updates, result, validated)
        for _number, _row, _error, row_errors in parsed:
            result.errors.extend(row_errors)
        cap = limits.max_errors()
        if len(result.errors) > cap:
            # Nothing will be imported: keep the first problems and read no further.
            del result.errors[cap:]
            result.more_errors = True
            return
        if not result.errors:
            _write(spec, creates, updates, user, reason, now)


@functools.cache
def _fields_by_name(model) -> dict:
    return {f.name: f for f in model._meta.concrete_fields}


def _has_field(model, name) -> bool:
    return name in _fields_by_name(model)


def _new_instance(model, values: dict, defaults: dict):
    """An unsaved record; related records go in by id with the record cached, which skips the
    relation descriptors' checks, repeated otherwise for every related field of every row of a file."""
    by_attname, related = dict(defaults), {}
    fields = _fields_by_name(model)
    for name, value in values.items():
        if name == "insz":  # no column: Employee(insz=...) encrypts it and computes its digest
            by_attname[name] = value
            continue
        field = fields.get(name) or model._meta.get_field(name)
        if field.is_relation:
            by_attname[field.attname] = value.pk if value is not None else None
            related[name] = value
        else:
            by_attname[name] = value
    instance = model(**by_attname)
    instance._state.fields_cache.update(related)
    return instance


_REFUSED = object()


def _as_tuple(key) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _match(spec: Kind, lookups, key, values, number, seen: dict, error):
    """The stored record a row updates, None for a new record, or _REFUSED when the row cannot be placed.

    Without a source identifier a row is its natural key. With one, the record with that identifier is
    the one the row corrects, even in the fields of its natural key the kind lets a row correct
    (`rekey_fields`); failing such a record, the one with the natural key and no identifier yet takes it.
    """
    source = values.get("source_id")
    marks = [("source_id", source)] if source else []
    if spec.unique_key or not source:
        marks.append((spec.columns[0].name, key))
    for column, mark in marks:
        if (column, mark) in seen:
            message = _("This row repeats row %(row)s: the same record appears twice in the file.")
            error(column, message % {"row": seen[(column, mark)]})
            return _REFUSED
    seen.update({mark: number for mark in marks})
    by_key = lookups["existing"].get(key)
    if not source:
        return by_key
    stored = lookups["by_source"].get(source)
    if stored is None:
        if by_key is None or not by_key["source_id"]:
            return by_key
        if not spec.unique_key:
            return None  # another record of the same natural key, told apart by the source
        error("source_id", _("The record with the same key already has another source identifier."))
        return _REFUSED
    moved = {
        attname for attname, new, old in zip(spec.key_fields, _as_tuple(key), _as_tuple(stored["key"])) if new != old
    }
    if moved - set(spec.rekey_attnames.values()) or (
        moved and spec.unique_key and by_key is not None and by_key["pk"] != stored["pk"]
    ):
        error("source_id", _("Another record already has this source identifier."))
        return _REFUSED
    return stored


def _shown(value) -> str:
    """A value as the preview lists it: dates dd/mm/yyyy, amounts and yes/no the Dutch way, INSZ hidden."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, force_grouping=True)
    return redact(str(value))


def _old_value(record, name, labels: dict):
    """A field's stored value; a related record by its name, each one read once per import."""
    model_field = record._meta.get_field(name)
    if not model_field.is_relation:
        return getattr(record, name)
    pk = getattr(record, model_field.attname)
    if pk is None:
        return None
    if (model_field.related_model, pk) not in labels:
        labels[(model_field.related_model, pk)] = model_field.related_model._default_manager.get(pk=pk)
    return labels[(model_field.related_model, pk)]


def _list_changes(spec: Kind, record, number, values, changed, result, labels) -> None:
    """Add the row's changes (old and new value per column) to the listed ones, at most MAX_CHANGES."""
    for name in changed:
        if len(result.changes) >= limits.max_changes():
            result.more_changes = True
            return
        old, new = _shown(_old_value(record, name, labels)), _shown(values[name])
        result.changes.append({"row": number, "column": spec.field_columns.get(name, name), "old": old, "new": new})


def _plan_updates(spec: Kind, changing, updates, result, validated) -> None:
    """Load whole only the records a row changes (one query per chunk), apply the row and check it."""
    if not changing:
        return
    records = spec.model.objects.in_bulk([pk for _number, pk, *_rest in changing])
    labels = {}
    for number, pk, values, changed, error, row_errors in changing:
        record = records[pk]
        if "birth_date" in changed:
            record._birth_date_changed = True
        if not result.more_changes:
            _list_changes(spec, record, number, values, changed, result, labels)
        for name in changed:
            setattr(record, name, values[name])
        for name, value in values.items():
            if hasattr(value, "_meta"):
                # The related records are at hand: rules and derived values read them without a query.
                setattr(record, name, value)
        validate_instance(spec, record, error, validated)
        if not row_errors:
            updates.append(record)
            result.updated += 1


def _raw(value):
    """The value as stored in the row: a related record by its primary key."""
    return value.pk if hasattr(value, "_meta") else value


def _write(spec: Kind, creates, updates, user, reason, now) -> None:
    """Write a chunk's new and changed records, each with its history row."""
    model = spec.model
    derived = spec.derived_fields
    if derived:
        for instance in (*creates, *updates):
            instance.refresh_derived()
    if creates:
        if any(hasattr(instance, "_history_date") for instance in creates):
            # Records dated by the file (registered_on on a model without it) keep their own history date.
            bulk_create_with_history(model, creates, user=user, reason=reason, when=now, batch_size=BATCH_SIZE)
        else:
            insert_records(model, creates, now)
            write_history(model, [instance.pk for instance in creates], "+", user=user, reason=reason, when=now)
    if updates:
        for instance in updates:
            instance.updated_at = now
        fields = [*spec.update_fields, *spec.rekey_fields, *derived, "updated_at"]
        bulk_update_with_history(updates, fields, user=user, reason=reason, when=now)
        _refresh_ages(updates, user, reason, now)
    spec.after_write([*creates, *updates], user=user, reason=reason, when=now)


def insert_records(model, instances, now) -> None:
    """Insert new records: on PostgreSQL with COPY (their ids drawn from the table's sequence first),
    elsewhere with bulk_create. Both give every instance its primary key."""
    if connection.vendor != "postgresql":
        with recorded_bulk_write():  # the caller writes the history rows
            model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for instance in instances:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(instance, f.attname, now)
    pk = model._meta.pk
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(instances)],
        )
        for instance, (new_id,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = new_id
            instance._state.adding = False
            instance._state.db = connection.alias
        columns = ", ".join(quote(f.column) for f in [pk, *fields])
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row([instance.pk, *(getattr(instance, f.attname) for f in fields)])


def _refresh_ages(employees, user, reason, now) -> None:
    """Ages at evaluations and trajectory starts are stored: keep them true when a birth date changes."""
    changed = [e for e in employees if getattr(e, "_birth_date_changed", False)]
    if not changed:
        return

    by_id = {e.pk: e for e in changed}
    for model in (Evaluation, Trajectory):
        records = list(model.objects.filter(employee_id__in=by_id))
        for record in records:
            record.employee = by_id[record.employee_id]
            record.refresh_derived()
        if records:
            bulk_update_with_history(records, ["age_years"], user=user, reason=reason, when=now)


def _kept(content: bytes, result: ImportResult) -> bytes:
    """The file as kept with its run: encrypted (it lists INSZ numbers, common/crypto.py), and only when
    it was accepted. A refused file can never be confirmed; keeping it would only cost memory (encrypting
    50 MB takes several copies of it) and keep personal data for nothing (docs/security.md 12.1)."""
    return encrypt_bytes(content) if result.ok else b""


def _changes(result: ImportResult) -> dict:
    """The changes as kept with the run: only of a file without errors (a refused file changes nothing)."""
    if not result.ok:
        return {"changes": [], "changes_truncated": False}
    return {"changes": result.changes, "changes_truncated": result.more_changes}


def preview_run(*, kind: str, content: bytes, file_name: str, user) -> ImportRun:
    """Check an uploaded file without writing it, and keep it for the confirmation."""
    result = import_file(kind=kind, content=content, file_name=file_name, user=user, dry_run=True)
    return ImportRun.objects.create(
        user=user,
        kind=kind,
        file_name=file_name,
        content=_kept(content, result),
        status=ImportStatus.PREVIEWED if result.ok else ImportStatus.REJECTED,
        rows_total=result.total,
        rows_created=result.created,
        rows_updated=result.updated,
        rows_unchanged=result.unchanged,
        errors=result.stored_errors(),
        errors_truncated=result.more_errors,
        **_changes(result),
    )


def confirm_run(*, run: ImportRun, user) -> ImportResult:
    """Import the kept file of a previewed run; the run records what it did."""
    result = import_file(kind=run.kind, content=decrypt_bytes(run.content), file_name=run.file_name, user=user)
    run.rows_total, run.rows_created = result.total, result.created
    run.rows_updated, run.rows_unchanged = result.updated, result.unchanged
    run.errors = result.stored_errors()
    run.errors_truncated = result.more_errors
    run.changes, run.changes_truncated = _changes(result).values()
    run.status = ImportStatus.IMPORTED if result.ok else ImportStatus.REJECTED
    if not result.ok:
        run.content = b""
    run.finished_at = timezone.now() if result.ok else None
    run.save()
    return result


def record_run(*, kind: str, content: bytes, file_name: str, user, result: ImportResult) -> ImportRun:
    """Record an import made outside the web pages (the command line)."""
    return ImportRun.objects.create(
        user=user,
        kind=kind,
        file_name=file_name,
        content=_kept(content, result),
        status=ImportStatus.IMPORTED if result.ok else ImportStatus.REJECTED,
        rows_total=result.total,
        rows_created=result.created,
        rows_updated=result.updated,
        rows_unchanged=result.unchanged,
        errors=result.stored_errors(),
        errors_truncated=result.more_errors,
        **_changes(result),
        finished_at=timezone.now() if result.ok else None,
    )


def purge_kept_files(*, before) -> int:
    """Empty the kept file and the error report of every finished run (imported or refused) uploaded
    before `before`: both name persons, and a finished run needs neither. Runs still waiting for
    confirmation keep their file. One UPDATE; the counts and dates of the run stay."""
    finished = [ImportStatus.IMPORTED, ImportStatus.REJECTED]
    return (
        ImportRun.objects.filter(created_at__lt=before, status__in=finished)
        .exclude(content=b"", errors=[], changes=[])
        .update(content=b"", errors=[], changes=[])
    )
