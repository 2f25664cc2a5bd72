"""Print a new personal API key for a user: for the operator of the server and for scripts.

`manage.py create_api_token USERNAME [--days N] [--write] [--name NAME]`: the key is printed alone on the
last line and is shown only now (only its digest is kept). Read-only unless --write.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import APITokenScope
from accounts.tokens import DEFAULT_DAYS, MAX_DAYS, issue_token


class Command(BaseCommand):
    help = "Create a personal API key for a user and print it (once) on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"valid this many days (1-{MAX_DAYS})")
        parser.add_argument("--write", action="store_true", help="read and write (default: read only)")
        parser.add_argument("--name", default="manage.py create_api_token")

    def handle(self, *args, username, days, write, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user with the username %(username)s.") % {"username": username})
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(_("An API key is valid for 1 to %(max)s days.") % {"max": MAX_DAYS})
        scope = APITokenScope.READ_WRITE if write else APITokenScope.READ
        token, key = issue_token(user=user, name=name[:100], days=days, scope=scope)
        self.stdout.write(
            _("API key for %(username)s (%(scope)s), valid until %(until)s; it is shown only now:")
            % {"username": username, "scope": token.get_scope_display(), "until": token.expires_at.strftime("%d/%m/%Y")}
        )
        self.stdout.write(key)
