"""Indexes that give the evaluation and referral lists their rows in order, without a sort (issue 6).

Both lists are shown newest first with the id as tie-breaker, as their Meta
orderings say: ORDER BY evaluation_date DESC, id DESC and ORDER BY
registered_on DESC, id DESC, 25 rows per page with OFFSET.

- evaluations_eval_date_id_idx (evaluation_date, id): with only the index on
  evaluation_date, EXPLAIN ANALYZE at 100,000 persons (30,000 evaluations)
  showed an incremental sort for page 1 and, for page 1,000, a sort of the
  whole table that spilled to disk ("external merge Disk: 2984kB", 120 ms).
  With both columns the planner walks the index backwards and reads the rows
  already in order: no sort, no spill, the same plan for every page.
- evaluations_referral_registered_id_idx (registered_on, id): the referral list
  had no index for its order at all, so every page read and sorted the whole
  table (a top-N heapsort after a sequential scan).

Plain CREATE INDEX, as in the model's own indexes; the model state is not
touched (RunSQL), so makemigrations sees no change. Valid on SQLite as well.
"""

from django.db import migrations

INDEXES = {
    "evaluations_eval_date_id_idx": "evaluations_evaluation (evaluation_date, id)",
    "evaluations_referral_registered_id_idx": "evaluations_referral (registered_on, id)",
}


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0003_referral")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES.items()
    ]
