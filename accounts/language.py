"""The interface's language: Dutch unless the user chose English, never the browser's.

Django's LocaleMiddleware follows the browser's Accept-Language header: a caseworker whose
browser was set to English got the whole interface in English, dates and all. Here the
language is, in this order, the signed-in user's choice (`User.language`, kept across
sessions and devices), the choice made with the language switch before signing in (the
language cookie), and otherwise Dutch (settings.LANGUAGE_CODE).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import check_for_language


def _supported(code: str | None) -> str | None:
    codes = {language for language, _name in settings.LANGUAGES}
    return code if code in codes and check_for_language(code) else None


def language_of(request) -> str:
    """The language to answer this request in."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = _supported(getattr(user, "language", ""))
        if chosen:
            return chosen
    return _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activates `language_of(request)`; replaces django.middleware.locale.LocaleMiddleware.

    Runs after AuthenticationMiddleware (it reads request.user).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
