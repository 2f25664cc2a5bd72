"""The English path segments of earlier addresses and their Dutch successors.

The interface speaks Dutch, so its addresses do too. Addresses saved before the change (bookmarks,
links in mails, a browser's history) are answered by `legacy_redirect`, the last URL pattern: it
translates an address that matched nothing segment by segment and, when the Dutch address exists,
sends the browser there for good (301; 308 for a form that was posted, so that it is posted again).
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

SEGMENTS = {
    "accounts": "gebruiker",
    "login": "aanmelden",
    "logout": "afmelden",
    "persons": "personen",
    "new": "nieuw",
    "edit": "bewerken",
    "history": "geschiedenis",
    "access": "inzage",
    "access-log": "toegangslog",
    "lookup": "opzoeken",
    "lookups-without-trajectory": "opzoekingen-zonder-traject",
    "evaluations": "evaluaties",
    "refer": "doorverwijzen",
    "referrals": "doorverwijzingen",
    "reassign": "herverdelen",
    "trajectories": "trajecten",
    "start": "starten",
    "referral": "doorverwijzing",
    "access-review": "zonder-doorverwijzing",
    "withdraw-access": "toegang-intrekken",
    "end": "beeindigen",
    "internships": "stages",
    "organisations": "organisaties",
    "grants": "subsidies",
    "pilots": "pilootprojecten",
    "confirm": "bevestigen",
    "errors.xlsx": "fouten.xlsx",
}


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


def translated(path: str) -> str:
    """The Dutch form of an address path ("/persons/5/edit/" -> "/personen/5/bewerken/")."""
    return "/".join(SEGMENTS.get(segment, segment) for segment in path.split("/"))


def legacy_redirect(request, path):
    """Send an earlier English address to its Dutch successor; anything else is a plain 404."""
    new = translated(f"/{path}")
    if new == f"/{path}":
        raise Http404
    try:
        match = resolve(new)
    except Resolver404:
        raise Http404 from None
    if match.func is legacy_redirect:  # the Dutch address exists no more than the English one
        raise Http404
    query = request.META.get("QUERY_STRING", "")
    target = f"{new}?{query}" if query else new
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(target)
    return PermanentRedirectKeepingMethod(target)
