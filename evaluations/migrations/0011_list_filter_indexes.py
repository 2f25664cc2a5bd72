"""An index for the evaluation list's age band filter (issue 17).

`?age_band=` compares the age stored with the evaluation (age_years); at 371,000 evaluations
(bench_1m) every band was a sequential scan of the table. Measured as employees 0016 says (the
test client, page 1, the list's slowest statement, median of 6, load average 2.0 to 2.4):

| filter | before | after |
|---|---:|---:|
| ?age_band=55+ (25,349) | 29 ms | 7 ms |
| ?age_band=<25 (29,046) | 42 ms | 8 ms |
| ?age_band=25-54 (309,660) | 38 ms | 22 ms (the count; 20 to 45 ms with the load) |

- evaluations_eval_age_date_idx (age_years, evaluation_date, id): a band's matches and their
  sort keys from the index alone (an index-only scan, then the 25 newest sorted out of them),
  11 MB, CREATE INDEX 0.2 s.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0010_seed_decline_reasons")]

    operations = [
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(fields=["age_years", "evaluation_date", "id"], name="evaluations_eval_age_date_idx"),
        ),
    ]
