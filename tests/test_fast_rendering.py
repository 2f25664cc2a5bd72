"""The list pages render their cells (common/table_cells.py) and their filter widgets
(common/form_renderer.py) in Python exactly as django-tables2 and Django's widget templates do."""

import datetime
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import mark_safe

from common import form_renderer, table_cells
from evaluations.models import Referral
from tests import factories
from tests.test_lists import LIST_ROLES, _make_rows

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')

# Per list, addresses that sort by each kind of column and select filter values (selected options).
VARIANTS = {
    "employees:list": ["?sort=-birth_date", "?gender=F&sort=insz"],
    "evaluations:list": ["?sort=employer", "?province=Antwerpen&year=2019"],
    "evaluations:referral_list": ["?sort=-registered_on", "?status=waiting"],
    "trajectories:list": ["?sort=-end_date", "?with_internship=true&status=running&on=2019-06-01"],
    "trajectories:internship_list": ["?sort=host"],
    "partners:organisation_list": ["?sort=-kind"],
}


def _page(client, url, *, fast):
    table_cells.ENABLED = form_renderer.ENABLED = fast
    try:
        response = client.get(url)
    finally:
        table_cells.ENABLED = form_renderer.ENABLED = True
    assert response.status_code == 200
    return CSRF.sub(b"", response.content)


@pytest.fixture
def counted(monkeypatch):
    """How many cells and widgets the Python paths rendered themselves (not handed back)."""
    counts = {"cells": 0, "widgets": 0}
    cell, widget = table_cells.CellRenderer.cell, form_renderer.render_widget

    def counted_cell(self, row):
        content = cell(self, row)
        counts["cells"] += content is not table_cells.UNKNOWN
        return content

    def counted_widget(template_name, context):
        html = widget(template_name, context)
        counts["widgets"] += html is not None
        return html

    monkeypatch.setattr(table_cells.CellRenderer, "cell", counted_cell)
    monkeypatch.setattr(form_renderer, "render_widget", counted_widget)
    return counts


def _awkward_rows(partner):
    """Rows whose text needs escaping, and empty dates and relations (the province of no employer)."""
    person = factories.EmployeeFactory(last_name="O'Brien <b>&amp;", first_name='"Zoë"')
    trajectory = factories.TrajectoryFactory(
        employee=person, partner=partner, end_date=None, se_employer=None, instrument=None
    )
    factories.InternshipFactory(trajectory=trajectory)
    factories.TrajectoryFactory(
        partner=partner, start_date=datetime.date(2018, 1, 1), end_date=datetime.date(2019, 10, 1)
    )
    evaluation = factories.EvaluationFactory(employee=person)
    Referral.objects.create(evaluation=evaluation, employee=person, partner=partner)
    factories.OrganisationFactory(name="Werk & <Zorg>")


@pytest.mark.parametrize(
    "name, role", [*LIST_ROLES, ("employees:list", "evaluator"), ("evaluations:list", "evaluator")]
)
def test_a_list_page_is_the_same_with_and_without_the_python_rendering(name, role, request, client, partner, counted):
    client.force_login(request.getfixturevalue(role))
    _make_rows(name, 3, partner)
    _awkward_rows(partner)
    url = reverse(name)
    for address in [url, *(url + variant for variant in VARIANTS.get(name, []))]:
        assert _page(client, address, fast=True).decode() == _page(client, address, fast=False).decode(), address
    assert counted["cells"] > 0, "the cells went through common/table_cells.py"
    assert counted["widgets"] > 0, "the filter widgets went through common/form_renderer.py"


CHOICES = [
    ("", "(alle)"),
    (1, "Antwerpen & <Limburg>"),
    ("b", mark_safe("<em>veilig</em>")),  # noqa: S308 - a label already safe stays unescaped
    ("Groep 'x'", [("c", 'met "aanhalingstekens"'), (2024, 2024)]),
]

WIDGETS = [
    forms.Select(choices=CHOICES, attrs={"class": "form-select", "aria-describedby": "hulp", "required": True}),
    forms.Select(choices=CHOICES, attrs={"disabled": False, "data-x": 1234}),
    forms.SelectMultiple(choices=CHOICES),
    forms.NullBooleanSelect(),
    forms.TextInput(attrs={"class": "form-control", "placeholder": "Naam <of> INSZ"}),
    forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    forms.DateInput(attrs={"type": "date"}),
    forms.HiddenInput(),
    forms.CheckboxInput(),
]

VALUES = [None, "", 1, "1", "b", "c", 2024, 'x" onmouseover="y', datetime.date(2019, 6, 1), True]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
def test_a_widget_renders_as_djangos_templates_render_it(widget):
    fast, templates = form_renderer.FastFormRenderer(), DjangoTemplates()
    for value in [*VALUES, *([["b", 2024]] if getattr(widget, "allow_multiple_selected", False) else [])]:
        assert widget.render("veld", value, attrs={"id": "id_veld"}, renderer=fast) == widget.render(
            "veld", value, attrs={"id": "id_veld"}, renderer=templates
        ), value


def test_a_widget_template_it_does_not_know_is_left_to_django():
    widget = forms.RadioSelect(choices=CHOICES)
    assert form_renderer.render_widget(widget.template_name, widget.get_context("veld", "b", {})) is None
    html = widget.render("veld", "b", renderer=form_renderer.FastFormRenderer())
    assert html == widget.render("veld", "b", renderer=DjangoTemplates())


def test_the_project_renders_forms_with_the_python_renderer(settings):
    assert settings.FORM_RENDERER == "common.form_renderer.FastFormRenderer"


@pytest.mark.parametrize("date_format", ["d/m/Y", "Y-m-d", "d.m.Y", "m/d/Y", "d m Y"])
def test_a_date_in_digits_is_written_as_djangos_date_filter_writes_it(date_format):
    written = table_cells.numeric_date_format(date_format)
    for day in (datetime.date(1, 1, 1), datetime.date(999, 12, 31), datetime.date(2024, 2, 29)):
        assert written.format(day) == date_filter(day, date_format)


@pytest.mark.parametrize("date_format", ["j/n/Y", "d F Y", "SHORT_DATE_FORMAT", "D d/m/Y", "d\\m", ""])
def test_any_other_date_format_is_left_to_djangos_date_filter(date_format):
    assert table_cells.numeric_date_format(date_format) is None
