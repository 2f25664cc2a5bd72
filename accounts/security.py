"""Security plumbing that is not a view: the Content-Security-Policy header, the client address and
the lock-out limits."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils.cache import add_never_cache_headers


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY on every response that does not set its own.

    The policy allows scripts and styles from our own static files only, so that an injected
    `<script>` or `style=` attribute does nothing (tests/test_security.py walks the templates).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NoStoreForUsersMiddleware:
    """`Cache-Control: no-store, private` on every response to a logged-in user (docs/security.md, row 12.7).

    Person, evaluation and trajectory pages and the exports carry personal data:
    no browser cache, shared computer or proxy may keep a copy. Exports included,
    streamed ones too (the header goes out before the first row). Static files
    are served by WhiteNoise before this middleware and are cached as before;
    pages to anonymous visitors (the login page) hold no personal data and are
    left as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # After a logout the request's user is anonymous, but the page was asked for by a logged-in user.
        was_logged_in = getattr(request, "_no_store", False)
        if (was_logged_in or (user is not None and user.is_authenticated)) and not request.path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        request._no_store = bool(user is not None and user.is_authenticated)


def client_ip(request) -> str:
    """The address a request came from, as django-axes counts failed logins by it.

    Without a proxy (settings.BEHIND_PROXY false) this is REMOTE_ADDR and X-Forwarded-For is
    ignored: anyone can send that header. Behind PROXY_COUNT trusted proxies, each proxy appends
    the address it saw to X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the
    right; entries further left were sent by the client and are not trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    entries = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(entries) >= settings.PROXY_COUNT:
        return entries[-settings.PROXY_COUNT]
    return remote


class LayeredLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with three limits instead of one.

    django-axes counts failures for each entry of AXES_LOCKOUT_PARAMETERS but compares them all
    with the one AXES_FAILURE_LIMIT. We want:

    - the pair (username, address): AXES_FAILURE_LIMIT (5): someone mistyping their own password;
    - the account, from any address: LOGIN_ACCOUNT_FAILURE_LIMIT (20): guesses against one account
      spread over many addresses;
    - the address, for any username: LOGIN_ADDRESS_FAILURE_LIMIT (50): one address trying many
      accounts. Behind a reverse proxy the address is the client's (`client_ip`), so one user's
      failures do not lock out everybody sharing the proxy.

    Failures count within AXES_COOLOFF_TIME, as for the pair. The settings' AXES_LOCKOUT_PARAMETERS
    must list the three in this order.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair, account, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = get_failure_limit(request, credentials)
        if account >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT or address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, limit)
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login, forget the failures on this account only.

        The default would also delete every failure from the address, so that an attacker with an
        account of their own could wipe the address count by logging in with it.
        """
        username = get_client_username(request, credentials)
        if username is None:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
