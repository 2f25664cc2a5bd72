"""Indexes for the person list's filters (issue 17).

Every filter of the person list (employees/filters.py) read the whole table at 1,000,000
persons: a parallel sequential scan of employees_employee (34,000 pages) for the page, the
count or both, 70 to 100 ms whatever the value. Measured on a copy of bench_1m with the test
client under production settings, page 1 in the list's order, the list's slowest statement
(median of 6; the machine shared, load average 2.0 to 2.4), checked with EXPLAIN (ANALYZE,
BUFFERS):

| filter | before | after | the statement after |
|---|---:|---:|---|
| ?gender=x (9,924 persons) | 102 ms | 11 ms | the matches from the index, sorted with their count |
| ?gender=m (499,323) | 77 ms | 19 ms | the count, index-only |
| ?age_band=<25 (8,397) | 104 ms | 13 ms | bitmap scan of the matches, sorted |
| ?age_band=25-54 (815,841) | 72 ms | 31 ms | the count, index-only |
| ?age_band=55+ (175,762) | 70 ms | 7 ms | the count, index-only |
| ?age_band=onbekend (none) | 92 ms | 0.3 ms | |
| ?registered=2014 (69,476) | 82 ms | 3 ms | the count, index-only |

The whole request went from 95-135 ms to 8-53 ms. A common value's page walks the name index
(employees 0009) and stops after 25 matches, as before; what remained was its count.

- employees_emp_gender_idx, employees_emp_birth_date_idx, employees_emp_registered_idx: one
  column each, 7 MB each (B-tree deduplication: few distinct values). An index on (gender,
  last_name, first_name, id) made ?gender=x's page and count one index-only scan (4 ms) but
  was 45 MB, cost twice as much on every insert, and counted a common gender slower (40 ms).

Writes: an INSERT ... SELECT of 50,000 persons took 1.2 s without these indexes and 1.6 s with
them (about 7 µs a person). CREATE INDEX of the three: 1.3 s at 1,000,000 persons.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("employees", "0015_search_text_trigram_index")]

    operations = [
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["gender"], name="employees_emp_gender_idx"),
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["birth_date"], name="employees_emp_birth_date_idx"),
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["registered_on"], name="employees_emp_registered_idx"),
        ),
    ]
