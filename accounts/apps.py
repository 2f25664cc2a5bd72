from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs):
    # Apps added later (reports, imports...) bring new permissions; the
    # administrator group must hold them too, on every database.
    from django.apps import apps

    from accounts.roles import sync_role_groups

    sync_role_groups(apps)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        post_migrate.connect(_sync_role_groups, dispatch_uid="accounts_sync_role_groups")
