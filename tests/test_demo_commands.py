"""The demo commands on a database without the demo, and the demo's determinism."""

import datetime
import hashlib
from io import StringIO

from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from demo.accounts import create_demo_accounts
from demo.answer import PUBLISHED_DIFFERENCES
from demo.checks import compare, compute_tables, reference_tables
from demo.data import demo_is_loaded, load_demo
from employees.models import Employee, Employment
from evaluations.models import Evaluation
from tests.factories import PartnerFactory
from trajectories.models import Trajectory


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


def _load(seed, *, compare_tables=False):
    """Load the demo with a seed, return a fingerprint of its records and its differences from the answer."""
    with transaction.atomic():
        load_demo(seed=seed)
        digest = hashlib.sha256()
        for model, fields in [
            (Employee, ["insz_digest", "first_name", "last_name", "birth_date", "gender", "registered_on"]),
            (
                Employment,
                [
                    "employee__insz_digest",
                    "employer__name",
                    "instrument__code",
                    "start_date",
                    "end_date",
                    "with_support_package",
                ],
            ),
            (
                Evaluation,
                ["employee__insz_digest", "evaluation_date", "advice__code", "employer__name", "registered_on"],
            ),
            (Trajectory, ["employee__insz_digest", "partner__name", "start_date", "end_date", "registered_on"]),
        ]:
            for row in model.objects.order_by(*fields).values_list(*fields):
                digest.update(repr(row).encode())
        tables = {}
        differences = []
        for table in reference_tables() if compare_tables else []:
            day = datetime.date.fromisoformat(table["demo_as_of"])
            tables.setdefault(day, compute_tables(day))
            differences += [
                (table["id"], tuple(sorted(cells.items()))) for cells, *_ in compare(table, tables[day][table["id"]])
            ]
        transaction.set_rollback(True)
    return digest.hexdigest(), sorted(differences)


def test_demo_is_the_same_for_the_same_seed_and_reproduces_the_answer_for_any_seed(db):
    first, _ = _load(2019)
    again, _ = _load(2019)
    other, differences = _load(7, compare_tables=True)
    assert first == again
    assert other != first
    # The plan meets the tables by construction, not by a lucky seed: only the two listed cells differ.
    assert differences == sorted((d.table_id, tuple(sorted(d.cells))) for d in PUBLISHED_DIFFERENCES)
