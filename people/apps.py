from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Person-wide work that reads every app below it: the person's page (state, timeline), the look-up by
    INSZ, retention and anonymisation, and the rotation of the INSZ keys (docs/architecture.md)."""

    name = "people"
    verbose_name = _("persons, across the apps")
