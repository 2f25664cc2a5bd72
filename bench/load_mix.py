"""The mix of requests of the load test (issue 17, point 2): what users do, weighted as documented.

`bench/load_bench.py` runs SETUP in `manage.py shell` against the benchmark database: it signs in
three sessions (an evaluator who reads, a second evaluator session that posts INSZ searches, an
administrator with the second factor confirmed), picks the names, persons, INSZ searches, forms and
reports to request, and prints the requests as JSON. wrk then sends them in a shuffled fixed order,
each request with its session cookie, and a POST with the CSRF cookie and header.

Weights per 100 requests (docs/benchmarks.md, "Issue 17", where they come from):

| kind | weight | what |
|---|---:|---|
| person search by name | 14 | the person list searched for a common surname, a whole name, a name part |
| other lists searched | 10 | evaluations, referrals, trajectories, internships searched by name (the trajectory lists by the administrator: evaluators do not see them) |
| INSZ search, posted | 4 | the search form posted with an INSZ (answer: 302 to the list with a token) |
| INSZ search, its list | 6 | the list read with that token |
| lists, no filter | 8 | the five case lists and organisations |
| lists, filtered | 8 | each with a selective filter |
| deep pages | 5 | page 2,000 of the persons, page 200 of the evaluations |
| person pages | 20 | the person's page |
| forms opened | 6 | a trajectory's form, a person's form |
| forms saved | 6 | a trajectory's form posted with its values (a new version in the history) |
| home | 7 | the start page |
| administrator: report | 4 | a report of the parliamentary pack run |
| administrator: small export | 2 | CSV of a filtered list (the evaluations of one office in one year: 3,941 rows at a million persons) |
"""

import html.parser
import json

WEIGHTS = {
    "person search by name": 14,
    "other lists searched": 10,
    "INSZ search, posted": 4,
    "INSZ search, its list": 6,
    "lists, no filter": 8,
    "lists, filtered": 8,
    "deep pages": 5,
    "person pages": 20,
    "forms opened": 6,
    "forms saved": 6,
    "home": 7,
    "administrator: report": 4,
    "administrator: small export": 2,
}


class FormFields(html.parser.HTMLParser):
    """The fields of each <form method="post"> with their values as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields, self.in_form, self.select, self.textarea = [], [], False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form, self.fields = True, []
        if not self.in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ("on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self.select = [a.get("name"), None, None]  # name, first option, selected option
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.select[1] = value if self.select[1] is None else self.select[1]
            if "selected" in a:
                self.select[2] = value
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            name, first, chosen = self.select
            self.fields.append((name, chosen if chosen is not None else (first or "")))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.forms.append(self.fields)


def form_body(page: str) -> str:
    """The url-encoded body that posts the biggest form of `page` unchanged (without its CSRF field); the
    page's other forms (signing out, the language) have a field or two."""
    from urllib.parse import urlencode

    parser = FormFields()
    parser.feed(page)
    fields = max(parser.forms, key=len, default=[])
    return urlencode([(n, v) for n, v in fields if n != "csrfmiddlewaretoken"])


# Requests in the order wrk sends them before it starts again from the top: a 60-second run at up to
# 150 requests a second sends each once (the two threads of wrk start half the sequence apart; at
# 100,000 persons the server completes about 104 a second, and 6,000 made 15 forms saved twice).
SEQUENCE = 9000
# Distinct forms saved per run, each once: the saved-form slots of SEQUENCE (6 %, 540) plus a quarter
# (more rounds when a kind of the mix has no requests).
# A form saved a second time is refused as a conflict. Setup opens each once (about 20 ms a form).
SAVED = SEQUENCE * WEIGHTS["forms saved"] // sum(WEIGHTS.values()) * 5 // 4

SETUP = r"""
import json, secrets
from django.contrib.auth.models import Group
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from accounts.models import User
from accounts.otp import give_confirmed_device
from accounts.roles import Role
from bench.load_mix import SAVED, form_body, requests
from employees.models import Employee
from reports.models import SavedReport
from trajectories.models import Trajectory

def signed_in(username, group, otp=False):
    user, made = User.objects.get_or_create(username=username, defaults={"first_name": "Benchmark", "last_name": "User"})
    if made:  # signed in below without a password; changing it would end the user's other sessions
        user.set_unusable_password(); user.save()
    user.groups.set([Group.objects.get(name=group)])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if otp:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = give_confirmed_device(user).persistent_id
        session.save()
    return client

reader = signed_in("bench-evaluator", "VDAB-evaluator")
searcher = signed_in("bench-evaluator", "VDAB-evaluator")
admin = signed_in("bench-admin", Role.ADMINISTRATOR, otp=True)
count = Employee.objects.count()
step = max(1, count // 20)
persons = list(Employee.objects.order_by("pk").values_list("pk", flat=True)[::step])[:20]
surnames = [r["last_name"] for r in Employee.objects.values("last_name").annotate(n=Count("id")).order_by("-n")[:5]]
guided = list(Trajectory.objects.order_by("pk").values_list("pk", "employee_id")[:: max(1, Trajectory.objects.count() // 10)])[:10]
names = [f"{e.last_name} {e.first_name}" for e in Employee.objects.filter(pk__in=[p for _t, p in guided])]
insz = [e.insz for e in Employee.objects.filter(pk__in=[p for _t, p in guided])][:5]
tokens = []
for number in insz:
    for name in ("employees:list", "evaluations:list"):
        tokens.append(reader.post(reverse(name), {"q": number})["Location"])
# Forms to save, each once: the form carries the record's version, so that a second post of the same
# values is refused as a conflict (a page with the message, status 200, counted as unexpected).
saved = Trajectory.objects.order_by("-pk").values_list("pk", flat=True)[:SAVED]
forms = [(reverse("trajectories:update", args=[t]), form_body(admin.get(reverse("trajectories:update", args=[t])).content.decode())) for t in saved]
opened = [reverse("trajectories:update", args=[t]) for t, _p in guided]
reports = [reverse("reports:run", args=[r.slug]) for r in SavedReport.objects.filter(in_pack=True).order_by("slug")[:6]]
print("MIX " + json.dumps({
    "count": count,
    "cookies": {"reader": reader.cookies["sessionid"].value, "searcher": searcher.cookies["sessionid"].value, "admin": admin.cookies["sessionid"].value},
    "requests": requests(persons, surnames, names, insz, tokens, (opened, forms), reports, count),
}))
"""


def requests(persons, surnames, names, insz, tokens, forms, reports, count):
    """Per kind of the mix, its requests: (method, path, body, session, expected status)."""
    from urllib.parse import urlencode

    searched = ["/evaluaties/", "/evaluaties/doorverwijzingen/", "/trajecten/", "/trajecten/stages/"]
    lists = ["/personen/", *searched, "/register/organisaties/"]
    filters = [
        "/personen/?gender=x",
        "/evaluaties/?office=Hasselt&year=2019",
        "/evaluaties/doorverwijzingen/?status=waiting",
        "/trajecten/?status=running",
        "/trajecten/stages/?outcome=hired",
        "/register/organisaties/?kind=partner",
    ]
    words = [*surnames, *names, *(s[1:5] for s in surnames)]

    def who(path):  # evaluators do not see the trajectory lists (tests/test_url_matrix.py): the administrator
        return "admin" if path.startswith("/trajecten/") else "reader"

    deep = [f"/personen/?page={min(2000, max(1, count // 50))}", f"/evaluaties/?page={min(200, max(1, count // 500))}"]
    return {
        "person search by name": [("GET", "/personen/?" + urlencode({"q": w}), "", "reader", 200) for w in words],
        "other lists searched": [
            ("GET", f"{p}?" + urlencode({"q": w}), "", who(p), 200) for p in searched for w in words[:6]
        ],
        "INSZ search, posted": [("POST", "/personen/", urlencode({"q": n}), "searcher", 302) for n in insz],
        "INSZ search, its list": [("GET", t, "", "reader", 200) for t in tokens],
        "lists, no filter": [("GET", p, "", who(p), 200) for p in lists],
        "lists, filtered": [("GET", p, "", who(p), 200) for p in filters],
        "deep pages": [("GET", p, "", "reader", 200) for p in deep],
        "person pages": [("GET", f"/personen/{pk}/", "", "reader", 200) for pk in persons],
        "forms opened": [("GET", url, "", "admin", 200) for url in forms[0]],
        "forms saved": [("POST", url, body, "admin", 302) for url, body in forms[1]],
        "home": [("GET", "/", "", "reader", 200)],
        "administrator: report": [("GET", url, "", "admin", 200) for url in reports],
        "administrator: small export": [("GET", "/evaluaties/?office=Hasselt&year=2019&_export=csv", "", "admin", 200)],
    }


def sequence(mix: dict, length: int = SEQUENCE, seed: int = 17) -> list:
    """The requests in the order wrk sends them: each kind by its weight, its requests in turn, shuffled.
    wrk starts again from the top after `length` requests (with the saved forms then stale: see SAVED)."""
    import random

    rng = random.Random(seed)
    slots = [kind for kind, weight in WEIGHTS.items() for _ in range(weight) if mix.get(kind)]
    turns = {kind: 0 for kind in mix}
    out = []
    for _ in range(length // len(slots) + 1):
        rng.shuffle(slots)
        for kind in slots:
            entries = mix[kind]
            out.append((kind, *entries[turns[kind] % len(entries)]))
            turns[kind] += 1
    return out[:length]


def lua_table(entries, cookies, csrf) -> str:
    """The Lua table of requests: {method, path, body, headers cookie, expected status, kind index}."""
    rows = []
    for kind, method, path, body, who, expect in entries:
        cookie = f"sessionid={cookies[who]}; csrftoken={csrf}"
        rows.append(
            "{"
            + ", ".join(json.dumps(x) for x in (method, path, body, cookie))
            + f", {expect}, {json.dumps(kind)}"
            + "}"
        )
    return "{\n" + ",\n".join(rows) + "\n}"
