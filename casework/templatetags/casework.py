"""Template tags of the casework layout."""

from django import template

from accounts.access import insz_for_list
from casework.navigation import menu_for
from common import numbers

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
