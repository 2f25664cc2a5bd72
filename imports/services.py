"""Import a file of one kind: all rows or none, idempotent, in bulk, with history.

`import_file` is the one entry point used by the command and the views.
Rows are read, checked and written a chunk at a time inside one
transaction; when any row of the file is wrong, or for a preview, the
transaction is rolled back, so nothing is half-written and the counts of a
preview are exactly those of the real import.
"""

import contextlib
import datetime
import functools
import gc
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
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
from imports.checks import MEMO_LIMIT, validate_columns, validate_instance
from imports.constants import ImportStatus
from imports.kind_base import Context, Kind
from imports.kinds import KINDS
from imports.models import ImportRun
from imports.readers import UnreadableFile, read_table
from trajectories.models import Trajectory

CHUNK_SIZE = 2000
BATCH_SIZE = 2000


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


def _parse_row(present: list, cells_: list, error, memo: dict) -> dict:
    """The row's values by column; a column left out of the file is absent, an empty cell is None.

    `present` holds (name, position, required, parse) of each column of the kind the file has.
    `memo` remembers each (column, cell) already read in this file: a file
    names the same persons and employers many times, and checking an INSZ or
    KBO checksum is the costliest part of reading a row.
    """
    row = {}
    width = len(cells_)
    for name, position, required, parse in present:
        raw = cells_[position] if position < width else ""
        if isinstance(raw, str) and raw[:1] == "'":
            # A text the export guarded against formulas ('=...) reads back as it was recorded.
            raw = unguard_cell(raw)
        if raw == "" or raw is None:
            if required:
                error(name, _("This column is required."))
            row[name] = None
            continue
        memo_key = (name, raw)
        outcome = memo.get(memo_key)
        if outcome is None:
            try:
                outcome = (True, parse(raw))
            except cells.CellError as exc:
                outcome = (False, exc.message)
            if len(memo) < MEMO_LIMIT:
                memo[memo_key] = outcome
        if outcome[0]:
            row[name] = outcome[1]
        else:
            error(name, outcome[1])
            row[name] = None
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
        with transaction.atomic(), _without_cycle_collection():
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


@contextlib.contextmanager
def _without_cycle_collection():
    """Python's cycle collector paused while the rows are imported, as it was before afterwards.

    An import makes millions of small objects that stay alive until its end (rows, records, the values
    remembered per file) and no reference cycles of its own; the collector walked them again and
    again, a third of the Python time of 100,000 rows (issue 17). Objects are still freed as soon as
    they are unused; any cycle is collected once the collector runs again. The collector is paused for
    the whole process: in a threaded server, other requests' cycles wait the seconds of the import.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_rows(spec: Kind, index, rows, user, file_name, result: ImportResult) -> None:
    now = timezone.now()
    context = Context.for_user(user, timezone.localdate())
    reason = _("import of %(file)s") % {"file": file_name}
    seen_keys: dict = {}
    memo: dict = {}
    validated: dict = {}
    # The registration date's default (today), read once rather than in every new record's __init__.
    defaults = {"registered_on": context.today} if _has_field(spec.model, "registered_on") else {}
    present = [(c.name, index[c.name], c.required, c.parse) for c in spec.columns if c.name in index]
    # The previous chunk's write, paused while PostgreSQL stores the rows sent to it (`_write`). The next
    # chunk is read and parsed meanwhile, which needs no query; the write is finished before its first.
    writing = None
    try:
        while chunk := list(islice(rows, CHUNK_SIZE)):
            parsed = _parse_chunk(chunk, index, present, memo)
            if writing is not None:
                _finish(writing)
                writing = None
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
                    instance = _new_instance(spec.model, values, defaults, lookups)
                    if row.get("registered_on") is not None and not hasattr(instance, "registered_on"):
                        instance._history_date = _history_moment(row["registered_on"])
                    validate_instance(spec, instance, error, validated)
                    if not row_errors:
                        creates.append(instance)
                        result.created += 1
                    continue
                compared = {**spec.update_attnames, **(spec.rekey_attnames if values.get("source_id") else {})}
                changed = [
                    name
                    for name, attname in compared.items()
                    if name in values and stored[attname] != _raw(values[name])
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
                writing = _write(spec, creates, updates, user, reason, now)
                next(writing, None)  # up to the pause, if it makes one
        if writing is not None:
            _finish(writing)
            writing = None
    finally:
        if writing is not None:  # an error stopped the import: end the write unfinished (all is rolled back)
            writing.close()


def _parse_chunk(chunk, index, present, memo) -> list:
    """(number, row, error, the row's errors) of each row of a chunk: the cells read, without any query."""
    parsed = []
    for number, raw_cells in chunk:
        row_errors = []

        def error(column, message, _number=number, _cells=raw_cells, _errors=row_errors):
            position = index.get(column)
            value = _cells[position] if position is not None and position < len(_cells) else ""
            _errors.append(RowError(_number, column, cells.text(value) if value != "" else "", message))

        parsed.append((number, _parse_row(present, raw_cells, error, memo), error, row_errors))
    return parsed


def _finish(writing) -> None:
    """Resume a paused write (`_write`) to its end."""
    for _pause in writing:
        pass


@functools.cache
def _fields_by_name(model) -> dict:
    return {f.name: f for f in model._meta.concrete_fields}


@functools.cache
def _defaults(model) -> list:
    """(attname, default, whether the default is called for each record) of the model's concrete fields,
    in the order Model.__init__ takes them by position. A field's default that is not a callable is the
    one value field.get_default() gives every time (no default: None or ''); a database default is a new
    expression each time."""
    made = []
    for f in model._meta.concrete_fields:
        if (f.has_default() and callable(f.default)) or (not f.has_default() and f.has_db_default()):
            made.append((f.attname, f.get_default, True))
        else:
            made.append((f.attname, f.get_default(), False))
    return made


def _has_field(model, name) -> bool:
    return name in _fields_by_name(model)


def _new_instance(model, values: dict, defaults: dict, lookups: dict):
    """An unsaved record; related records go in by id with the record cached, which skips the
    relation descriptors' checks, repeated otherwise for every related field of every row of a file.
    An INSZ takes the digest and token the kind made for the chunk (`lookups`), when it did."""
    by_attname, related, insz = dict(defaults), {}, None
    fields = _fields_by_name(model)
    for name, value in values.items():
        if name == "insz":  # no column: set_insz() encrypts it and computes its digest, unless made already
            insz = value
            continue
        field = fields.get(name) or model._meta.get_field(name)
        if field.is_relation:
            by_attname[field.attname] = value.pk if value is not None else None
            related[name] = value
        else:
            by_attname[name] = value
    # Every field by position, in the model's order (its default where the row gives none): Model.__init__
    # takes that path several times faster than keyword arguments, for every new record of a file.
    args = [
        by_attname.pop(attname) if attname in by_attname else (default() if call else default)
        for attname, default, call in _defaults(model)
    ]
    instance = model(*args, **by_attname) if by_attname else _made(model, args)
    if insz is not None:
        made = lookups.get("insz_made", {}).get(insz, (None, None))
        instance.set_insz(insz, digest=made[0], token=made[1])
    instance._state.fields_cache.update(related)
    return instance


def _made(model, args: list):
    """What model(*args) makes of every concrete field's value in order, made by filling the record's
    attributes: Model.__init__ sets each related field's id through its descriptor, about 8 us for a
    record with three relations, to clear a cached related record a new record cannot have. A model
    that a pre_init or post_init receiver listens to is made by __init__ all the same."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(*args)
    instance = model.__new__(model)
    instance._state = ModelState()
    instance.__dict__.update(zip(_attnames(model), args))
    return instance


@functools.cache
def _attnames(model) -> list:
    return [f.attname for f in model._meta.concrete_fields]


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


def _write(spec: Kind, creates, updates, user, reason, now):
    """Write a chunk's new and changed records, each with its history row.

    A generator: on PostgreSQL it pauses once the new records are sent with COPY, before the COPY
    ends, and finishes when resumed. PostgreSQL stores the rows as they come (indexes, the search
    column) while Python reads the next chunk: the two work at once rather than in turn (issue 17).
    """
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
            yield from insert_records(model, creates, now)
            write_history(model, [instance.pk for instance in creates], "+", user=user, reason=reason, when=now)
    if updates:
        for instance in updates:
            instance.updated_at = now
        fields = [*spec.update_fields, *spec.rekey_fields, *derived, "updated_at"]
        bulk_update_with_history(updates, fields, user=user, reason=reason, when=now)
        _refresh_ages(updates, user, reason, now)
    spec.after_write([*creates, *updates], user=user, reason=reason, when=now)


def insert_records(model, instances, now):
    """Insert new records: on PostgreSQL with COPY (their ids drawn from the table's sequence first),
    elsewhere with bulk_create. Both give every instance its primary key.

    A generator: on PostgreSQL it pauses once every row is sent, before the COPY ends (no other query
    can run on the connection until it is resumed), and ends the COPY when resumed.
    """
    if connection.vendor != "postgresql":
        with recorded_bulk_write():  # the caller writes the history rows
            model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for instance in instances:
        for attname in stamped:
            setattr(instance, attname, now)
    pk = model._meta.pk
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The ids as one array: one value to read rather than a row per id.
        cursor.execute(
            "SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s)",
            [table, pk.column, len(instances)],
        )
        alias = connection.alias
        for instance, new_id in zip(instances, cursor.fetchone()[0], strict=True):
            instance.pk = new_id
            instance._state.adding = False
            instance._state.db = alias
        columns = ", ".join(quote(f.column) for f in [pk, *fields])
        values = operator.attrgetter(pk.attname, *(f.attname for f in fields))
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row(values(instance))
            yield


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
