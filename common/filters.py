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
from common.search import RowMatches
from common.validators import split_insz_search


class SearchFilter(django_filters.CharFilter):
    """One text box searching several fields (name, INSZ, organisation), every word must match.

    Text is compared upper case and without accents (common/search.py), through trigram indexes
    (employees 0015, partners 0007). On PostgreSQL the case lists (evaluations, referrals,
    trajectories, internships) search their own table's `search_text`, which triggers keep holding
    the person's and the organisations' names (common/search_columns.py, `row_search_column`): every
    word in it, one trigram index. Elsewhere (the other lists, SQLite) the rows found are read in two
    steps, so that the indexes do the work and the database touches only rows that can match:

    - candidates, as `id IN (...)`: on a list of persons' records searched for several words, the
      rows whose person, organisation or own field matches the longest word (a row where every word
      matches somewhere has that one among them; docs/benchmarks.md, "Search at 1,000,000 persons");
      otherwise the rows whose person matches every word (the person's names are one indexed column
      on PostgreSQL, so all words are one index scan) or whose organisation matches any word.
    - the exact rule on those candidates alone: each word in the person's names or an organisation's.

    Until issue 17 each word was its own `id IN (...)`: a common first name ("Lucas") then meant
    hashing the evaluations of thousands of persons before the surname narrowed them to a few.
    An OR of icontains across joined tables (before issue 6) used no index at all.
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
        words = value.split()
        column = row_search_column(queryset.model, self.search_fields)
        if words and column:
            # Every word in the row's one search column (PostgreSQL, the case lists): one table, one index.
            return queryset.filter(*[RowMatches(column, word) for word in words])
        if words:
            candidates, exact = self.words_conditions(queryset.model, words)
            queryset = queryset.filter(candidates)
            if exact is not None:
                queryset = queryset.filter(exact)
        return queryset

    @staticmethod
    def field_condition(field: str, word: str) -> Q:
        if field.endswith("kbo_number"):
            return Q(**{f"{field}__icontains": word.replace(".", "").replace("-", "")})
        # Upper case and without accents on both sides (common/search.py): "elodie muller" finds Élodie Müller.
        return Q(**{f"{field}__matches": word})

    def fields_by_path(self, model) -> dict[str, list[str]]:
        """The searched fields per path to their table ("" for the listed model's own); INSZ apart."""
        by_path, columns = {}, set()
        for field in self.search_fields:
            if field.endswith("insz"):
                continue  # stored encrypted: found only whole, by its keyed hash (search() above)
            path, _sep, column = field.rpartition("__")
            if (path, search_column_of(model, path, column)) in columns:
                continue  # first and last name: one search column on PostgreSQL, compared once
            columns.add((path, search_column_of(model, path, column)))
            by_path.setdefault(path, []).append(column)
        return by_path

    def matching(self, fields, words, every: bool) -> Q:
        """Every (or any) word in one of `fields`."""
        per_word = [Q(*[self.field_condition(f, w) for f in fields], _connector=Q.OR) for w in words]
        return Q(*per_word, _connector=Q.AND if every else Q.OR)

    def words_conditions(self, model, words: list[str]) -> tuple[Q, Q | None]:
        """(the candidates as one condition, the exact rule on them or None when the candidates are exact)."""
        by_path = self.fields_by_path(model)
        own = by_path.pop("", None)
        if not by_path:
            return self.matching(own, words, every=True), None
        if len(words) > 1 and any(multi_valued(model, path) for path in by_path):
            # A row has several organisations (a pilot's): each word on its own, as candidates and rule at once.
            return Q(*[self.words_conditions(model, [w])[0] for w in words]), None
        matches = []
        # A row where every word matches has its longest word in its person's names or one of its
        # organisations' (or own fields): with a person to search, the rows where that one word matches
        # are the candidates. Any word's organisations would be too many to plan for: "De" is in thousands.
        persons = any(hasattr(related_model(model, path), "SEARCH_TEXT_COLUMN") for path in by_path)
        candidate_words = [max(words, key=len)] if persons and len(words) > 1 else words
        for path, fields in by_path.items():
            related = related_model(model, path)
            every = hasattr(related, "SEARCH_TEXT_COLUMN")  # the persons: many rows, all words at once
            if own is None and len(by_path) == 1 and (every or len(words) == 1):
                exact = related._base_manager.filter(self.matching(fields, words, every)).order_by().values("pk")
                return Q(**{f"{path}__in": exact}), None
            related_ids = (
                related._base_manager.filter(self.matching(fields, candidate_words, every)).order_by().values("pk")
            )
            matches.append(model._base_manager.filter(**{f"{path}__in": related_ids}).order_by().values("pk"))
        if own is not None:
            own_rows = model._base_manager.filter(self.matching(own, candidate_words, every=False))
            matches.append(own_rows.order_by().values("pk"))
        ids = matches[0].union(*matches[1:]) if len(matches) > 1 else matches[0]
        if len(words) == 1:
            return Q(pk__in=ids), None  # one word: matching it somewhere is the rule itself
        full = [f"{path}__{f}" for path, fields in by_path.items() for f in fields] + list(own or [])
        return Q(pk__in=ids), self.matching(full, words, every=True)


def multi_valued(model, path: str) -> bool:
    """Whether `path` from `model` crosses a relation to many rows."""
    for step in path.split("__"):
        field = model._meta.get_field(step)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def related_model(model, path: str):
    """The model at the end of `path` ("employee__employer") from `model`."""
    for step in path.split("__") if path else ():
        model = model._meta.get_field(step).related_model
    return model


def row_search_column(model, search_fields) -> str | None:
    """The listed model's own search column when it holds exactly the texts of `search_fields` (INSZ apart).

    On PostgreSQL a case list's table keeps its person's names and its organisations' names, each as
    `doorstroom_search_text` gives them, one per line, in `search_text` (triggers: common/search_columns.py;
    the model's SEARCH_ROW_FIELDS say which). A word never holds a line break, so it is in that column
    exactly when it is in one of the texts: every word in it is the rule of words_conditions, found
    through one trigram index instead of the persons' and organisations' and a UNION of their rows.
    """
    fields = getattr(model, "SEARCH_ROW_FIELDS", None)
    if connection.vendor != "postgresql" or fields is None:
        return None
    if set(fields) != {f for f in search_fields if not f.endswith("insz")}:
        return None
    return model.SEARCH_ROW_COLUMN


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
