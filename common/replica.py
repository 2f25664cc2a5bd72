"""Reads from a PostgreSQL replica (DATABASE_REPLICA_URL), writes and reads-after-write on the primary.

With a replica configured (settings.DOORSTROOM_READ_REPLICA), the records of the case apps
(REPLICA_APPS) are read from it whenever no transaction is open on the primary: the read-only list
pages and their counts, and what the background worker reads (exports, the workbook). Everything else stays
on the primary: any read inside a transaction (every form view runs in one, ATOMIC_REQUESTS), the
sessions, users and roles, the background jobs and their queue, and every write.

After a request that may have written (any method but GET, HEAD, OPTIONS, TRACE), the user's next
requests read from the primary for DOORSTROOM_PRIMARY_AFTER_WRITE_SECONDS, so that they see what they
have just saved even if the replica lags behind (`PrimaryAfterWriteMiddleware`). docs/operations.md
says what to watch: the replica's lag, which the figures "known at" today depend on.
"""

from __future__ import annotations

import contextvars
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# The apps whose records reports, exports and lists read. Not in it: accounts, sessions, jobs and the
# task queue (read right after they are written), imports (a run is previewed right after its upload).
REPLICA_APPS = frozenset({"employees", "evaluations", "trajectories", "partners", "reports", "audit"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# The session key: until when (a Unix time) the user's requests read from the primary.
SESSION_KEY = "_primary_until"

_on_primary = contextvars.ContextVar("doorstroom_reads_on_primary", default=False)


def replica_alias() -> str | None:
    return getattr(settings, "DOORSTROOM_READ_REPLICA", None)


class ReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS): the replica for reads when it is safe."""

    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if alias is None or model._meta.app_label not in REPLICA_APPS or _on_primary.get():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # inside a transaction on the primary: read what it wrote
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, replica_alias()}
        return True if {obj1._state.db, obj2._state.db} <= aliases else None

    def allow_migrate(self, db, app_label, **hints):
        # The replica is a copy of the primary made by PostgreSQL: nothing is migrated on it.
        return False if db == replica_alias() and db != DEFAULT_DB_ALIAS else None


class reads_on_primary:
    """`with reads_on_primary():` every read in the block goes to the primary."""

    def __enter__(self):
        self._token = _on_primary.set(True)

    def __exit__(self, *exc):
        _on_primary.reset(self._token)


class PrimaryAfterWriteMiddleware:
    """A request that may write, and the same user's requests for some seconds after it, read from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if replica_alias() is None:
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        pinned = writes or request.session.get(SESSION_KEY, 0) > time.time()
        token = _on_primary.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _on_primary.reset(token)
        if writes:
            request.session[SESSION_KEY] = time.time() + settings.DOORSTROOM_PRIMARY_AFTER_WRITE_SECONDS
        return response
