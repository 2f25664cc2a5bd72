"""The access log (AccessEvent) takes over the look-ups by INSZ (PersonLookup, copied then removed), and
the retention command's record (AnonymisationRun); an anonymised person's INSZ is NULL (several NULLs
stay allowed by the unique constraint, on SQLite and PostgreSQL alike)."""

import common.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def copy_lookups(apps, schema_editor):
    """Every look-up by INSZ becomes an access event, with its user, organisation, number, person and time."""
    PersonLookup = apps.get_model("employees", "PersonLookup")
    AccessEvent = apps.get_model("employees", "AccessEvent")
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user_id=lookup.user_id,
            organisation_id=lookup.organisation_id,
            action="insz_lookup",
            insz=lookup.insz,
            employee_id=lookup.employee_id,
            occurred_at=lookup.looked_up_at,
        )
        for lookup in PersonLookup.objects.order_by("id").iterator()
    )


def copy_events_back(apps, schema_editor):
    PersonLookup = apps.get_model("employees", "PersonLookup")
    AccessEvent = apps.get_model("employees", "AccessEvent")
    for event in AccessEvent.objects.filter(action="insz_lookup").order_by("id").iterator():
        lookup = PersonLookup.objects.create(
            user_id=event.user_id,
            organisation_id=event.organisation_id,
            insz=event.insz,
            employee_id=event.employee_id,
            found=event.employee_id is not None,
        )
        PersonLookup.objects.filter(pk=lookup.pk).update(looked_up_at=event.occurred_at)


class Migration(migrations.Migration):

    dependencies = [
        ('employees', '0004_search_trigram_indexes'),
        ('partners', '0003_search_trigram_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnonymisationRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='started at')),
                ('run_by', models.CharField(help_text='The command or user that ran it.', max_length=150, verbose_name='run by')),
                ('retention_years', models.PositiveSmallIntegerField(verbose_name='retention (years)')),
                ('cutoff', models.DateField(verbose_name='last record before')),
                ('persons', models.PositiveIntegerField(verbose_name='persons anonymised')),
            ],
            options={
                'verbose_name': 'anonymisation run',
                'verbose_name_plural': 'anonymisation runs',
                'ordering': ['-started_at'],
            },
        ),
        migrations.AlterField(
            model_name='employee',
            name='insz',
            field=models.CharField(help_text='National register or BIS number: 11 digits. Empty once the person is anonymised.', max_length=11, null=True, unique=True, validators=[common.validators.validate_insz], verbose_name='INSZ number'),
        ),
        migrations.AlterField(
            model_name='historicalemployee',
            name='insz',
            field=models.CharField(db_index=True, help_text='National register or BIS number: 11 digits. Empty once the person is anonymised.', max_length=11, null=True, validators=[common.validators.validate_insz], verbose_name='INSZ number'),
        ),
        migrations.CreateModel(
            name='AccessEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(blank=True, choices=[('VDAB-evaluator', 'VDAB evaluator'), ('Partnermedewerker', 'Partner staff'), ('Beheerder', 'Administrator'), ('Analist', 'Analyst')], max_length=30, verbose_name='role')),
                ('action', models.CharField(choices=[('person_viewed', 'person page opened'), ('list_exported', 'list exported'), ('insz_lookup', 'looked up by INSZ')], max_length=20, verbose_name='action')),
                ('insz', models.CharField(blank=True, help_text='Only for a look-up by INSZ.', max_length=11, verbose_name='INSZ number looked up')),
                ('list_name', models.CharField(blank=True, max_length=100, verbose_name='list')),
                ('export_format', models.CharField(blank=True, max_length=10, verbose_name='format')),
                ('filters', models.TextField(blank=True, verbose_name='filters')),
                ('row_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='rows')),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='when')),
                ('employee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='access_events', to='employees.employee', verbose_name='person')),
                ('organisation', models.ForeignKey(blank=True, help_text="The user's organisation at the moment of access.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='access_events', to='partners.organisation', verbose_name='organisation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='access_events', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'access event',
                'verbose_name_plural': 'access log',
                'ordering': ['-occurred_at', '-id'],
            },
        ),
        # "Who looked at this person": one person's events found and read newest first through the index, without a sort.
        migrations.AddIndex(
            model_name='accessevent',
            index=models.Index(fields=['employee', '-occurred_at'], name='employees_access_person_idx'),
        ),
        # The access log list opens newest first (and filters on a date range) over a table that only grows.
        migrations.AddIndex(
            model_name='accessevent',
            index=models.Index(fields=['-occurred_at'], name='employees_access_when_idx'),
        ),
        migrations.AddConstraint(
            model_name='accessevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('action', 'person_viewed'), _negated=True), ('employee__isnull', False), _connector='OR'), name='employees_accessevent_view_has_person'),
        ),
        migrations.RunPython(copy_lookups, copy_events_back),
        migrations.DeleteModel(
            name='PersonLookup',
        ),
    ]
