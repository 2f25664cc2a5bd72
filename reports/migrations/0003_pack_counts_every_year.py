"""The pack's q1 and q3 reports count every evaluation, from any year.

docs/measures.md counts every evaluation registered by `known_at` and dated by
`as_of`; the parliamentary question asks for figures from 2014. The pack of
0002 limited q1 and q3 to evaluations dated from 1 January 2018 (the answer's
remark that VDAB registers them since then), a filter docs/measures.md does not
state. At the answer's dates nothing is lost (the evaluations of 2014-2017
were registered later), while today's knowledge shows the earlier years too.
"""

import datetime

from django.db import migrations

SLUGS = [
    "q1_ready_by_instrument_province_year",
    "q1_ready_by_instrument_age_year",
    "q1_ready_at_work",
    "q3_evaluations_by_province_year",
    "q3_evaluations_by_age_year",
]


def count_every_year(apps, schema_editor):
    SavedReport = apps.get_model("reports", "SavedReport")
    SavedReport.objects.filter(slug__in=SLUGS, period_from=datetime.date(2018, 1, 1)).update(period_from=None)


def count_from_2018(apps, schema_editor):
    SavedReport = apps.get_model("reports", "SavedReport")
    SavedReport.objects.filter(slug__in=SLUGS, period_from__isnull=True).update(period_from=datetime.date(2018, 1, 1))


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_ministerial_pack")]

    operations = [migrations.RunPython(count_every_year, count_from_2018)]
