"""Filters shared by the list pages: free-text search, year, age band, organisation by name."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from common import (
    age_bands,
    search,  # noqa: F401  (registers the `matches` lookup)
)
from common.crypto import insz_digest
from common.provinces import Province
from common.validators import split_insz_search


class SearchFilter(django_filters.CharFilter):
    """One text box searching several fields (name, INSZ, organisation), every word must match.

    Each word becomes one `id IN (...)` condition: per table searched, the ids
    of its matching rows (a query on that table alone, which its trigram index
    serves, see employees 0004 and partners 0003), turned into ids of the
    listed rows through the foreign key, and the tables' results united. An OR
    of icontains conditions across joined tables cannot use those indexes: the
    database then joins every listed row with every searched table and tests
    each, work that grows with the whole table rather than with the matches.
    """

    def __init__(self, *args, search_fields=(), **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("method", self.search)
        super().__init__(*args, **kwargs)

    def search(self, queryset, name, value):
        # The INSZ is stored encrypted: an INSZ in the search text is found exactly, by its keyed hash.
        numbers, value = split_insz_search(value)
        insz_fields = [f for f in self.search_fields if f.endswith("insz")]
        for number in numbers:
            digest = insz_digest(number)
            queryset = queryset.filter(Q(*[Q(**{f"{field}_digest": digest}) for field in insz_fields], _connector=Q.OR))
        for word in value.split():
            queryset = queryset.filter(self.word_condition(queryset.model, word))
        return queryset

    @staticmethod
    def field_condition(field: str, word: str) -> Q:
        if field.endswith("kbo_number"):
            return Q(**{f"{field}__icontains": word.replace(".", "").replace("-", "")})
        # Upper case and without accents on both sides (common/search.py), which the trigram indexes
        # of employees 0015 and partners 0007 serve: "elodie muller" finds Élodie Müller.
        return Q(**{f"{field}__matches": word})

    def word_condition(self, model, word: str) -> Q:
        """The rows of `model` with `word` in one of the search fields, as one condition."""
        by_path, columns = {}, set()
        for field in self.search_fields:
            if field.endswith("insz"):
                continue  # stored encrypted: found only whole, by its keyed hash (search() above)
            path, _sep, column = field.rpartition("__")
            if (path, search_column_of(model, path, column)) in columns:
                continue  # first and last name: one search column on PostgreSQL, compared once
            columns.add((path, search_column_of(model, path, column)))
            by_path.setdefault(path, Q())
            by_path[path] |= self.field_condition(column, word)
        own = by_path.pop("", None)
        if not by_path:
            return own
        matches = []
        for path, condition in by_path.items():
            related = related_model(model, path)
            related_ids = related._base_manager.filter(condition).order_by().values("pk")
            if own is None and len(by_path) == 1:
                return Q(**{f"{path}__in": related_ids})
            matches.append(model._base_manager.filter(**{f"{path}__in": related_ids}).order_by().values("pk"))
        if own is not None:
            matches.append(model._base_manager.filter(own).order_by().values("pk"))
        ids = matches[0].union(*matches[1:]) if len(matches) > 1 else matches[0]
        return Q(pk__in=ids)


def related_model(model, path: str):
    """The model at the end of `path` ("employee__employer") from `model`."""
    for step in path.split("__") if path else ():
        model = model._meta.get_field(step).related_model
    return model


def search_column_of(model, path: str, column: str):
    """The one column a field's text is searched in on PostgreSQL (Employee's names: search_name), or the field."""
    related = related_model(model, path)
    if connection.vendor == "postgresql" and column in getattr(related, "SEARCH_TEXT_FIELDS", ()):
        return related.SEARCH_TEXT_COLUMN
    return column


def age_band_filter(field: str, label=_("age band")):
    return django_filters.ChoiceFilter(
        label=label,
        choices=age_bands.DEFAULT.choices(),
        method=lambda qs, name, value: qs.filter(age_bands.DEFAULT.age_q(field, value)),
    )


def year_filter(field: str, label=_("year"), lookup_expr="year"):
    """A year typed in a list's filter. The database compares dates with the year's first and last day,
    which exist for the years 1 to 9999 only: any other number (-1, 10**20) answered 500; now the
    filter form says what is wrong and the list shows nothing."""
    return django_filters.NumberFilter(
        field_name=field,
        lookup_expr=lookup_expr,
        label=label,
        min_value=1,
        max_value=9999,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )


def province_filter(field: str, label=_("province")):
    return django_filters.ChoiceFilter(field_name=field, choices=Province.choices, label=label)


def organisation_name_filter(field: str, label):
    """Organisations can number thousands: a text box, never a dropdown."""
    return django_filters.CharFilter(field_name=f"{field}__name", lookup_expr="matches", label=label)


ALL = _("(all)")


class ListedModelChoiceIterator(ModelChoiceIterator):
    """The choices of a short reference table read in one plain query.

    Django reads a ModelChoiceField's choices with QuerySet.iterator(), which on PostgreSQL is a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips per dropdown on every list page,
    for a table of a few dozen rows.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ReferenceChoiceField(forms.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class CaseFilterSet(django_filters.FilterSet):
    """A filter set whose dropdowns say “(all)” when nothing is chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
                filter_.extra["empty_label"] = ALL
            if type(filter_) is django_filters.ModelChoiceFilter:
                filter_.field_class = ReferenceChoiceField
