"""factory_boy factories for every model, with traits for case states."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from common.identifiers import make_insz, make_kbo
from employees.models import Employee, Employment, Instrument
from evaluations.constants import ADVICE_READY
from evaluations.models import Advice, Evaluation
from jobs.models import BackgroundJob, result_storage
from partners.constants import OrganisationKind
from partners.models import Call, Grant, Organisation, Pilot
from trajectories.models import EndReason, Internship, Trajectory

_kbo_numbers = itertools.count(2_000_001)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Faker("company", locale="nl_BE")
    kbo_number = factory.LazyFunction(lambda: make_kbo(next(_kbo_numbers)))
    kind = OrganisationKind.SE_EMPLOYER
    postcode = 9000
    registered_on = datetime.date(2014, 1, 1)


class PartnerFactory(OrganisationFactory):
    kind = OrganisationKind.PARTNER
    name = factory.Sequence(lambda n: f"Partner {n} vzw")


class RegularEmployerFactory(OrganisationFactory):
    kind = OrganisationKind.REGULAR_EMPLOYER


def instrument(code="collectief-maatwerk"):
    return Instrument.objects.get(code=code)


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call
        django_get_or_create = ["number"]

    number = "432"


class GrantFactory(DjangoModelFactory):
    class Meta:
        model = Grant

    call = factory.SubFactory(CallFactory)
    partner = factory.SubFactory(PartnerFactory)
    year = 2019
    esf_amount = Decimal("16800.00")
    flemish_amount = Decimal("25200.00")
    registered_on = datetime.date(2018, 5, 15)


class PilotFactory(DjangoModelFactory):
    class Meta:
        model = Pilot

    name = factory.Sequence(lambda n: f"Proeftuin {n}")
    sector = "zorg"
    start_date = datetime.date(2017, 3, 1)
    end_date = datetime.date(2018, 12, 31)


class EmployeeFactory(DjangoModelFactory):
    class Meta:
        model = Employee

    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    # The day moves on every 997 persons, so that generated INSZ numbers never repeat.
    birth_date = factory.LazyAttribute(lambda o: datetime.date(1980, 5, 17) + datetime.timedelta(days=o.serial // 997))
    insz = factory.LazyAttribute(lambda o: make_insz(o.birth_date, o.serial % 997 + 1))
    gender = "f"
    registered_on = datetime.date(2018, 1, 1)

    class Params:
        serial = factory.Sequence(lambda n: n)
        unknown_birth_date = factory.Trait(birth_date=None)


class EmploymentFactory(DjangoModelFactory):
    class Meta:
        model = Employment

    employee = factory.SubFactory(EmployeeFactory)
    employer = factory.SubFactory(OrganisationFactory)
    instrument = factory.LazyFunction(instrument)
    start_date = datetime.date(2016, 1, 1)
    registered_on = datetime.date(2016, 1, 1)

    class Params:
        regular = factory.Trait(instrument=None, employer=factory.SubFactory(RegularEmployerFactory))
        ended = factory.Trait(end_date=datetime.date(2019, 6, 30))


def advice(code=ADVICE_READY):
    return Advice.objects.get(code=code)


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    employee = factory.SubFactory(EmployeeFactory)
    evaluation_date = datetime.date(2019, 3, 15)
    advice = factory.LazyFunction(advice)
    employer = factory.SubFactory(OrganisationFactory)
    instrument = factory.LazyFunction(instrument)
    registered_on = factory.LazyAttribute(lambda o: o.evaluation_date or datetime.date(2019, 3, 15))

    class Params:
        undated = factory.Trait(evaluation_date=None)


class TrajectoryFactory(DjangoModelFactory):
    class Meta:
        model = Trajectory

    employee = factory.SubFactory(EmployeeFactory)
    partner = factory.SubFactory(PartnerFactory)
    call = factory.SubFactory(CallFactory)
    se_employer = factory.SubFactory(OrganisationFactory)
    instrument = factory.LazyFunction(instrument)
    start_date = datetime.date(2019, 4, 1)
    registered_on = factory.LazyAttribute(lambda o: o.start_date)

    class Params:
        ended = factory.Trait(
            end_date=datetime.date(2019, 10, 1),
            end_reason=factory.LazyFunction(lambda: EndReason.objects.get(code="completed")),
        )


class InternshipFactory(DjangoModelFactory):
    class Meta:
        model = Internship

    trajectory = factory.SubFactory(TrajectoryFactory)
    host = factory.SubFactory(RegularEmployerFactory)
    sector = "retail"
    start_date = factory.LazyAttribute(lambda o: o.trajectory.start_date + datetime.timedelta(days=30))
    registered_on = factory.LazyAttribute(lambda o: min(o.start_date, timezone.localdate()))


def partner_case(partner, staff):
    """One partner's records, as the access walks use them: a guided person with a job, a trajectory, an
    internship, an evaluation, a started and a waiting referral, a look-up by INSZ, a grant and a refused
    import run."""
    from audit.constants import AccessAction
    from audit.services import record_access
    from evaluations.models import Referral
    from imports.models import ImportRun

    trajectory = TrajectoryFactory(partner=partner)
    employee = trajectory.employee
    evaluation = EvaluationFactory(employee=employee)
    referral = Referral.objects.create(
        evaluation=evaluation, employee=employee, partner=partner, status="started", trajectory=trajectory
    )
    second = EvaluationFactory(employee=EmployeeFactory())
    waiting = Referral.objects.create(evaluation=second, employee=second.employee, partner=partner)
    lookup = record_access(
        user=staff, action=AccessAction.INSZ_LOOKUP, employee=second.employee, insz=second.employee.insz
    )
    return {
        "partner": partner,
        "staff": staff,
        "employee": employee,
        "employment": EmploymentFactory(employee=employee),
        "evaluation": evaluation,
        "referral": referral,
        "waiting_referral": waiting,
        "lookup": lookup,
        "trajectory": trajectory,
        "internship": InternshipFactory(trajectory=trajectory),
        "grant": GrantFactory(partner=partner),
        "import_run": ImportRun.objects.create(
            user=staff,
            kind="trajectories",
            file_name="trajecten.csv",
            content=b"insz",
            status="rejected",
            errors=[{"row": 2, "column": "insz", "value": "1", "message": "Ongeldig."}],
        ),
    }


def finished_job(owner, status="done"):
    """A background job of `owner` that made a small CSV file, ready to download (jobs/)."""
    return BackgroundJob.objects.create(
        owner=owner,
        kind="list_export",
        label="Export van personen (CSV)",
        task_path="casework.tasks.export_list",
        status=status,
        result_file=result_storage.save(f"{owner.pk}/test", ContentFile(b"a,b\r\n")) if status == "done" else "",
        result_name="personen.csv",
        result_type="text/csv",
        result_rows=0,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
