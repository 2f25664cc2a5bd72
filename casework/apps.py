from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """The screens every casework app shares: list, detail, form and history views, the INSZ column and
    admin search, the menu and the layout's template tags (docs/architecture.md)."""

    name = "casework"
    verbose_name = _("casework screens")
