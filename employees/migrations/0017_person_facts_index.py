"""A person's gender and birth date beside their id, so that reports read them without the table (issue 17).

esf_participants_by_gender_year (in the load mix) labels the 68,000 trajectories of call 432 by their
person's gender: at 1,000,000 persons PostgreSQL joined them to a parallel sequential scan of the whole
of employees_employee (267 MB, 34,000 pages, read through the OS cache past a 128 MB shared_buffers),
the age report beside it reading only the trajectories (8 times less). Probing the primary key once per
trajectory read as many pages. Measured on a copy of bench_1m with the app's settings (jit off,
random_page_cost 1.1), the statement interleaved with the same statement on bench_1m, median of 5, the
machine shared (load average 5.1 to 5.4):

| | before | after |
|---|---:|---:|
| statement, as planned (parallel) | 883 ms | 476 ms |
| statement, one process (its CPU) | 1,162 ms (550 ms) | 294 ms (140 ms) |
| pages read (EXPLAIN BUFFERS) | 35,500 | 5,400 |
| bench_100k, as planned | 119 ms | 42 ms |

- employees_emp_person_facts_idx (id) INCLUDE (gender, birth_date): 30 MB at 1,000,000 persons; the
  statement reads it index-only (a merge or hash join with it, no heap fetch once the table is vacuumed).
  The birth date is in it for the age band of an undated evaluation (reports.engine.age_band_of), read by
  one probe per such evaluation.

Writes: CREATE INDEX 1.3 s at 1,000,000 persons; an INSERT ... SELECT of 50,000 persons took 5.9 to 9.1 s
with it and 5.7 to 7.0 s without (the noise of the shared machine: the trigram index dominates).
SQLite keeps an index on (id) alone (Django leaves INCLUDE out where a database has no covering indexes).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("employees", "0016_list_filter_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["id"], include=("gender", "birth_date"), name="employees_emp_person_facts_idx"),
        ),
    ]
