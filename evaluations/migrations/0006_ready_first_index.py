"""An index that finds each person's first ready evaluation without reading the evaluations (issue 6).

The ministerial pack's question 1 counts each person once, at their reference
evaluation: the earliest dated one advising 'ready' (reports.measures.ready_units,
an anti-join "no ready evaluation of the same person comes before it"). EXPLAIN
ANALYZE at 1,000,000 persons (300,000 evaluations, 35,000 ready by the
answer's date) showed both sides of that anti-join reading every evaluation of
the advice from the table (a bitmap or index scan by advice_id, 70,000 rows
removed by the date filter on each side) before hashing them.

- evaluations_eval_advice_person_idx (advice_id, employee_id, evaluation_date, id):
  the inner side of the anti-join needs only these columns, so it becomes an
  index-only scan of the ready advices.

Plain CREATE INDEX, as in the model's own indexes; the model state is not
touched (RunSQL), so makemigrations sees no change. Valid on SQLite as well.
"""

from django.db import migrations

INDEXES = {
    "evaluations_eval_advice_person_idx": "evaluations_evaluation (advice_id, employee_id, evaluation_date, id)",
}


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0005_record_set_null_in_history")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES.items()
    ]
