"""Template tags of the casework layout."""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from accounts.access import insz_for_list
from casework.navigation import menu_for
from common import numbers
from common.table_cells import row_cells

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return menu_for(request)


@register.filter
def insz_for(number, user):
    """{{ person.insz|insz_for:user }}: whole or masked, as in the lists (accounts.access)."""
    return insz_for_list(user, number or "")


@register.filter(name="amount")
def amount_filter(value):
    """An amount in euro, the way the interface's language writes it: € 2.016.000,00 in Dutch."""
    return numbers.amount(value)


@register.filter(name="number")
def number_filter(value, decimals=None):
    """A count or figure with thousands grouped: 1.234 in Dutch; `|number:2` for two decimals."""
    return numbers.number(value, decimals)


@register.simple_tag(takes_context=True)
def table_body_rows(context, table):
    """The rows of a list table's page as `<tr>` elements, each cell as `{{ cell }}` would show it.

    What the row block of django-tables2's template did, in Python: the template engine's work per
    cell (25 rows x 10 columns), and the column heading asked again for each cell's data-label,
    were a good part of a list page's time (issue 17, docs/benchmarks.md). The headings are read
    once per column, and the cells are rendered per column as django-tables2 would (common/table_cells.py).
    """
    labels = [conditional_escape(column.header) for column in table.columns]
    rows = []
    for cells_of_row in row_cells(table):
        cells = "".join(
            f'<td data-label="{label}">{render_value_in_context(cell, context)}</td>'
            for label, (_column, cell) in zip(labels, cells_of_row, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - every part escaped above
