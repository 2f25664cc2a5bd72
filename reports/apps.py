from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from reports.functions import register_sqlite_functions


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        connection_created.connect(register_sqlite_functions, dispatch_uid="reports_sqlite_functions")
