"""Template helpers of the reports pages."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key], or the key itself when absent (labels of dimensions)."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key
