from django import forms
from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from common import lookups  # noqa: F401  (registers field__any_of)

# A date that could not be read says how to write one (config/formats/ reads dd/mm/yyyy), instead of
# "Enter a valid date.". Set when the apps are loaded, before any form class copies the messages
# into its fields (the admin's forms are made in an earlier app's ready()).
DATE_INVALID = _("Write the date as dd/mm/yyyy, for example 06/07/1984.")
forms.DateField.default_error_messages = {**forms.DateField.default_error_messages, "invalid": DATE_INVALID}


class CommonConfig(AppConfig):
    name = "common"

    def ready(self):
        from common import changes, seams, tables
        from common.history import record_migrated_records
        from common.search import register_on_sqlite

        # Data migrations write through historical models, which send no signals: record what they made.
        post_migrate.connect(record_migrated_records, dispatch_uid="common.record_migrated_records")
        # After every migrate, once (sent for this app after all migrations): the register's tables
        # carry the trigger that notes their changes (common/changes.py).
        post_migrate.connect(changes.install_triggers, sender=self, dispatch_uid="common.changes.install_triggers")
        tables.speed_up_django_tables2()
        connection_created.connect(register_on_sqlite, dispatch_uid="common.search.register_on_sqlite")
        checks.register(seams.check_seams)
