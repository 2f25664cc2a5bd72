"""An index of the regular-economy spells only, with every column the reports read of them (issue 6).

Questions 2d and 4 ask, for each counted trajectory or evaluation, whether the
person held a regular-economy job (no instrument) on the reference date, and
whether it came with a work-support package or was with the same employer: a
probe per unit into the person's spells (reports.measures, Flags). At a million
persons 13,306 trajectories of call 432 probed employees_employment_emp_idx
(employee_id, start_date), and each probe fetched from the table the person's
social-economy spell only to drop it on `instrument_id IS NULL` (EXPLAIN
ANALYZE on bench_1m: 40 ms of the 64 ms of q2d_at_work). 86,397 of the
1,086,397 spells are regular.

- employees_empl_regular_idx (employee_id, start_date) INCLUDE (end_date,
  employer_id, with_support_package, instrument_id) WHERE instrument_id IS NULL:
  a twelfth of the spells, and every column the probe reads, so each probe is
  an index-only scan that finds nothing for most persons without touching the
  table. q2d_at_work: 64 -> 38 ms; q2d_at_work_by_age: 17 ms (EXPLAIN ANALYZE
  on the same database). The hand-written SQL of bench/pack_sql.py uses it too.

SQLite keeps the partial index without the INCLUDE columns (Django leaves them
out where a database has no covering indexes).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('employees', '0010_access_log_history_viewed'),
        ('partners', '0003_search_trigram_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='employment',
            index=models.Index(condition=models.Q(('instrument__isnull', True)), fields=['employee', 'start_date'], include=('end_date', 'employer', 'with_support_package', 'instrument'), name='employees_empl_regular_idx'),
        ),
    ]
