"""The figures of the minister's answer that the demo data set is built to reproduce.

These are the marginal tables of `ministerial-figures-2019.json`, written as
the targets of a small constraint problem (docs/demo-data.md explains the
plan). Where the source contradicts itself, the consistent value is used and
the published one is kept beside it in PUBLISHED_DIFFERENCES (the one list
of those cells, in reports/published.py, where the pack page reads it too; the
tests read it, docs/demo-data.md describes it).

Province keys are the ISO codes of common.provinces.Province; instruments are
the seeded instrument codes; `None` as a year means "date unknown".
"""

import datetime

from reports.published import PUBLISHED_DIFFERENCES, PublishedDifference  # noqa: F401 (the one list, read here)

D = datetime.date

# The two reference dates of the answer (demo_as_of in the reference file).
Q2_Q3_DATE = D(2019, 11, 30)  # questions 2 and 3: as_of = known_at
Q1_DATE = D(2020, 10, 31)  # question 1: as_of = known_at

A, L, OV, VB, WV = "VAN", "VLI", "VOV", "VBR", "VWV"
PROVINCES = [A, L, OV, VB, WV]
BANDS = ["<25", "25-54", "55+"]
LDE, CM = "lokale-diensteneconomie", "collectief-maatwerk"


def _prov(antwerpen, limburg, oost_vlaanderen, vlaams_brabant, west_vlaanderen):
    return {A: antwerpen, L: limburg, OV: oost_vlaanderen, VB: vlaams_brabant, WV: west_vlaanderen}


def _band(young, mid, old):
    return {"<25": young, "25-54": mid, "55+": old}


# q1: persons advised ready, by (instrument, year of the reference evaluation).
Q1_BY_PROVINCE = {
    (LDE, 2018): _prov(0, 5, 3, 1, 0),
    (LDE, 2019): _prov(25, 18, 14, 15, 5),
    (LDE, 2020): _prov(29, 10, 13, 9, 13),
    (LDE, None): _prov(0, 2, 0, 0, 0),
    (CM, 2018): _prov(1, 1, 5, 2, 3),
    (CM, 2019): _prov(4, 3, 7, 2, 3),
    (CM, 2020): _prov(6, 1, 1, 2, 1),
    (CM, None): _prov(0, 1, 1, 0, 0),
}
Q1_BY_BAND = {
    (LDE, 2018): _band(0, 9, 0),
    (LDE, 2019): _band(0, 55, 22),
    (LDE, 2020): _band(0, 48, 26),
    (LDE, None): _band(0, 2, 0),
    (CM, 2018): _band(0, 12, 0),
    (CM, 2019): _band(1, 18, 0),
    (CM, 2020): _band(2, 9, 0),
    (CM, None): _band(0, 1, 1),
}
Q1_AT_WORK = {"advised_ready": 206, "at_work": 196, "at_work_same_employer": 177, "at_work_other_employer": 19}

# q3: evaluations (any advice), by year of the evaluation.
Q3_BY_PROVINCE = {
    2018: _prov(1, 3, 6, 4, 2),
    2019: _prov(119, 61, 42, 63, 36),
    None: _prov(3, 3, 13, 1, 0),
}
# The published 2018 column reads 1 / 16 / 0 (17); the demo keeps the total of 16 (see PUBLISHED_DIFFERENCES).
Q3_BY_BAND = {
    2018: _band(0, 16, 0),
    2019: _band(11, 237, 73),
    None: _band(1, 16, 3),
}
# Evaluations of 2018 known in November 2019 that did not advise 'ready'.
Q3_NOT_READY_2018 = _prov(0, 0, 0, 1, 0)

# q2e: call 432's budget: 480 trajectories at the standard cost of EUR 4,200.
CALL_432_UNITS = 480


def allowed_differences() -> dict[tuple[str, frozenset], tuple[str, str]]:
    """{(table id, frozenset of cell labels): (published, demo)} as strings, the way the tests compare cells."""
    return {d.key: (str(d.published), str(d.demo)) for d in PUBLISHED_DIFFERENCES}


# The 82 trajectories of question 2, as groups: (partner, start year, province, age band, fate, count).
# Fates on 30 November 2019:
#   noint18   ended in 2018 without internship
#   noint     ended in 2019 without internship
#   noint_wop ended in 2019 without internship: found a job with a work-support package itself
#   int_work  ended with an internship; hired by the host, no support package (counted in q2d)
#   run_work  running (aftercare) after an internship; regular job with its SE employer, no package (q2d)
#   int_wop   ended with an internship; hired by the host with a work-support package
#   int_back  ended with an internship; not hired, back to the SE job
#   int_stop  ended with an internship stopped early (health)
#   run       running
GENT = "Stad Gent – Dienst Werk (brugproject)"
TRAJECTORY_GROUPS = [
    # 2018 (9): L3 OV4 VB1 WV1, all 25-54
    ("Loca Consult", 2018, L, "25-54", "int_back", 1),
    (GENT, 2018, OV, "25-54", "noint", 2),
    (GENT, 2018, OV, "25-54", "int_work", 1),
    ("In-Z", 2018, L, "25-54", "int_wop", 1),
    ("In-Z", 2018, OV, "25-54", "int_work", 1),
    ("In-Z", 2018, WV, "25-54", "int_stop", 1),
    ("Televil vzw", 2018, VB, "25-54", "noint18", 1),
    ("Jomi", 2018, L, "25-54", "int_work", 1),
    # 2019 (73): A17 L19 OV19 VB13 WV5; <25 1, 25-54 56, 55+ 16
    ("Levanto", 2019, A, "55+", "run", 1),
    ("Argos", 2019, OV, "<25", "run", 1),
    ("Vzw Web", 2019, A, "55+", "run", 1),
    ("Vzw Web", 2019, A, "25-54", "run", 3),
    ("Buurtservice vzw", 2019, A, "25-54", "noint", 2),
    ("Buurtservice vzw", 2019, A, "25-54", "int_work", 1),
    ("Buurtservice vzw", 2019, A, "25-54", "run_work", 1),
    ("Buurtservice vzw", 2019, A, "55+", "run", 1),
    ("Buurtservice vzw", 2019, A, "25-54", "run", 2),
    ("BLM", 2019, OV, "25-54", "run", 1),
    ("Mentor vzw", 2019, VB, "55+", "run", 1),
    ("Mentor vzw", 2019, VB, "25-54", "run", 1),
    ("GOB Arbeidskansen", 2019, L, "55+", "run", 1),
    ("Synkroon", 2019, L, "25-54", "noint", 1),
    ("Compaan – Job & Co opleidingen", 2019, L, "25-54", "int_work", 1),
    ("Compaan – Job & Co opleidingen", 2019, L, "25-54", "run", 1),
    ("Groep Intro vzw", 2019, VB, "25-54", "noint", 3),
    ("Groep Intro vzw", 2019, VB, "25-54", "run", 2),
    (GENT, 2019, OV, "25-54", "noint", 4),
    (GENT, 2019, OV, "25-54", "noint_wop", 1),
    (GENT, 2019, OV, "25-54", "int_work", 1),
    (GENT, 2019, OV, "55+", "run", 4),
    (GENT, 2019, OV, "25-54", "run", 6),
    ("In-Z", 2019, L, "55+", "run", 2),
    ("In-Z", 2019, L, "25-54", "run", 4),
    ("In-Z", 2019, OV, "25-54", "int_work", 1),
    ("In-Z", 2019, VB, "25-54", "noint", 1),
    ("In-Z", 2019, VB, "55+", "run", 1),
    ("In-Z", 2019, VB, "25-54", "run", 3),
    ("Televil vzw", 2019, VB, "25-54", "noint", 1),
    ("De Wroeter – Opleidingscentrum vzw", 2019, L, "25-54", "int_work", 1),
    ("De Wroeter – Opleidingscentrum vzw", 2019, L, "25-54", "run_work", 1),
    ("De Wroeter – Opleidingscentrum vzw", 2019, L, "25-54", "run", 1),
    ("Vzw Werkmaat", 2019, WV, "25-54", "run", 1),
    ("Emino vzw", 2019, WV, "25-54", "noint", 1),
    ("Emino vzw", 2019, WV, "25-54", "int_work", 2),
    ("Emino vzw", 2019, WV, "25-54", "run", 1),
    ("Emino vzw", 2019, L, "55+", "run", 2),
    ("Emino vzw", 2019, L, "25-54", "run", 4),
    ("Emino vzw", 2019, A, "55+", "run", 2),
    ("Emino vzw", 2019, A, "25-54", "run", 3),
]

# Trajectories of 2019 whose person was advised ready in 2018 (early 2019 starts), per province.
STARTS_2019_FROM_2018_ADVICE = {A: 1, OV: 2, VB: 1, WV: 1}

# Status on 31 October 2020 of the 206 persons advised ready: how many of the
# trajectory persons still running in November 2019 were hired by 2020-10-31.
RUNNING_HIRED_BY_Q1_DATE = 4
