"""A trigram index for the evaluation list's VDAB office filter (issue 17).

`?office=Hasselt` is an icontains, UPPER(office) LIKE '%HASSELT%', which no index served: at
371,000 evaluations (bench_1m) a sequential scan of the table. Worse, PostgreSQL had no
statistics on UPPER(office) and guessed 37 matches for 50,220 (2,972 for 353,089), so that the
list sorted every match to show the first 25 (common/tables.py, few matches planned), spilling
to disk for ?office=VDAB. This index serves the LIKE and, as an index on the expression, gives
ANALYZE the expression's statistics: the planner now expects 50,000 matches, counts them and
reads the page in the list's order. Measured as employees 0016 says (the test client, page 1,
the list's slowest statement, median of 6, load average 2.0 to 2.4):

| filter | before | after |
|---|---:|---:|
| ?office=Hasselt (50,220) | 66 ms | 27 ms (the count, bitmap scan) |
| ?office=Hasselt&year=2019 (3,941) | 20 ms | 12 ms (both indexes ANDed) |
| ?office=VDAB (353,089, nearly all) | 163 ms | 64 ms (the count, a scan, as it should be) |

- evaluations_eval_office_trgm, GIN (UPPER(office) gin_trgm_ops): 6 MB (seven offices, so the
  posting lists compress well), CREATE INDEX 0.5 s. With the age index of 0011, an INSERT ...
  SELECT of 50,000 evaluations took 1.1 s instead of 0.9 s.

PostgreSQL only (pg_trgm, employees 0004); SQLite has no pg_trgm: there the migration does
nothing. The model state is not touched, so makemigrations sees no change.
"""

from django.db import migrations

INDEX = "evaluations_eval_office_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON evaluations_evaluation USING gin (UPPER(office::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0011_list_filter_indexes"), ("employees", "0004_search_trigram_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
