"""Filters shared by the list pages: free-text search, year, age band, organisation by name."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
import django_filters

from common.crypto import insz_digest
from common.provinces import Province
from common.validators import split_insz_search


class AgeBand:
    """The ESF age bands of DESIGN.md, taken at the event counted."""

    CHOICES = [("lt25", _("under 25")), ("25-54", _("25 to 54")), ("55plus", _("55 and over")), ("unknown", _("unknown"))]

    @staticmethod
    def q(field: str, band: str) -> Q:
        return {
            "lt25": Q(**{f"{field}__lt": 25}),
            "25-54": Q(**{f"{field}__gte": 25, f"{field}__lte": 54}),
            "55plus": Q(**{f"{field}__gte": 55}),
            "unknown": Q(**{f"{field}__isnull": True}),
        }[band]


class SearchFilter(django_filters.CharFilter):
    """One text box searching several fields (name, INSZ, organisation), every word must match."""

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
            digits = word.replace(".", "").replace("-", "")
            condition = Q()
            for field in self.search_fields:
                if field.endswith("insz"):
                    continue
                condition |= Q(**{f"{field}__icontains": digits if field.endswith("kbo_number") else word})
            queryset = queryset.filter(condition)
        return queryset


def age_band_filter(field: str, label=_("age band")):
    return django_filters.ChoiceFilter(
        label=label, choices=AgeBand.CHOICES, method=lambda qs, name, value: qs.filter(AgeBand.q(field, value))
    )


def year_filter(field: str, label=_("year"), lookup_expr="year"):
    """A year typed in a list's filter. The database compares dates with the year's first and last day,
    which exist for the years 1 to 9999 only: any other number (-1, 10**20) answered 500; now the
    filter form says what is wrong and the list shows nothing."""
    return django_filters.NumberFilter(
        field_name=field, lookup_expr=lookup_expr, label=label, min_value=1, max_value=9999, decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )


def province_filter(field: str, label=_("province")):
    return django_filters.ChoiceFilter(field_name=field, choices=Province.choices, label=label)


def organisation_name_filter(field: str, label):
    """Organisations can number thousands: a text box, never a dropdown."""
    return django_filters.CharFilter(field_name=f"{field}__name", lookup_expr="icontains", label=label)


ALL = _("(all)")


class CaseFilterSet(django_filters.FilterSet):
    """A filter set whose dropdowns say “(all)” when nothing is chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
                filter_.extra["empty_label"] = ALL
