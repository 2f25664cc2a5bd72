"""Create one demo account per role and print their usernames and passwords."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.otp import describe_device, needs_second_factor
from demo.accounts import create_demo_accounts


class Command(BaseCommand):
    help = "Create one demo account per role (evaluator, partner staff, administrator, analyst)."

    def add_arguments(self, parser):
        parser.add_argument("--partner", help="Name of the partner organisation the partner account works for.")

    def handle(self, *args, **options):
        accounts = create_demo_accounts(options.get("partner"))
        # Printed in the default language (Dutch), like the role labels.
        self.stdout.write(_("Demo accounts (username / password / role):"))
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<10} {password:<22} {role}")
        for user in User.objects.filter(username__in=[username for username, _password, _role in accounts]):
            if needs_second_factor(user):
                self.stdout.write(describe_device(user))
