"""The session store: Django's database sessions, renewed at most once a minute (issue 6).

The idle timeout (docs/security.md 2.6) renews a session on every request
(SESSION_SAVE_EVERY_REQUEST): an UPDATE of django_session in a transaction of
its own, three round trips to PostgreSQL on every page, a share of every page's
time that grows under load, to move the end of the session by the few seconds since the
last request. This store skips that write while the session's end, as stored,
is less than RENEW_AFTER seconds old, i.e. while the stored end is still later
than now + SESSION_COOKIE_AGE - RENEW_AFTER. A session therefore ends between
SESSION_COOKIE_AGE - RENEW_AFTER and SESSION_COOKIE_AGE after its last request:
never later than before, at most a minute earlier. A change of the session's
data (signing in, a message, the second factor) is saved at once as always.
"""

import datetime
from typing import NamedTuple

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class StoredSession(NamedTuple):
    session_data: str
    expire_date: datetime.datetime


class SessionStore(DatabaseSessionStore):
    RENEW_AFTER = 60  # seconds

    stored_end = None

    def load(self):
        record = self._get_session_from_db()
        self.stored_end = record.expire_date if record else None
        return self.decode(record.session_data) if record else {}

    def _get_session_from_db(self):
        """The stored session, as Django's store reads it, in SQL written once: read on every request, where
        the ORM compiled the same query each time (about 0.3 ms of processor time, issue 17). PostgreSQL
        only (its driver gives the expiry as an aware datetime); elsewhere Django's own query."""
        connection = connections[router.db_for_read(self.model)]
        if connection.vendor != "postgresql":
            return super()._get_session_from_db()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('session_data')}, {quote('expire_date')} FROM {quote(self.model._meta.db_table)} "
                f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return StoredSession(*row)

    def save(self, must_create=False):
        if not must_create and not self.modified and self.renewed_recently():
            return
        super().save(must_create)
        self.stored_end = None  # written now; a later save in the same request decides afresh

    def renewed_recently(self) -> bool:
        if self.stored_end is None or self.session_key is None:
            return False
        age = self.get_session_cookie_age()
        return self.stored_end > timezone.now() + datetime.timedelta(seconds=age - self.RENEW_AFTER)
