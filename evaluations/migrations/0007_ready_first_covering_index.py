"""The index of each person's first ready evaluation carries the columns q1 groups by (issue 6).

0006 made the inner side of the anti-join "no ready evaluation of the same
person comes before it" (reports.measures.ready_units) an index-only scan. Its
outer side still read the table: the reports of question 1 group the reference
evaluations by instrument, employer (province) and age, which were not in the
index. EXPLAIN (ANALYZE, BUFFERS) on bench_1m (1,000,000 persons, 105,000
evaluations with a ready advice, 35,000 of them by the answer's date) for
q1_ready_by_instrument_province_year: an index scan by advice_id reading 4,500
heap pages (23 ms of a 60 ms statement) beside the index-only scan of the inner
side (1,150 pages).

- evaluations_eval_advice_person_idx, now (advice_id, employee_id,
  evaluation_date, id) INCLUDE (employer_id, instrument_id, age_years): both
  sides of the anti-join are index-only scans of the same index (870 pages
  each, no heap fetch once the table is vacuumed), and the statement takes
  35 ms instead of 60 (EXPLAIN ANALYZE without timing, median of 5, on the
  shared machine). The key columns are those of 0006, so every plan that read
  the old index reads this one.

PostgreSQL only (INCLUDE); on other databases the index of 0006 stays as it is.
The model state is not touched (as 0006), so makemigrations sees no change.
"""

from django.db import migrations

NAME = "evaluations_eval_advice_person_idx"
KEY = "evaluations_evaluation (advice_id, employee_id, evaluation_date, id)"
COVERING = f"CREATE INDEX {NAME} ON {KEY} INCLUDE (employer_id, instrument_id, age_years)"
PLAIN = f"CREATE INDEX {NAME} ON {KEY}"


def _replace(create):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")
        schema_editor.execute(create)

    return run


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0006_ready_first_index")]

    operations = [migrations.RunPython(_replace(COVERING), _replace(PLAIN))]
