"""Security plumbing that is not a view: the Content-Security-Policy header and the client address."""

from django.conf import settings


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
