"""Indexes that give the trajectory and internship lists their rows in order, without a sort (issue 6).

Both lists are shown by start date, newest first, with the id as tie-breaker
(ORDER BY start_date DESC, id DESC), 25 rows per page with OFFSET.

- trajectories_traj_start_id_idx (start_date, id): the index on start_date
  alone left an incremental sort on id in the plan, and a full sort for deep
  pages (as EXPLAIN ANALYZE showed for the evaluations, which spilled to disk);
  with both columns the planner walks the index backwards and reads the rows
  in order, the same plan for every page.
- trajectories_intern_start_id_idx (start_date, id): the internship list had no
  index for its order: every page read and sorted the whole table (a top-N
  heapsort after a sequential scan).

Plain CREATE INDEX; the model state is not touched (RunSQL), so
makemigrations sees no change. Valid on SQLite as well.
"""

from django.db import migrations

INDEXES = {
    "trajectories_traj_start_id_idx": "trajectories_trajectory (start_date, id)",
    "trajectories_intern_start_id_idx": "trajectories_internship (start_date, id)",
}


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0002_seed_end_reasons")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES.items()
    ]
