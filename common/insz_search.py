"""Searching by INSZ without putting the number in a URL.

A search form that may receive an INSZ posts (POST, CSRF-protected); the view
answers with a redirect to the list (Post/Redirect/Get). When the search text
holds an INSZ, the redirect carries an opaque token (`?insz_search=…`) instead of
the number: the number waits in the user's session, encrypted, and the list
reads it back from there. Sorting, paging and export links then repeat the
token, never the number. A GET that carries an INSZ in its search text (typed
into the address bar, an old bookmark) is not acted on: the list says where to
search instead.
"""

import secrets

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext

from common.crypto import decrypt_insz, encrypt_insz
from common.validators import contains_insz_like

PARAM = "insz_search"
SESSION_KEY = "insz_searches"
KEEP = 20  # the last searches of a session stay usable (back button, several tabs)
# Far below what browsers, proxies (nginx: 8 KB request line) and Django's redirect (16,384) take.
MAX_QUERY_LENGTH = 4000


def remember(request, text: str) -> str:
    """Keep a search text holding an INSZ in the session, encrypted; the token stands for it in URLs."""
    searches = request.session.get(SESSION_KEY, {})
    token = secrets.token_urlsafe(9)
    searches[token] = encrypt_insz(text)
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return token


def recall(request, token: str) -> str | None:
    stored = request.session.get(SESSION_KEY, {}).get(token or "")
    return decrypt_insz(stored) if stored else None


def redirect_after_search(
    request, data, *, search_var: str = "q", drop=("csrfmiddlewaretoken",)
) -> HttpResponseRedirect:
    """The GET address of a posted filter form: its fields as a query, an INSZ swapped for a token.

    The search text (its last value, the one the list reads) travels as a token when it holds an
    INSZ; an INSZ in any other field, or in another value of the search field, is dropped: no other
    filter takes one, and it must not reach the address. A query too long for an address (a pasted
    text of thousands of characters: Django refuses to redirect beyond 16,384 and answered 400) is
    not carried: the list comes back unfiltered with a message.
    """
    query = data.copy()
    for name in (*drop, PARAM, "page"):
        query.pop(name, None)
    text = query.get(search_var, "")
    for name in [name for name, values in query.lists() if any(contains_insz_like(value) for value in values)]:
        query.pop(name)
    if contains_insz_like(text):
        query[PARAM] = remember(request, text)
    elif text and search_var not in query:
        query[search_var] = text
    for name in [name for name, values in query.lists() if not any(values)]:
        query.pop(name)
    encoded = query.urlencode()
    if len(encoded) > MAX_QUERY_LENGTH:
        messages.error(request, gettext("This search is too long. Shorten it and search again."))
        return HttpResponseRedirect(request.path)
    return HttpResponseRedirect(f"{request.path}?{encoded}" if encoded else request.path)
