"""Organisations and grants get a registration date (issue 14), so that `known_at` leaves them out before it.

Existing records are dated by their first history row (its day in Europe/Brussels): that is when the
register first held them, and what the reports read at `known_at` until now (data brought in with
`registered_on`, such as the demo, dated that row). A record without history rows takes the day it was
created in this application. History rows take their record's date, as if it had been set from the start.
"""

from collections import defaultdict

import common.validators
import django.utils.timezone
from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def _date_existing(model_name):
    def run(apps, schema_editor):
        model = apps.get_model("partners", model_name)
        history = apps.get_model("partners", f"Historical{model_name}")
        first = dict(history.objects.values("id").annotate(first=Min("history_date")).values_list("id", "first"))
        for pk, created_at in model.objects.values_list("pk", "created_at"):
            first[pk] = min(first.get(pk, created_at), created_at)
        by_day = defaultdict(list)
        for pk, moment in first.items():
            by_day[timezone.localtime(moment).date()].append(pk)
        for day, ids in by_day.items():
            for start in range(0, len(ids), 1000):
                chunk = ids[start : start + 1000]
                model.objects.filter(pk__in=chunk).update(registered_on=day)
                history.objects.filter(id__in=chunk).update(registered_on=day)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_organisation_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="grant",
            name="registered_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                help_text="The date the record was first registered at its source.",
                validators=[common.validators.validate_not_future],
                verbose_name="registered on",
            ),
        ),
        migrations.AddField(
            model_name="historicalgrant",
            name="registered_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                help_text="The date the record was first registered at its source.",
                validators=[common.validators.validate_not_future],
                verbose_name="registered on",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganisation",
            name="registered_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                help_text="The date the record was first registered at its source.",
                validators=[common.validators.validate_not_future],
                verbose_name="registered on",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="registered_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                help_text="The date the record was first registered at its source.",
                validators=[common.validators.validate_not_future],
                verbose_name="registered on",
            ),
        ),
        migrations.RunPython(_date_existing("Organisation"), migrations.RunPython.noop),
        migrations.RunPython(_date_existing("Grant"), migrations.RunPython.noop),
    ]
