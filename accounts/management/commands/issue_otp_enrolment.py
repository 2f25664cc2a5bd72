"""Print a single-use code with which an administrator links their first authenticator app.

For the first administrator of an installation (nobody can issue one in the application yet) and
for the operator of the server. The code is valid 24 hours; it is printed alone on the last line.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.otp import ENROLMENT_VALID_HOURS, confirmed_device, issue_enrolment_code, needs_second_factor


class Command(BaseCommand):
    help = "Issue a single-use code (valid 24 hours) with which an administrator links an authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user with the username %(username)s.") % {"username": username})
        if not needs_second_factor(user):
            raise CommandError(
                _("%(username)s is not an administrator and needs no authenticator app.") % {"username": username}
            )
        if confirmed_device(user) is not None:
            self.stderr.write(
                _(
                    "%(username)s already has a linked app: the code works only once that device is "
                    "deleted in the administration."
                )
                % {"username": username}
            )
        code = issue_enrolment_code(user)
        self.stdout.write(
            _("Enrolment code for %(username)s, valid for %(hours)s hours and for one use:")
            % {"username": username, "hours": ENROLMENT_VALID_HOURS}
        )
        self.stdout.write(code)
