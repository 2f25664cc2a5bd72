"""The cells of a list table's page, rendered without django-tables2's per-cell machinery where it adds nothing.

For every cell of every page django-tables2 (pinned at 3.0.1) builds an Accessor, resolves the
record's fields twice (once for `get_FOO_display`, once for the value), looks the model field up
again, collects the arguments of the render method, renders a date through a template and builds
the link through an AttributeDict: together about a third of a list page's Python time (issue 17).
The answers to most of those questions are the same for every row of a column, so they are asked
once per column here (`CellRenderer`), and each cell only reads its record's attributes.

A cell is rendered this way only for what is known to give the same result as
`BoundRow.get_cell`: a record that is a model instance, an accessor of plain attributes (no
callables, no dictionaries), a date column whose template is DateColumn's own and a value that is
a date, a link by `reverse()` without attributes of its own. Anything else goes to
`BoundRow.get_cell` (tests/test_fast_rendering.py compares the two for every list table).
"""

import datetime
import functools
import re

import django_tables2 as tables
from django.db import models
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import A, call_with_appropriate

# Tests turn this off to render every cell through django-tables2 and compare.
ENABLED = True

# The template DateColumn writes for its format (django_tables2/columns/datecolumn.py).
DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"(?P<format>[^"]*)"\|default:default \}\}')

# A number no address has: where the number goes in an address reversed with it (`href_by_number`).
NUMBER_MARK = 9_182_736_450_123

# Returned by a plan that cannot tell: the cell is then rendered by django-tables2.
UNKNOWN = object()


# Django's date format characters for a day, a month and a year in digits, as str.format writes them.
DATE_DIGITS = {"d": "{0.day:02d}", "m": "{0.month:02d}", "Y": "{0.year:04d}"}
DATE_SEPARATORS = frozenset("/-. ")


def numeric_date_format(date_format):
    """`d/m/Y` as "{0.day:02d}/{0.month:02d}/{0.year:04d}": what django.utils.dateformat writes for
    those three characters, without its parsing and lookups per cell; None for any other format."""
    if not date_format or not set(date_format) <= DATE_SEPARATORS | DATE_DIGITS.keys():
        return None
    return "".join(DATE_DIGITS.get(character, character) for character in date_format)


class CellRenderer:
    """Renders the cells of one bound column, row after row, as `BoundRow.get_cell` would."""

    def __init__(self, bound_column):
        self.bound_column = bound_column
        self.name = bound_column.name
        self.column = bound_column.column
        accessor = bound_column.accessor
        self.plain_accessor = (
            isinstance(accessor, str)
            and accessor != ""
            and not isinstance(self.column, (tables.ManyToManyColumn, BaseLinkColumn))
        )
        self.accessor = A(accessor) if self.plain_accessor else None
        if self.plain_accessor:
            *self.path, self.remainder = self.accessor.bits
        self.display_by_model = {}  # model classes -> whether the field has choices (get_FOO_display)
        self.labels = {}  # (model class, stored value) -> get_FOO_display()
        self.render = self.render_plan()
        self.link = self.link_plan()

    def render_plan(self):
        """How the column turns a value into content: as it is, as a date, or by its render method."""
        render = self.bound_column.render
        if getattr(render, "__func__", None) is tables.Column.render:
            return lambda value, row: value
        column = self.column
        if (
            isinstance(column, tables.DateColumn)
            and getattr(render, "__func__", None) is tables.TemplateColumn.render
            and column.template_name is None
            and type(column).get_context_data is tables.TemplateColumn.get_context_data
        ):
            match = DATE_TEMPLATE.fullmatch(column.template_code or "")
            if match:
                return self.date_render(match["format"])
        return self.render_by_method

    def date_render(self, date_format):
        """DateColumn's template `{{ value|date:"<format>"|default:default }}`, for dates and empty values."""
        numeric = numeric_date_format(date_format)

        def render(value, row):
            if value is None or value == "":
                return conditional_escape(self.bound_column.default)
            if type(value) is not datetime.date:  # a datetime is first put in the local time zone
                return UNKNOWN
            if numeric is not None:
                return mark_safe(numeric.format(value))  # noqa: S308 - digits and separators only
            return conditional_escape(date_filter(value, date_format) or self.bound_column.default)

        return render

    def render_by_method(self, value, row):
        return call_with_appropriate(self.bound_column.render, self.arguments(value, row))

    def arguments(self, value, row):
        """What BoundRow._optional_cell_arguments gives a render method or a link."""
        return {
            "value": value,
            "record": row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }

    def link_plan(self):
        """None without a link; a link by reverse() alone is built here, any other by django-tables2."""
        link = self.bound_column.link
        if not link:
            return None
        if link.url is None and not link.attrs and link.reverse_args.get("viewname") is not None:
            href = self.href_by_number(link.reverse_args) or (lambda record: link.call_reverse(record=record))
            return lambda content, value, row: format_html('<a href="{}">{}</a>', href(row.record), content)
        return lambda content, value, row: link(content, **self.arguments(value, row))

    def href_by_number(self, reverse_args):
        """For a link by one number, as ("evaluations:detail", {"pk": A("pk")}): the address reversed once
        per table and the row's number put in its place, or None.

        reverse() finds the pattern, converts and quotes the number for each row (a sixth of the
        table body's time); a number always ends up as its digits (`address_around_number`). Only when two numbers reversed
        here come out as the same address with only their digits in one place; a row whose number is
        not a non-negative int is reversed as django-tables2 does.
        """
        if set(reverse_args) != {"viewname", "kwargs"} or len(reverse_args["kwargs"]) != 1:
            return None
        viewname = reverse_args["viewname"]
        ((key, accessor),) = reverse_args["kwargs"].items()
        if not isinstance(viewname, str) or not isinstance(accessor, A) or len(accessor.bits) != 1:
            return None
        around = address_around_number(viewname, key, get_urlconf(), get_script_prefix(), get_language())
        if around is None:
            return None
        before, after = around

        def href(record):
            number = getattr(record, accessor, None) if isinstance(record, models.Model) else None
            if type(number) is int and number >= 0:
                return f"{before}{number}{after}"
            return reverse(viewname, kwargs={key: accessor.resolve(record)})

        return href

    def value(self, record):
        """The cell's value as BoundRow._get_and_render_with finds it, or UNKNOWN."""
        current = record
        try:
            for bit in self.path:
                if not isinstance(current, models.Model):
                    return UNKNOWN
                current = getattr(current, bit)
                if current is None:  # an empty relation on the way: Accessor.resolve stops with None
                    return None
                if callable(current):
                    return UNKNOWN
            if not isinstance(current, models.Model):
                return UNKNOWN
            display = self.uses_display(record, current)
            if display:
                return self.shown(current, display)
            try:
                value = getattr(current, self.remainder)
            except AttributeError:  # not a field of the record (a column of its own, as "action"): no value
                return None
        except Exception:  # noqa: BLE001 - django-tables2 decides what a failing lookup shows
            return UNKNOWN
        return UNKNOWN if callable(value) else value

    def uses_display(self, record, penultimate):
        """Whether the value is `get_FOO_display()` (the model field has choices and the method exists):
        False, or the field when Django's own method shows it (one label per stored value), else True."""
        key = (type(record), type(penultimate))
        uses = self.display_by_model.get(key)
        if uses is None:
            field = self.accessor.get_field(record)
            display = getattr(penultimate, f"get_{self.remainder}_display", None)
            uses = bool(getattr(field, "choices", ()) and display)
            method = type(penultimate).__dict__.get(f"get_{self.remainder}_display")
            if uses and getattr(method, "func", None) is models.Model._get_FIELD_display:
                uses = method.keywords.get("field") if method.keywords.get("field") is field else True
            self.display_by_model[key] = uses
        return uses

    def shown(self, penultimate, display):
        """`get_FOO_display()`, kept per stored value for the table (the labels are the same on every row)."""
        method = getattr(penultimate, f"get_{self.remainder}_display")
        if display is True:
            return method()
        key = (type(penultimate), getattr(penultimate, display.attname))
        try:
            return self.labels[key]
        except KeyError:
            label = self.labels[key] = method()
            return label
        except TypeError:  # a stored value that cannot be a key
            return method()

    def __call__(self, row):
        content = self.cell(row) if self.plain_accessor else UNKNOWN
        if content is UNKNOWN:
            content = row.get_cell(self.name)
        # What BoundRow.items() leaves on the column for its attrs (with the record and value of the cell).
        self.bound_column.current_value = content
        self.bound_column.current_record = row.record
        return content

    def cell(self, row):
        record = row.record
        if not isinstance(record, models.Model):
            return UNKNOWN
        value = self.value(record)
        if value is UNKNOWN:
            return UNKNOWN
        if value in self.column.empty_values:
            return self.bound_column.default
        content = self.render(value, row)
        if content is UNKNOWN or self.link is None:
            return content
        return self.link(content, value, row)


@functools.lru_cache(maxsize=256)
def address_around_number(viewname, key, urlconf, script_prefix, language):
    """The address of `viewname` by one number `key` as (before, after) the number, or None.

    What reverse() depends on besides its arguments (the request's urlconf, the script prefix and
    the language of the address) is part of the key. None when the number is not simply put in
    one place (two numbers of different lengths are reversed to check).
    """
    try:
        before, found, after = reverse(viewname, kwargs={key: NUMBER_MARK}).partition(str(NUMBER_MARK))
        fits = found and reverse(viewname, kwargs={key: 7}) == f"{before}7{after}"
    except NoReverseMatch:
        return None
    if not fits or str(NUMBER_MARK) in after:
        return None
    return before, after


def row_cells(table):
    """For each row of the table's page, its (bound column, cell content) pairs, as BoundRow.items() gives them."""
    if not ENABLED:
        for row in table.paginated_rows:
            yield list(row.items())
        return
    renderers = [CellRenderer(bound_column) for bound_column in table.columns]
    for row in table.paginated_rows:
        yield [(renderer.bound_column, renderer(row)) for renderer in renderers]
