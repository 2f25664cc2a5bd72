"""The access log, taken over from the employees app with its table `employees_accessevent` as it is
(employees 0013): only Django's state and the content type move."""

import common.insz
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="employees", target="audit"):
    """The content type follows the model, so that its permissions and admin log entries follow too."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="accessevent").exists():
        ContentType.objects.filter(app_label=source, model="accessevent").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="audit", target="employees")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("employees", "0013_accessevent_moves_to_audit"),
        ("partners", "0003_search_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AccessEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("VDAB-evaluator", "VDAB evaluator"),
                                    ("Partnermedewerker", "Partner staff"),
                                    ("Beheerder", "Administrator"),
                                    ("Analist", "Analyst"),
                                ],
                                max_length=30,
                                verbose_name="role",
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("person_viewed", "person page opened"),
                                    ("list_exported", "list exported"),
                                    ("insz_lookup", "looked up by INSZ"),
                                    ("insz_lookup_refused", "look-up by INSZ refused (limit reached)"),
                                    ("history_viewed", "change history of the person opened"),
                                ],
                                max_length=20,
                                verbose_name="action",
                            ),
                        ),
                        (
                            "insz_encrypted",
                            models.TextField(
                                blank=True, editable=False, null=True, verbose_name="INSZ number looked up (encrypted)"
                            ),
                        ),
                        (
                            "insz_digest",
                            models.CharField(
                                blank=True,
                                editable=False,
                                max_length=64,
                                null=True,
                                verbose_name="INSZ number looked up (keyed hash)",
                            ),
                        ),
                        ("list_name", models.CharField(blank=True, max_length=100, verbose_name="list")),
                        ("export_format", models.CharField(blank=True, max_length=10, verbose_name="format")),
                        ("filters", models.TextField(blank=True, verbose_name="filters")),
                        ("row_count", models.PositiveIntegerField(blank=True, null=True, verbose_name="rows")),
                        (
                            "occurred_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False, verbose_name="when"
                            ),
                        ),
                        (
                            "employee",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="access_events",
                                to="employees.employee",
                                verbose_name="person",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                help_text="The user's organisation at the moment of access.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="access_events",
                                to="partners.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="access_events",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "access event",
                        "verbose_name_plural": "access log",
                        "db_table": "employees_accessevent",
                        "ordering": ["-occurred_at", "-id"],
                        "indexes": [
                            models.Index(fields=["employee", "-occurred_at"], name="employees_access_person_idx"),
                            models.Index(fields=["-occurred_at"], name="employees_access_when_idx"),
                            models.Index(fields=["insz_digest"], name="employees_access_digest_idx"),
                            models.Index(fields=["user", "action", "-occurred_at"], name="employees_access_user_idx"),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("action", "person_viewed"), _negated=True),
                                    ("employee__isnull", False),
                                    _connector="OR",
                                ),
                                name="employees_accessevent_view_has_person",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("insz_digest__isnull", True), ("insz_encrypted__isnull", True)),
                                    models.Q(
                                        ("insz_digest__isnull", False),
                                        ("insz_digest__regex", "^[0-9a-f]{64}$"),
                                        ("insz_encrypted__isnull", False),
                                    ),
                                    _connector="OR",
                                ),
                                name="employees_accessevent_insz_digest_hex",
                            ),
                        ],
                    },
                    bases=(common.insz.INSZMixin, models.Model),
                ),
            ],
        ),
    ]
