"""Benchmark oracle: an independent re-count of the pack's 25 reports in hand-written SQL, not the app.

`make bench` (bench/run.py) times each query against the app's report and
compares the two cell by cell. Each query gives the cells of one saved report
of the pack, computed directly on the live tables (the register as it is now, K
= now) for the report's reference date D = %(d)s: one row per non-empty cell,
its labels in the order of the report's dimensions (`SavedReport.dimensions`:
rows, then the column) followed by its value. Reports broken down by their
figures (the `status` or `source` dimension) compute every figure of a unit
once and unpivot them with `CROSS JOIN LATERAL (VALUES ...)`. The definitions
are those of docs/measures.md, written out independently of
reports/measures.py, so a difference in any cell points at one of the two.

Parameters: d = reference date, d1 = the day after it, p = start of the counted
period (1 January 1900 when the report has none).
"""

from decimal import ROUND_HALF_UP, Decimal

from common.provinces import Province

CENT = Decimal("0.01")

YEAR = "COALESCE(EXTRACT(YEAR FROM {0})::int::text, 'onbekend')"
LABEL = "COALESCE(NULLIF({0}, ''), 'onbekend')"
PROVINCE = (
    "CASE {0} " + " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in Province.choices) + " ELSE 'onbekend' END"
)
ESF2014 = "CASE WHEN {0} >= 55 THEN '55+' WHEN {0} >= 25 THEN '25-54' WHEN {0} >= 0 THEN '<25' ELSE 'onbekend' END"
ESFPLUS = (
    "CASE WHEN {0} >= 55 THEN '55+' WHEN {0} >= 30 THEN '30-54' WHEN {0} >= 18 THEN '18-29' "
    "WHEN {0} >= 0 THEN '<18' ELSE 'onbekend' END"
)
# The age band of an evaluation: its stored age; an undated evaluation, the age on D.
EVAL_AGE = (
    "CASE WHEN e.age_years IS NOT NULL THEN "
    + ESF2014.format("e.age_years")
    + " WHEN e.evaluation_date IS NULL AND p.birth_date IS NOT NULL THEN "
    + "CASE WHEN p.birth_date <= (%(d)s::date - interval '55 years')::date THEN '55+' "
    "WHEN p.birth_date <= (%(d)s::date - interval '25 years')::date THEN '25-54' "
    "WHEN p.birth_date <= %(d)s::date THEN '<25' ELSE 'onbekend' END ELSE 'onbekend' END"
)

EVALUATIONS = (
    "FROM evaluations_evaluation e WHERE (e.evaluation_date IS NULL OR e.evaluation_date BETWEEN %(p)s AND %(d)s)"
)
# Each person's reference evaluation: the earliest dated ready advice (an undated one only when none is dated).
READY = (
    "(SELECT DISTINCT ON (e.employee_id) e.* FROM evaluations_evaluation e "
    "JOIN evaluations_advice a ON a.id = e.advice_id AND a.code = 'ready' "
    "WHERE e.evaluation_date IS NULL OR e.evaluation_date BETWEEN %(p)s AND %(d)s "
    "ORDER BY e.employee_id, e.evaluation_date NULLS LAST, e.id)"
)
# Trajectories of call 432 started on or before D.
T432 = (
    "FROM trajectories_trajectory t JOIN partners_call c ON c.id = t.call_id AND c.number = '432' "
    "WHERE t.start_date BETWEEN %(p)s AND %(d)s"
)
ENDED_432 = T432 + " AND t.end_date <= %(d)s"
NO_INTERNSHIP = (
    "NOT EXISTS (SELECT 1 FROM trajectories_internship s WHERE s.trajectory_id = t.id AND s.start_date <= t.end_date)"
)
# Each person's latest trajectory started on or before D (of any call), kept when it is one of call 432.
LATEST_432 = (
    "FROM (SELECT DISTINCT ON (t.employee_id) t.* FROM trajectories_trajectory t "
    "WHERE t.start_date BETWEEN %(p)s AND %(d)s ORDER BY t.employee_id, t.start_date DESC, t.id DESC) t "
    "JOIN partners_call c ON c.id = t.call_id AND c.number = '432'"
)
COVERING_D = "s.start_date <= %(d)s AND (s.end_date IS NULL OR s.end_date >= %(d)s)"
REGULAR_NO_PACKAGE_ON_D = (
    "EXISTS (SELECT 1 FROM employees_employment s WHERE s.employee_id = t.employee_id AND s.instrument_id IS NULL "
    "AND NOT s.with_support_package AND " + COVERING_D + ")"
)


def _by(dimensions: str, joins: str, source: str, value: str = "count(*)", where: str = "") -> str:
    """SELECT <labels>, <value> <source with joins> GROUP BY the labels."""
    n = dimensions.count("|") + 1
    labels = ", ".join(dimensions.split("|"))
    body = source.replace(" WHERE ", f" {joins} WHERE ", 1) if joins else source
    return f"SELECT {labels}, {value} {body}{where} GROUP BY {', '.join(str(i + 1) for i in range(n))}"


def _unpivot(figures: list[tuple[str, str]], source: str, labels: str = "", group: str = "") -> str:
    """One row per figure (and per group): the figures of `source` as aggregates, unpivoted."""
    aggregates = ", ".join(f"{expression} AS f{i}" for i, (_code, expression) in enumerate(figures))
    values = ", ".join(f"('{code}', a.f{i})" for i, (code, _expression) in enumerate(figures))
    inner = f"SELECT {labels + ', ' if labels else ''}{aggregates} {source}{' GROUP BY ' + group if group else ''}"
    return f"SELECT v.figure{', a.' + ', a.'.join(group_names(labels)) if labels else ''}, v.n FROM ({inner}) a CROSS JOIN LATERAL (VALUES {values}) v(figure, n)"


def group_names(labels: str) -> list[str]:
    """The names of the label columns ("<expression> AS year" -> "year"; one label column)."""
    return [labels.rsplit(" AS ", 1)[1]]


ORG = "LEFT JOIN partners_organisation o ON o.id = {0}"

SQL = {
    # --- q1: persons advised ready ----------------------------------------------------------
    "q1_ready_by_instrument_province_year": _by(
        f"{LABEL.format('i.name')}|{PROVINCE.format('o.province')}|{YEAR.format('e.evaluation_date')}",
        "",
        f"FROM {READY} e LEFT JOIN employees_instrument i ON i.id = e.instrument_id "
        "LEFT JOIN partners_organisation o ON o.id = e.employer_id",
    ),
    "q1_ready_by_instrument_age_year": _by(
        f"{LABEL.format('i.name')}|{EVAL_AGE}|{YEAR.format('e.evaluation_date')}",
        "",
        f"FROM {READY} e LEFT JOIN employees_instrument i ON i.id = e.instrument_id "
        "JOIN employees_employee p ON p.id = e.employee_id",
    ),
    "q1_ready_at_work": _unpivot(
        [
            ("advised_ready", "count(*)"),
            ("at_work", "count(*) FILTER (WHERE w.any_job)"),
            ("at_work_same_employer", "count(*) FILTER (WHERE w.same_employer)"),
            ("at_work_other_employer", "count(*) FILTER (WHERE w.any_job AND NOT w.same_employer)"),
        ],
        f"FROM {READY} e CROSS JOIN LATERAL (SELECT coalesce(bool_or(true), false) AS any_job, "
        "coalesce(bool_or(s.employer_id = e.employer_id), false) AS same_employer FROM employees_employment s "
        f"WHERE s.employee_id = e.employee_id AND {COVERING_D}) w",
    ),
    # --- q2a, q2b: trajectories of call 432 -------------------------------------------------
    "q2a_trajectories_by_partner_year": _by(
        f"{LABEL.format('o.name')}|{YEAR.format('t.start_date')}", ORG.format("t.partner_id"), T432
    ),
    "q2b_trajectories_by_province_year": _by(
        f"{PROVINCE.format('o.province')}|{YEAR.format('t.start_date')}", ORG.format("t.se_employer_id"), T432
    ),
    "q2b_trajectories_by_age_year": _by(f"{ESF2014.format('t.age_years')}|{YEAR.format('t.start_date')}", "", T432),
    # --- q2c: ended trajectories ----------------------------------------------------------
    "q2c_ended": _unpivot(
        [("ended", "count(*)"), ("ended_without_internship", f"count(*) FILTER (WHERE {NO_INTERNSHIP})")], ENDED_432
    ),
    "q2c_stopped_without_internship_by_year": _by(
        YEAR.format("t.end_date"), "", ENDED_432, where=f" AND {NO_INTERNSHIP}"
    ),
    "q2c_stopped_without_internship_by_province": _by(
        PROVINCE.format("o.province"), ORG.format("t.se_employer_id"), ENDED_432, where=f" AND {NO_INTERNSHIP}"
    ),
    "q2c_stopped_without_internship_by_age": _by(
        ESF2014.format("t.age_years"), "", ENDED_432, where=f" AND {NO_INTERNSHIP}"
    ),
    "q2c_stopped_without_internship_by_partner": _by(
        LABEL.format("o.name"), ORG.format("t.partner_id"), ENDED_432, where=f" AND {NO_INTERNSHIP}"
    ),
    # --- q2d: at work in the regular economy -----------------------------------------------
    "q2d_at_work": (
        f"SELECT 'trajectories', count(*) {T432} UNION ALL "
        f"SELECT 'at_work_without_support_package', count(*) {LATEST_432} WHERE {REGULAR_NO_PACKAGE_ON_D}"
    ),
    "q2d_at_work_by_province": (
        f"SELECT {PROVINCE.format('o.province')}, count(*) {LATEST_432} {ORG.format('t.se_employer_id')} "
        f"WHERE {REGULAR_NO_PACKAGE_ON_D} GROUP BY 1"
    ),
    "q2d_at_work_by_age": (
        f"SELECT {ESF2014.format('t.age_years')}, count(*) {LATEST_432} WHERE {REGULAR_NO_PACKAGE_ON_D} GROUP BY 1"
    ),
    "q2d_at_work_by_partner": (
        f"SELECT {LABEL.format('o.name')}, count(*) {LATEST_432} {ORG.format('t.partner_id')} "
        f"WHERE {REGULAR_NO_PACKAGE_ON_D} GROUP BY 1"
    ),
    # --- q2e: money ------------------------------------------------------------------------
    "q2e_call_budget": _unpivot(
        [
            ("total", "sum(g.esf_amount + g.flemish_amount)"),
            ("esf", "sum(g.esf_amount)"),
            ("flemish_cofinancing", "sum(g.flemish_amount)"),
        ],
        "FROM partners_grant g JOIN partners_call c ON c.id = g.call_id AND c.number = '432'",
    ),
    # --- q3: evaluations -------------------------------------------------------------------
    "q3_evaluations_by_province_year": _by(
        f"{PROVINCE.format('o.province')}|{YEAR.format('e.evaluation_date')}", ORG.format("e.employer_id"), EVALUATIONS
    ),
    "q3_evaluations_by_age_year": _by(
        f"{EVAL_AGE}|{YEAR.format('e.evaluation_date')}",
        "JOIN employees_employee p ON p.id = e.employee_id",
        EVALUATIONS,
    ),
    # --- q4: lasting work ------------------------------------------------------------------
    # The move: each person's first regular-economy spell started in the period, on or before D,
    # after the start of their first social-economy spell. Its figures, per move, from one pass
    # over the person's spells.
    "q4_lasting_work_by_year": None,  # filled below
    "q4_return_to_social_economy_by_year": None,
    "q4_regular_work_after_exit_by_year": None,
    "q2e_money_by_partner_year": None,
    # --- ESF participants --------------------------------------------------------------------
    "esf_participants_by_gender_year": _by(
        f"{LABEL.format('p.gender')}|{YEAR.format('t.start_date')}",
        "JOIN employees_employee p ON p.id = t.employee_id",
        T432,
    ),
    "esf_participants_by_age_year": _by(f"{ESF2014.format('t.age_years')}|{YEAR.format('t.start_date')}", "", T432),
    "esfplus_participants_by_age_year": _by(f"{ESFPLUS.format('t.age_years')}|{YEAR.format('t.start_date')}", "", T432),
}

MOVES = (
    "(SELECT DISTINCT ON (m.employee_id) m.* FROM employees_employment m "
    "JOIN (SELECT employee_id, min(start_date) AS first_se FROM employees_employment "
    "WHERE instrument_id IS NOT NULL GROUP BY employee_id) se ON se.employee_id = m.employee_id AND se.first_se < m.start_date "
    "WHERE m.instrument_id IS NULL AND m.start_date BETWEEN %(p)s AND %(d)s ORDER BY m.employee_id, m.start_date, m.id)"
)


def _regular_at(months: int) -> str:
    moment = f"(m.start_date + interval '{months} months')::date"
    return (
        f"bool_or(s.instrument_id IS NULL AND s.start_date <= {moment} AND (s.end_date IS NULL OR s.end_date >= {moment})) "
        f"AND {moment} <= %(d)s AS r{months}"
    )


MOVE_FIGURES = (
    f"FROM {MOVES} m CROSS JOIN LATERAL (SELECT {_regular_at(3)}, {_regular_at(6)}, {_regular_at(12)}, "
    "min(s.start_date) FILTER (WHERE s.instrument_id IS NOT NULL AND s.start_date > m.start_date "
    "AND s.start_date <= %(d)s) AS back_on, "
    f"coalesce(bool_or(s.instrument_id IS NULL AND {COVERING_D}), false) AS regular_on_d "
    "FROM employees_employment s WHERE s.employee_id = m.employee_id) f"
)
YEAR_OF_MOVE = f"{YEAR.format('m.start_date')} AS year"
SQL["q4_lasting_work_by_year"] = _unpivot(
    [
        ("moved", "count(*)"),
        ("regular_after_3_months", "count(*) FILTER (WHERE f.r3)"),
        ("regular_after_6_months", "count(*) FILTER (WHERE f.r6)"),
        ("regular_after_12_months", "count(*) FILTER (WHERE f.r12)"),
        ("back_to_social_economy", "count(*) FILTER (WHERE f.back_on IS NOT NULL)"),
        ("in_regular_work", "count(*) FILTER (WHERE f.back_on IS NULL AND f.regular_on_d)"),
        ("neither", "count(*) FILTER (WHERE f.back_on IS NULL AND NOT f.regular_on_d)"),
    ],
    MOVE_FIGURES,
    labels=YEAR_OF_MOVE,
    group="1",
)
SQL["q4_return_to_social_economy_by_year"] = (
    "SELECT CASE WHEN f.back_on <= (m.start_date + interval '3 months')::date THEN '0-3m' "
    "WHEN f.back_on <= (m.start_date + interval '6 months')::date THEN '3-6m' "
    "WHEN f.back_on <= (m.start_date + interval '12 months')::date THEN '6-12m' ELSE '12m+' END, "
    f"{YEAR.format('m.start_date')}, count(*) {MOVE_FIGURES} WHERE f.back_on IS NOT NULL GROUP BY 1, 2"
)


def _quarter(n: int) -> str:
    """Regular work in the n-th calendar quarter after the exit quarter, that quarter observed by D."""
    start = f"(date_trunc('quarter', t.end_date)::date + interval '{3 * n} months')::date"
    end = f"(date_trunc('quarter', t.end_date)::date + interval '{3 * (n + 1)} months')::date"
    return (
        f"{end} <= %(d1)s AS observed_q{n}, {end} <= %(d1)s AND EXISTS (SELECT 1 FROM employees_employment s "
        f"WHERE s.employee_id = t.employee_id AND s.instrument_id IS NULL AND s.start_date < {end} "
        f"AND (s.end_date IS NULL OR s.end_date >= {start})) AS work_q{n}"
    )


EXITS = f"FROM (SELECT t.end_date, {_quarter(2)}, {_quarter(4)} {ENDED_432}) t"
SQL["q4_regular_work_after_exit_by_year"] = _unpivot(
    [
        ("ended", "count(*)"),
        ("observed_q2", "count(*) FILTER (WHERE t.observed_q2)"),
        ("regular_work_q2", "count(*) FILTER (WHERE t.work_q2)"),
        (
            "share_q2",
            "round(count(*) FILTER (WHERE t.work_q2)::numeric / nullif(count(*) FILTER (WHERE t.observed_q2), 0), 2)",
        ),
        ("observed_q4", "count(*) FILTER (WHERE t.observed_q4)"),
        ("regular_work_q4", "count(*) FILTER (WHERE t.work_q4)"),
        (
            "share_q4",
            "round(count(*) FILTER (WHERE t.work_q4)::numeric / nullif(count(*) FILTER (WHERE t.observed_q4), 0), 2)",
        ),
    ],
    EXITS,
    labels=f"{YEAR.format('t.end_date')} AS year",
    group="1",
)

# Money per partner and year: the grants (by the grant's year) beside what the trajectories
# earned (by their start year), joined on partner and year for the costs per trajectory and person.
SQL["q2e_money_by_partner_year"] = (
    "WITH g AS (SELECT " + LABEL.format("o.name") + " AS partner, g.year::text AS year, "
    "sum(g.esf_amount + g.flemish_amount) AS total, sum(g.esf_amount) AS esf, sum(g.flemish_amount) AS flemish, "
    "sum(g.spent_amount) AS spent FROM partners_grant g JOIN partners_call c ON c.id = g.call_id AND c.number = '432' "
    "JOIN partners_organisation o ON o.id = g.partner_id GROUP BY 1, 2), "
    "t AS (SELECT " + LABEL.format("o.name") + " AS partner, " + YEAR.format("t.start_date") + " AS year, "
    "sum(c.standard_cost) AS earned, count(*) AS trajectories, "
    "count(DISTINCT t.employee_id) FILTER (WHERE EXISTS (SELECT 1 FROM employees_employment s "
    "WHERE s.employee_id = t.employee_id AND s.instrument_id IS NULL AND "
    + COVERING_D
    + ")) AS persons_at_work "
    + T432.replace(" WHERE ", " JOIN partners_organisation o ON o.id = t.partner_id WHERE ", 1)
    + " GROUP BY 1, 2) "
    "SELECT partner, figure, year, n FROM g CROSS JOIN LATERAL (VALUES ('total', total), ('esf', esf), "
    "('flemish_cofinancing', flemish), ('spent', spent)) v(figure, n) "
    "UNION ALL SELECT partner, figure, year, n FROM t CROSS JOIN LATERAL (VALUES ('earned', earned), "
    "('trajectories', trajectories), ('persons_at_work', persons_at_work)) v(figure, n) "
    "UNION ALL SELECT t.partner, v.figure, t.year, v.n FROM t JOIN g USING (partner, year) CROSS JOIN LATERAL (VALUES "
    "('cost_per_trajectory', round(g.spent / nullif(t.trajectories, 0), 2)), "
    "('cost_per_person_at_work', round(g.spent / nullif(t.persons_at_work, 0), 2))) v(figure, n)"
)


def sql_cells(rows) -> dict:
    """The SQL's rows as {labels in the report's dimension order: value}, empty cells left out."""
    cells = {}
    for row in rows:
        *labels, value = row
        cells[tuple(str(label) for label in labels)] = value
    return {k: v for k, v in cells.items() if v not in (None, 0)}


def app_cells(result) -> dict:
    return {tuple(k): v for k, v in result.cells.items() if v not in (None, 0)}


def compare(app: dict, sql: dict) -> str:
    """'yes (N cells)' when both give the same non-empty cells, else the first differences."""

    def norm(value):
        return Decimal(value).quantize(CENT, ROUND_HALF_UP) if isinstance(value, Decimal) else value

    keys = set(app) | set(sql)
    different = sorted(k for k in keys if norm(app.get(k)) != norm(sql.get(k)))
    if not different:
        return f"yes, {len(keys)} cells"
    shown = "; ".join(f"{'/'.join(k)}: {app.get(k)} vs {sql.get(k)}" for k in different[:3])
    return f"NO: {len(different)} of {len(keys)} cells differ ({shown})"


# --- a few reports as an administrator builds them in the report builder ------------------------------
# Unsaved SavedReport definitions (the builder's fields), run like the pack, each with its SQL.

ADMIN_BUILT = {
    "admin_internships_hired_by_sector_year": (
        {"measure": "internships", "population": "hired", "row_dimensions": ["sector"], "column_dimension": "year"},
        _by(
            f"{LABEL.format('s.sector')}|{YEAR.format('s.start_date')}",
            "",
            "FROM trajectories_internship s WHERE s.start_date BETWEEN %(p)s AND %(d)s",
            where=" AND s.outcome = 'hired'",
        ),
    ),
    "admin_evaluations_by_office_advice": (
        {"measure": "evaluations", "population": "", "row_dimensions": ["office"], "column_dimension": "advice"},
        _by(
            f"{LABEL.format('e.office')}|{LABEL.format('a.code')}",
            "LEFT JOIN evaluations_advice a ON a.id = e.advice_id",
            EVALUATIONS,
        ),
    ),
    "admin_trajectories_by_status_instrument": (
        {"measure": "trajectories", "population": "", "row_dimensions": ["status"], "column_dimension": "instrument"},
        _unpivot(
            [
                ("trajectories", "count(*)"),
                ("running", "count(*) FILTER (WHERE t.end_date IS NULL OR t.end_date > %(d)s)"),
                ("ended", "count(*) FILTER (WHERE t.end_date <= %(d)s)"),
                ("persons", "count(DISTINCT t.employee_id)"),
            ],
            "FROM trajectories_trajectory t LEFT JOIN employees_instrument i ON i.id = t.instrument_id "
            "WHERE t.start_date BETWEEN %(p)s AND %(d)s",
            labels=f"{LABEL.format('i.name')} AS instrument",
            group="1",
        ),
    ),
    "admin_ended_by_reason_year": (
        {"measure": "ended", "population": "ended", "row_dimensions": ["end_reason"], "column_dimension": "year"},
        _by(
            f"{LABEL.format('r.code')}|{YEAR.format('t.end_date')}",
            "LEFT JOIN trajectories_endreason r ON r.id = t.end_reason_id",
            "FROM trajectories_trajectory t WHERE t.start_date BETWEEN %(p)s AND %(d)s AND t.end_date <= %(d)s",
        ),
    ),
    "admin_at_work_by_status_province": (
        {"measure": "at_work", "population": "", "row_dimensions": ["status"], "column_dimension": "province"},
        "SELECT 'trajectories', "
        + PROVINCE.format("o.province")
        + ", count(*) FROM trajectories_trajectory t "
        + ORG.format("t.se_employer_id")
        + " WHERE t.start_date BETWEEN %(p)s AND %(d)s GROUP BY 2 UNION ALL "
        + _unpivot(
            [
                ("persons", "count(*)"),
                ("at_work", "count(*) FILTER (WHERE w.regular)"),
                ("at_work_without_support_package", "count(*) FILTER (WHERE w.without_package)"),
                ("at_work_with_support_package", "count(*) FILTER (WHERE w.regular AND NOT w.without_package)"),
                ("at_work_internal", "count(*) FILTER (WHERE w.internal)"),
                ("at_work_external", "count(*) FILTER (WHERE w.regular AND NOT w.internal)"),
            ],
            "FROM (SELECT DISTINCT ON (t.employee_id) t.* FROM trajectories_trajectory t "
            "WHERE t.start_date BETWEEN %(p)s AND %(d)s ORDER BY t.employee_id, t.start_date DESC, t.id DESC) t "
            + ORG.format("t.se_employer_id")
            + " CROSS JOIN LATERAL (SELECT coalesce(bool_or(true), false) AS regular, "
            "coalesce(bool_or(NOT s.with_support_package), false) AS without_package, "
            "coalesce(bool_or(s.employer_id = t.se_employer_id), false) AS internal FROM employees_employment s "
            f"WHERE s.employee_id = t.employee_id AND s.instrument_id IS NULL AND {COVERING_D}) w",
            labels=PROVINCE.format("o.province") + " AS province",
            group="1",
        ),
    ),
}


# --- issue 16: the pathway of the persons advised ready, and the figures per social-economy employer --------
# Group first, then label: each person's facts from one pass over each table (grouped by person), the
# first regular job once per person, the figures counted per year; the employers counted by their ids and
# named afterwards.

REFERENCE = (
    "(SELECT DISTINCT ON (e.employee_id) e.employee_id, e.evaluation_date, e.employer_id, e.instrument_id "
    "FROM evaluations_evaluation e WHERE e.advice_id = (SELECT id FROM evaluations_advice WHERE code = 'ready') "
    "AND (e.evaluation_date IS NULL OR e.evaluation_date BETWEEN %(p)s AND %(d)s) "
    "ORDER BY e.employee_id, e.evaluation_date NULLS LAST, e.id)"
)
# A moment (answered_at, withdrawn_at) on or before the end of D, in the project's time zone.
BY_D = "{0} < (%(d1)s::date::timestamp AT TIME ZONE 'Europe/Brussels')"


def _regular_at_job(months: int) -> str:
    moment = f"(c.job + interval '{months} months')::date"
    return (
        f"(c.job IS NOT NULL AND EXISTS (SELECT 1 FROM employees_employment s WHERE s.employee_id = c.employee_id "
        f"AND s.instrument_id IS NULL AND s.start_date <= {moment} AND (s.end_date IS NULL OR s.end_date >= {moment})))"
    )


def _passed(months: int) -> str:
    return f"coalesce((c.job + interval '{months} months')::date <= %(d)s, false)"


# Per person of the cohort: the first date of each step and the facts of the pathway.
PATHWAY_PERSONS = (
    # The facts read from the first job in a lateral subquery kept apart (OFFSET 0), so that each
    # probe runs once per person and not once per figure that reads it.
    "(SELECT c.*, f.* FROM (SELECT c.employee_id, c.evaluation_date AS ready, r.referred, coalesce(r.declined, false) AS declined, "
    "coalesce(r.open, false) AS open_referral, t.started, coalesce(t.running, false) AS running, t.ended, "
    "i.internship, j.job "
    f"FROM {REFERENCE} c "
    # A lateral join, not a subquery in the select list: PostgreSQL inlines a select list into every
    # expression that uses it, which probed the person's spells once per use.
    "LEFT JOIN LATERAL (SELECT min(s.start_date) AS job FROM employees_employment s "
    "WHERE s.employee_id = c.employee_id AND s.instrument_id IS NULL AND s.start_date <= %(d)s "
    "AND (c.evaluation_date IS NULL OR s.start_date >= c.evaluation_date)) j ON true "
    "LEFT JOIN (SELECT employee_id, min(registered_on) AS referred, "
    f"bool_or(status = 'declined' AND {BY_D.format('answered_at')}) AS declined, "
    "bool_or(NOT (status = 'started' AND (answered_at IS NULL OR "
    + BY_D.format("answered_at")
    + ") OR status = 'declined' AND coalesce("
    + BY_D.format("answered_at")
    + ", false) OR status = 'withdrawn' AND (withdrawn_at IS NULL OR "
    + BY_D.format("withdrawn_at")
    + "))) AS open FROM evaluations_referral WHERE registered_on <= %(d)s GROUP BY employee_id) r "
    "ON r.employee_id = c.employee_id "
    "LEFT JOIN (SELECT employee_id, min(start_date) AS started, bool_or(end_date IS NULL OR end_date > %(d)s) "
    "AS running, min(end_date) FILTER (WHERE end_date <= %(d)s) AS ended FROM trajectories_trajectory "
    "WHERE start_date <= %(d)s GROUP BY employee_id) t ON t.employee_id = c.employee_id "
    "LEFT JOIN (SELECT t.employee_id, min(s.start_date) AS internship FROM trajectories_internship s "
    "JOIN trajectories_trajectory t ON t.id = s.trajectory_id WHERE s.start_date <= %(d)s GROUP BY t.employee_id) i "
    "ON i.employee_id = c.employee_id) c CROSS JOIN LATERAL (SELECT "
    + ", ".join(f"{_passed(n)} AS passed_{n}, {_regular_at_job(n)} AS regular_at_{n}" for n in (6, 12))
    + ", (c.job IS NOT NULL AND EXISTS (SELECT 1 FROM employees_employment s WHERE s.employee_id = c.employee_id "
    "AND s.instrument_id IS NOT NULL AND s.start_date <= %(d)s AND s.start_date > c.job)) AS back OFFSET 0) f)"
)
_JOB = "c.job IS NOT NULL"
PATHWAY_STEPS = [
    ("advised_ready", "true"),
    ("referred", "c.referred IS NOT NULL"),
    ("trajectory_started", "c.started IS NOT NULL"),
    ("internship", "c.internship IS NOT NULL"),
    ("trajectory_ended", "c.ended IS NOT NULL"),
    ("regular_job", _JOB),
    ("regular_work_6_months", f"{_JOB} AND c.passed_6 AND c.regular_at_6"),
    ("regular_work_12_months", f"{_JOB} AND c.passed_12 AND c.regular_at_12"),
]
PATHWAY_OTHERS = [
    ("regular_job_without_trajectory", f"{_JOB} AND c.started IS NULL"),
    ("not_yet_observable_6_months", f"{_JOB} AND NOT c.passed_6"),
    ("not_yet_observable_12_months", f"{_JOB} AND NOT c.passed_12"),
    ("left_referral_declined", "c.declined AND c.started IS NULL"),
    ("left_after_trajectory", f"c.ended IS NOT NULL AND NOT c.running AND NOT ({_JOB})"),
    ("back_to_social_economy", f"{_JOB} AND c.back"),
    ("in_progress", "c.running OR c.open_referral AND c.started IS NULL"),
]
PATHWAY_INTERVALS = [
    ("ready_to_referred", "referred", "ready"),
    ("referred_to_started", "started", "referred"),
    ("started_to_internship", "internship", "started"),
    ("started_to_ended", "ended", "started"),
    ("ended_to_job", "job", "ended"),
    ("ready_to_job", "job", "ready"),
]
_PATHWAY_FIGURES = [
    *[(code, f"count(*) FILTER (WHERE {condition})") for code, condition in PATHWAY_STEPS + PATHWAY_OTHERS],
    *[
        (
            f"share_{code}",
            f"round((count(*) FILTER (WHERE {condition}))::numeric / count(*), 2)",
        )
        for code, condition in PATHWAY_STEPS[1:]
    ],
    *[
        (
            f"median_days_{name}",
            f"round((percentile_cont(0.5) WITHIN GROUP (ORDER BY c.{later} - c.{earlier}) "
            f"FILTER (WHERE c.{later} >= c.{earlier}))::numeric, 2)",
        )
        for name, later, earlier in PATHWAY_INTERVALS
    ],
]
SQL["pathway_by_cohort_year"] = _unpivot(
    _PATHWAY_FIGURES, f"FROM {PATHWAY_PERSONS} c", labels=f"{YEAR.format('c.ready')} AS year", group="1"
)

# Per social-economy employer: "name (instrument)" of an employer and an instrument, from their ids.
SE_LABEL = (
    "(SELECT o.name FROM partners_organisation o WHERE o.id = {0}) || ' (' || "
    "coalesce((SELECT i.name FROM employees_instrument i WHERE i.id = {1}), 'onbekend') || ')'"
)
# The move (question 4's unit: each person's first regular-economy spell started after their first
# social-economy spell) with the social-economy spell it moved from (the latest started before it).
MOVES_FROM = (
    "FROM (SELECT DISTINCT ON (m.employee_id) m.employee_id, m.employer_id, m.start_date FROM employees_employment m "
    "WHERE m.instrument_id IS NULL AND m.start_date BETWEEN %(p)s AND %(d)s AND m.start_date > (SELECT min(s.start_date) "
    "FROM employees_employment s WHERE s.employee_id = m.employee_id AND s.instrument_id IS NOT NULL) "
    "ORDER BY m.employee_id, m.start_date, m.id) m "
    "CROSS JOIN LATERAL (SELECT s.employer_id, s.instrument_id FROM employees_employment s "
    "WHERE s.employee_id = m.employee_id AND s.instrument_id IS NOT NULL AND s.start_date < m.start_date "
    "ORDER BY s.start_date DESC, s.id DESC LIMIT 1) f"
)
_PER_100 = ("advised_ready", "moved_internal", "moved_external", "regular_after_12_months")
SQL["transitions_by_se_employer"] = (
    # By instrument first: one sort of the spells read in a row, where grouping by employer first read
    # them through the index on employer_id, 2.5 times slower (2.2 s against 0.9 s).
    "WITH workers AS (SELECT instrument_id, employer_id, count(DISTINCT employee_id) AS n "
    "FROM employees_employment WHERE instrument_id IS NOT NULL AND start_date <= %(d)s GROUP BY 1, 2), "
    "ready AS (SELECT coalesce(f.employer_id, c.employer_id) AS employer_id, "
    "CASE WHEN f.employer_id IS NULL THEN c.instrument_id ELSE f.instrument_id END AS instrument_id, count(*) AS n "
    f"FROM {REFERENCE} c LEFT JOIN LATERAL (SELECT s.employer_id, s.instrument_id FROM employees_employment s "
    "WHERE s.employee_id = c.employee_id AND s.instrument_id IS NOT NULL AND s.start_date <= c.evaluation_date "
    "AND (s.end_date IS NULL OR s.end_date >= c.evaluation_date) ORDER BY s.start_date DESC, s.id DESC LIMIT 1) f "
    "ON true GROUP BY 1, 2), "
    "moves AS (SELECT f.employer_id, f.instrument_id, "
    "count(*) FILTER (WHERE m.employer_id = f.employer_id) AS internal, "
    "count(*) FILTER (WHERE m.employer_id <> f.employer_id) AS external, "
    "count(*) FILTER (WHERE (m.start_date + interval '12 months')::date <= %(d)s AND EXISTS (SELECT 1 "
    "FROM employees_employment s WHERE s.employee_id = m.employee_id AND s.instrument_id IS NULL "
    "AND s.start_date <= (m.start_date + interval '12 months')::date "
    "AND (s.end_date IS NULL OR s.end_date >= (m.start_date + interval '12 months')::date))) AS lasting "
    f"{MOVES_FROM} GROUP BY 1, 2), "
    # The labels, once per employer and instrument; a label shared by two of them adds up their figures
    # (persons counted once per employer and instrument: the bench's organisations have distinct names).
    "figures AS (SELECT coalesce(" + SE_LABEL.format("x.employer_id", "x.instrument_id") + ", 'onbekend') AS label, "
    "x.figure, sum(x.n) AS n FROM (SELECT employer_id, instrument_id, 'workers' AS figure, n FROM workers "
    "UNION ALL SELECT employer_id, instrument_id, 'advised_ready', n FROM ready "
    "UNION ALL SELECT employer_id, instrument_id, v.figure, v.n FROM moves CROSS JOIN LATERAL (VALUES "
    "('moved_internal', internal), ('moved_external', external), ('regular_after_12_months', lasting)) v(figure, n)"
    ") x GROUP BY 1, 2) "
    "SELECT f.label, v.figure, v.n FROM (SELECT label, figure, n, "
    "sum(n) FILTER (WHERE figure = 'workers') OVER (PARTITION BY label) AS workers FROM figures) f "
    "CROSS JOIN LATERAL (VALUES (f.figure, f.n), (f.figure || '_per_100', CASE WHEN f.figure IN "
    + str(_PER_100)
    + " AND f.workers > 0 THEN round(100 * f.n / f.workers, 2) END)) v(figure, n)"
)
