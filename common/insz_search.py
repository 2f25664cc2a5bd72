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

from django.http import HttpResponseRedirect

from common.crypto import decrypt_insz, encrypt_insz
from common.validators import contains_insz_like

PARAM = "insz_search"
SESSION_KEY = "insz_searches"
KEEP = 20  # the last searches of a session stay usable (back button, several tabs)


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


def redirect_after_search(request, data, *, search_var: str = "q", drop=("csrfmiddlewaretoken",)) -> HttpResponseRedirect:
    """The GET address of a posted filter form: its fields as a query, an INSZ swapped for a token."""
    query = data.copy()
    for name in (*drop, PARAM, "page"):
        query.pop(name, None)
    text = query.get(search_var, "")
    if contains_insz_like(text):
        query.pop(search_var)
        query[PARAM] = remember(request, text)
    for name in [name for name, values in query.lists() if not any(values)]:
        query.pop(name)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
