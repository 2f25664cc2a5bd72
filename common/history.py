"""History for every write, bulk writes included (docs/security.md, row 4.1).

django-simple-history writes a history row from the post_save and
post_delete signals: `save()`, `delete()` and `QuerySet.delete()` (which
sends the signals because history listens) are recorded, but
`QuerySet.update()`, `bulk_create()`, `bulk_update()` and raw SQL send no
signal and would change records without a trace. Application code therefore
writes in bulk only through this module:

- `HistoryQuerySet.update_with_history(reason=..., **values)`: an UPDATE of
  the filtered rows, then one INSERT ... SELECT copying the changed rows into
  the history table (type "~", who, when, why).
- `bulk_update_with_history(instances, fields, reason=...)` and
  `bulk_create_with_history(model, instances, reason=...)`: the same for
  records changed or made in Python.
- `write_history(model, pks, "+"/"~", ...)`: the copy itself, for code that
  writes with COPY (imports, synthetic data) and then records what it wrote.

The guard: on every history-tracked model the default manager's plain
`update()`, `bulk_update()` and `bulk_create()` raise `UnrecordedWrite`
unless called from inside these functions (`recorded_bulk_write()`), in
production as in tests: a bulk write that would leave no history is a bug,
and refusing it (the request's transaction rolls back) is safer than
changing personal records silently. Raw SQL cannot be guarded this way; the
test suite checks after every database test that each record's latest
history row equals the record (tests/conftest.py, `history_agrees`), which
catches any write that bypassed history whichever way it was made.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.apps import apps
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history import utils
from simple_history.models import HistoricalRecords

BATCH_SIZE = 2000
BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}

_recording: ContextVar[bool] = ContextVar("recording_bulk_write", default=False)


class UnrecordedWrite(RuntimeError):
    """A bulk write to a history-tracked model that does not go through common.history."""


def is_tracked(model) -> bool:
    """Whether django-simple-history keeps a history of the model."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def tracked_models() -> list:
    """Every history-tracked model of the project, in a stable order."""
    return sorted((m for m in apps.get_models() if is_tracked(m)), key=lambda m: m._meta.label)


@contextlib.contextmanager
def recorded_bulk_write():
    """Let the guarded bulk methods run: the caller writes the history rows itself, in the same transaction."""
    token = _recording.set(True)
    try:
        yield
    finally:
        _recording.reset(token)


def _refuse(queryset, method: str) -> None:
    if is_tracked(queryset.model) and not _recording.get():
        raise UnrecordedWrite(
            f"{queryset.model._meta.label}.objects.{method}() would leave no history: use "
            f"update_with_history(), bulk_update_with_history() or bulk_create_with_history() from common.history."
        )


def _request_user():
    """The signed-in user of the current request (django-simple-history's middleware keeps it), or None."""

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class HistoryQuerySet(models.QuerySet):
    """The base queryset of every history-tracked model: bulk writes only with their history."""

    def update(self, **kwargs):
        _refuse(self, "update")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse(self, "bulk_update")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        _refuse(self, "bulk_create")
        return super().bulk_create(objs, *args, **kwargs)

    def update_with_history(self, *, reason: str, user=None, when=None, **values) -> int:
        """Update the filtered records and record each change (who, when, why); the number of records changed.

        The rows are locked (on PostgreSQL) and their ids read first, so that
        exactly the rows updated get a history row; `updated_at` is set to
        the moment of the change unless given. `user` defaults to the
        signed-in user of the current request.
        """
        model = self.model
        when = when or timezone.now()
        user = user if user is not None else _request_user()
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            values.setdefault("updated_at", when)
        db = self.db
        with transaction.atomic(using=db):
            base = model._base_manager.using(db)
            targets = base.filter(pk__in=self.values("pk")).order_by("pk")
            if connections[db].features.has_select_for_update:
                targets = targets.select_for_update()
            pks = list(targets.values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH_SIZE):
                base.filter(pk__in=pks[start : start + BATCH_SIZE]).update(**values)
            write_history(model, pks, "~", user=user, reason=reason, when=when, using=db)
        return len(pks)


def bulk_update_with_history(instances, fields, *, reason: str, user=None, when=None, batch_size=BATCH_SIZE) -> int:
    """bulk_update() the instances' fields and record each change; `updated_at` is set too when the model has it."""
    instances = list(instances)
    if not instances:
        return 0
    model = type(instances[0])
    when = when or timezone.now()
    user = user if user is not None else _request_user()
    fields = list(fields)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields) and "updated_at" not in fields:
        for instance in instances:
            instance.updated_at = when
        fields.append("updated_at")
    db = router.db_for_write(model)
    with transaction.atomic(using=db), recorded_bulk_write():
        count = model._default_manager.using(db).bulk_update(instances, fields, batch_size=batch_size)
        write_history(model, [i.pk for i in instances], "~", user=user, reason=reason, when=when, using=db)
    return count


def bulk_create_with_history(model, instances, *, reason: str, user=None, when=None, batch_size=BATCH_SIZE) -> list:
    """bulk_create() the instances and record each as created.

    An instance with a `_history_date` (a record dated by its source: the demo
    data, a file's registration date) keeps it as the date of its history row;
    the others are dated `when`.
    """

    instances = list(instances)
    if not instances:
        return []
    when = when or timezone.now()
    user = user if user is not None else _request_user()
    db = router.db_for_write(model)
    with transaction.atomic(using=db), recorded_bulk_write():
        if any(hasattr(instance, "_history_date") for instance in instances):
            return utils.bulk_create_with_history(
                instances,
                model,
                batch_size=batch_size,
                default_user=user,
                default_change_reason=reason,
                default_date=when,
            )
        created = model._default_manager.using(db).bulk_create(instances, batch_size=batch_size)
        write_history(model, [i.pk for i in created], "+", user=user, reason=reason, when=when, using=db)
    return created


def write_history(
    model, pks, history_type: str, *, user, reason: str, when, using: str | None = None, from_pk: int | None = None
) -> None:
    """Write the history rows of records just written, copying them in the database.

    The rows are those simple-history writes (every field, the user, the
    change reason, the date and the type), made by one INSERT ... SELECT per
    batch of ids instead of one Python object per record, because building
    and saving those objects made the history as dear as the rest of an
    import. `from_pk` instead of `pks` copies
    every record from that id on (records just appended with COPY).
    """
    history = model.history.model
    connection = connections[using or router.db_for_write(model)]
    copied = [f.column for f in history._meta.concrete_fields if f.name not in BOOKKEEPING]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in copied)
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
    )
    pk_column = quote(model._meta.pk.column)
    params = [connection.ops.adapt_datetimefield_value(when), reason, history_type, getattr(user, "pk", user)]
    with connection.cursor() as cursor:
        if from_pk is not None:
            cursor.execute(f"{insert} WHERE {pk_column} >= %s", [*params, from_pk])
            return
        pks = list(pks)
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            if connection.vendor == "postgresql":
                # One array parameter rather than 2,000 placeholders for the driver to split (common/lookups.py).
                cast = model._meta.pk.cast_db_type(connection)
                cursor.execute(f"{insert} WHERE {pk_column} = ANY(%s::{cast}[])", [*params, batch])
            else:
                cursor.execute(f"{insert} WHERE {pk_column} IN ({', '.join(['%s'] * len(batch))})", [*params, *batch])


def set_null_with_history(collector, field, sub_objs, using):
    """on_delete=SET_NULL, recorded: the records pointing at a deleted one lose the link with a history row.

    Django's SET_NULL updates them with a bare UPDATE at deletion time,
    without history. This sets the link to NULL at once through
    update_with_history, inside the deleting transaction (the admin's delete
    views and every request are atomic), and gives Django nothing left to do.
    """
    if not sub_objs:
        return
    pks = [obj.pk for obj in sub_objs]
    field.model._default_manager.using(using).filter(pk__in=pks).update_with_history(
        reason=gettext("%(model)s deleted") % {"model": field.remote_field.model._meta.verbose_name},
        **{field.name: None},
    )
    for obj in sub_objs:
        setattr(obj, field.attname, None)


def history_disagreements(using: str = "default") -> dict[str, int]:
    """Per history-tracked model, the records whose latest history row differs from the record (or is missing),
    plus records gone from the table whose latest history row is not a deletion.

    Zero everywhere means every write, bulk or not, left its history. One
    query for all models.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    parts = []
    for model in tracked_models():
        history = model.history.model
        table, htable = quote(model._meta.db_table), quote(history._meta.db_table)
        pk = quote(model._meta.pk.column)
        columns = [f.column for f in history._meta.concrete_fields if f.name not in BOOKKEEPING]
        equal = " AND ".join(f"h.{quote(c)} {same} t.{quote(c)}" for c in columns)
        latest = f"(SELECT MAX(l.history_id) FROM {htable} l WHERE l.{pk} = {{alias}}.{pk})"
        parts.append(
            f"SELECT '{model._meta.label}', COUNT(*) FROM {table} t LEFT JOIN {htable} h "
            f"ON h.history_id = {latest.format(alias='t')} AND h.history_type <> '-' AND {equal} "
            f"WHERE h.history_id IS NULL"
        )
        parts.append(
            f"SELECT '{model._meta.label} (deleted)', COUNT(*) FROM {htable} h "
            f"WHERE h.history_id = {latest.format(alias='h')} AND h.history_type <> '-' "
            f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{pk} = h.{pk})"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {label: count for label, count in cursor.fetchall() if count}


def record_migrated_records(sender=None, using="default", **kwargs) -> None:
    """Give a '+' history row to every record that has none: those seeded by data migrations.

    Migrations write through historical models that send no signals, so the
    instruments, advices, end reasons and call 432 they seed would have no
    history. Runs after every `migrate` (post_migrate); records that already
    have history are left alone, so running it again changes nothing.
    """
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for model in tracked_models():
            history = model.history.model
            if model._meta.db_table not in tables or history._meta.db_table not in tables:
                continue  # not migrated yet (post_migrate is sent once per app)
            columns = ", ".join(quote(f.column) for f in history._meta.concrete_fields if f.name not in BOOKKEEPING)
            pk = quote(model._meta.pk.column)
            table, htable = quote(model._meta.db_table), quote(history._meta.db_table)
            cursor.execute(
                f"INSERT INTO {htable} ({columns}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, %s, '+', NULL FROM {table} t "
                f"WHERE NOT EXISTS (SELECT 1 FROM {htable} h WHERE h.{pk} = t.{pk})",
                [when, "created by a data migration"],
            )
