"""Helpers shared by the list tables."""

from django.utils.functional import lazy
from django.utils.text import capfirst

# Column headings start with a capital, like the ones django-tables2 takes from model fields.
heading = lazy(capfirst, str)
