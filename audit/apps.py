from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The access log (docs/security.md 3.4)."""

    name = "audit"
    verbose_name = _("access log")
