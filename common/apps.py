from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    name = "common"

    def ready(self):
        from common import seams, tables
        from common.history import record_migrated_records

        # Data migrations write through historical models, which send no signals: record what they made.
        post_migrate.connect(record_migrated_records, dispatch_uid="common.record_migrated_records")
        tables.speed_up_django_tables2()
        checks.register(seams.check_seams)
