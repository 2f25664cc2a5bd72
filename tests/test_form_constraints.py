"""Issue 12, item 6: a duplicate answers the form again with a Dutch message on the field, never a 500
(docs/security.md, row 12.6).

The view sets the trajectory of a new internship (the person of a new job) on
the form's instance; Django's ModelForm left that field, and so the model's
UniqueConstraint, out of its checks, and the database refused the row with an
IntegrityError. `common.forms.CheckedModelForm` checks every unique rule; the
walk below tries a duplicate for every rule of every ModelForm's model, so that
a new form or a new constraint cannot answer 500 either.
"""

import datetime
import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.urls import reverse
from django.utils import translation

from common.forms import CheckedModelForm
from employees.models import Employee, Employment
from evaluations.models import Evaluation
from partners.models import Grant, Organisation, Pilot
from reports.models import SavedReport
from tests import factories
from trajectories.models import Internship, Trajectory

pytestmark = pytest.mark.django_db


def _dutch(message) -> str:
    with translation.override("nl"):
        return str(message)


def _constraint(model, name):
    return next(c for c in model._meta.constraints if c.name == name)


# -- The reproductions of the issue ---------------------------------------------------------------------


def test_the_same_internship_twice_answers_the_form_with_a_dutch_message_on_the_start_date(
    client, partner_staff, partner
):
    existing = factories.InternshipFactory(trajectory__partner=partner, start_date=datetime.date(2019, 5, 1))
    client.force_login(partner_staff)

    response = client.post(
        reverse("trajectories:internship_create", args=[existing.trajectory_id]),
        {
            "host": existing.host.kbo_number,
            "sector": "logistiek",
            "start_date": "2019-05-01",
        },
    )

    assert response.status_code == 200
    message = _dutch(_constraint(Internship, "trajectories_internship_unique_start").violation_error_message)
    assert message.startswith("Dit traject heeft al een stage")
    assert response.context["form"].errors["start_date"] == [message]
    assert Internship.objects.count() == 1


def test_the_same_job_twice_answers_the_form_with_a_dutch_message_on_the_start_date(client, partner_staff, partner):
    trajectory = factories.TrajectoryFactory(partner=partner)
    existing = factories.EmploymentFactory(employee=trajectory.employee, start_date=datetime.date(2019, 2, 1))
    client.force_login(partner_staff)

    response = client.post(
        reverse("employees:employment_create", args=[trajectory.employee_id]),
        {
            "employer": existing.employer.kbo_number,
            "instrument": existing.instrument_id or "",
            "start_date": "2019-02-01",
        },
    )

    assert response.status_code == 200
    message = _dutch(_constraint(Employment, "employees_employment_unique_spell").violation_error_message)
    assert message.startswith("Deze doelgroepwerknemer heeft al een")
    assert response.context["form"].errors["start_date"] == [message]
    assert Employment.objects.filter(employee=trajectory.employee).count() == 1


def test_moving_a_trajectory_onto_the_start_of_another_answers_the_form(client, partner_staff, partner):
    first = factories.TrajectoryFactory(partner=partner, start_date=datetime.date(2019, 4, 1))
    second = factories.TrajectoryFactory(
        partner=partner, employee=first.employee, call=first.call, start_date=datetime.date(2019, 9, 1)
    )
    client.force_login(partner_staff)

    response = client.post(
        reverse("trajectories:update", args=[second.pk]),
        {
            "call": second.call_id,
            "se_employer": second.se_employer.kbo_number,
            "instrument": second.instrument_id,
            "start_date": "2019-04-01",
        },
    )

    assert response.status_code == 200
    message = _dutch(_constraint(Trajectory, "trajectories_trajectory_unique_start").violation_error_message)
    assert response.context["form"].errors["start_date"] == [message]
    second.refresh_from_db()
    assert second.start_date == datetime.date(2019, 9, 1)


def test_a_grant_twice_gets_its_message_on_the_year_not_above_the_form(client, administrator):
    grant = factories.GrantFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("partners:grant_create"),
        {
            "call": grant.call_id,
            "partner": grant.partner.kbo_number,
            "year": grant.year,
            "esf_amount": "1",
            "flemish_amount": "1",
        },
    )

    assert response.status_code == 200
    message = _dutch(_constraint(Grant, "partners_grant_unique_call_partner_year").violation_error_message)
    assert response.context["form"].errors["year"] == [message]
    assert NON_FIELD_ERRORS not in response.context["form"].errors


# -- Every ModelForm, every unique rule of its model ----------------------------------------------------


def _existing(model):
    """A saved record of the model, as the factories make it."""
    made = {
        Employee: factories.EmployeeFactory,
        Employment: factories.EmploymentFactory,
        Evaluation: factories.EvaluationFactory,
        Organisation: factories.OrganisationFactory,
        Grant: factories.GrantFactory,
        Pilot: factories.PilotFactory,
        Trajectory: factories.TrajectoryFactory,
        Internship: factories.InternshipFactory,
        SavedReport: lambda: SavedReport.objects.order_by("pk").first(),
    }
    assert model in made, f"{model.__name__} has a ModelForm: give it a record here to walk its unique rules"
    record = made[model]()
    if hasattr(record, "source_id"):
        # The source identifier is unique only where given: give it one, so that its rule is walked too.
        record.source_id = f"SRC-{model.__name__}-{record.pk}"
        record.save()
    return record


def _model_forms():
    found = {}
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)) or ".venv" in str(config.path):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.ModelForm) and cls.__module__ == module.__name__ and cls._meta.model:
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return found


MODEL_FORMS = _model_forms()


def _rules(model, probe=None):
    """(fields, message) of every unique rule: unique fields, unique_together, UniqueConstraints.

    The messages are those of a duplicate of `probe`, in the active language."""
    probe = probe or model()
    rules = []
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            rules.append(((field.name,), probe.unique_error_message(model, (field.name,)).messages[0]))
    for together in model._meta.unique_together:
        rules.append((tuple(together), probe.unique_error_message(model, tuple(together)).messages[0]))
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        if constraint.violation_error_message == constraint.default_violation_error_message:
            # Without a message of its own Django says what a unique field says.
            message = probe.unique_error_message(model, tuple(constraint.fields)).messages[0]
        else:
            message = str(constraint.get_violation_error_message())
        rules.append((tuple(constraint.fields), message))
    return rules


def test_the_walk_finds_the_forms_of_the_issue():
    assert {
        "trajectories.forms.InternshipForm",
        "employees.forms.EmploymentForm",
        "evaluations.forms.EvaluationForm",
        "employees.forms.EmployeeForm",
        "partners.forms.GrantForm",
    } <= set(MODEL_FORMS)


@pytest.mark.parametrize("name", sorted(MODEL_FORMS))
def test_every_model_form_checks_every_unique_rule_of_its_model(name):
    form_class = MODEL_FORMS[name]
    assert issubclass(form_class, CheckedModelForm), f"{name}: derive it from common.forms.CheckedModelForm"
    model = form_class._meta.model
    with translation.override("nl"):
        existing = _existing(model)
        shown = form_class(instance=existing)
        data = {bound.name: bound.value() for bound in shown if bound.value() is not None}
        # A new record as a view makes it: what is no form field, the view set (here: as the existing one).
        duplicate = model()
        for field in model._meta.concrete_fields:
            if not field.primary_key and field.name not in shown.fields:
                setattr(duplicate, field.attname, getattr(existing, field.attname))
        form = form_class(data=data, instance=duplicate)

        rules = _rules(model, existing)
        assert form.is_valid() is not bool(rules), f"{name}: a duplicate of every field passed the form"
        for fields, message in rules:
            in_form = [form.constraint_field_for.get(f, f) for f in fields]
            in_form = [f for f in in_form if f in form.fields]
            where = in_form[-1] if in_form else NON_FIELD_ERRORS
            assert message in form.errors.get(where, []), (name, fields, message, form.errors)
            if in_form:
                assert message != _english(existing, fields), (name, message)


def _english(existing, fields):
    """The same message in English, to show the Dutch one is a translation."""
    with translation.override("en"):
        return dict(_rules(type(existing), existing))[fields]
