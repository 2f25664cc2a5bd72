"""Personal API keys: made (shown once), found by their digest, used, revoked.

A key is 32 random bytes in URL-safe base64 behind the prefix "ds_"; only its SHA-256 digest is stored,
so a copy of the database holds no key that works. The digest of a random 256-bit key needs no salt.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import APIToken, APITokenScope

KEY_PREFIX = "ds_"
DEFAULT_DAYS = 90
MAX_DAYS = 366
# The last use is written at most this often per key: not one UPDATE per API call.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, user, name: str, days: int = DEFAULT_DAYS, scope: str = APITokenScope.READ) -> tuple[APIToken, str]:
    """Make a key for `user`, valid `days` days: the stored token and the key itself (shown once)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = APIToken.objects.create(
        user=user,
        name=name,
        key_digest=digest(key),
        prefix=key[:10],
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, key


def token_for_key(key: str) -> APIToken | None:
    """The active token of this key whose user is active, or None; its last use is noted."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = (
        APIToken.objects.select_related("user", "user__organisation")
        .filter(key_digest=digest(key), revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_RESOLUTION:
            APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def revoke_token(*, token: APIToken, by) -> bool:
    """Revoke the key (who and when are kept); False when it was already revoked."""
    with transaction.atomic():
        changed = APIToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
    token.refresh_from_db()
    return bool(changed)
