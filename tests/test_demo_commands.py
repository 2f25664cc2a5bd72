"""The demo commands on a database without the demo."""

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from demo.accounts import create_demo_accounts
from demo.data import demo_is_loaded
from tests.factories import PartnerFactory


def test_demo_is_not_loaded_in_an_empty_database(db):
    assert not demo_is_loaded()


def test_demo_partner_account_falls_back_to_the_first_partner_without_the_demo(db):
    first = PartnerFactory(name="Aardewerk vzw")
    PartnerFactory(name="Zonnebloem vzw")
    create_demo_accounts()
    assert User.objects.get(username="partner").organisation == first


def test_demo_partner_account_follows_the_partner_asked_for(db):
    PartnerFactory(name="Aardewerk vzw")
    chosen = PartnerFactory(name="Zonnebloem vzw")
    out = StringIO()
    call_command("create_demo_accounts", partner="Zonnebloem vzw", stdout=out)
    assert User.objects.get(username="partner").organisation == chosen
    assert "demo-partner-2026" in out.getvalue()
