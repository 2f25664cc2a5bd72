"""Rate limits per API key (settings.DOORSTROOM_API_RATE), per address for calls without a valid key."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import APIToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.DOORSTROOM_API_RATE

    def get_cache_key(self, request, view):
        token = request.auth
        if isinstance(token, APIToken):
            ident = token.key_digest[:32]
        else:
            ident = self.get_ident(request)
        return f"throttle_api_{ident}"
