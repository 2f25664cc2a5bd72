"""`Authorization: Bearer <key>`: a personal API key (accounts/tokens.py) acts as its user."""

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.language import _supported
from accounts.tokens import token_for_key


class BearerTokenAuthentication(BaseAuthentication):
    """The user of an active key; the answer is then in the user's language (Dutch unless English was chosen)."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the key as: Authorization: Bearer <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError as error:
            raise AuthenticationFailed(_("This API key is not valid, has expired or was revoked.")) from error
        token = token_for_key(key)
        if token is None:
            raise AuthenticationFailed(_("This API key is not valid, has expired or was revoked."))
        language = _supported(token.user.language) or translation.get_language()
        translation.activate(language)
        request._request.LANGUAGE_CODE = language
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="Doorstroom"'
