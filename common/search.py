"""The text the free-text search compares: upper case, accents dropped ("Élodie" is found as "elodie").

`SearchText(expression)` is the SQL function `doorstroom_search_text`: on PostgreSQL
`upper(unaccent(text))`, declared IMMUTABLE by common 0002 so that trigram (GIN) indexes can
be built on it (employees 0015, partners 0007) and so that PostgreSQL computes it once for a
searched word while planning, which makes the LIKE pattern a constant the index can use. On
SQLite (development, tests) the same function is registered on each connection, in Python.
"""

import unicodedata

from django.db.models import BooleanField, CharField, Expression, F, Func, Lookup, Value
from django.db.models.lookups import Contains

FUNCTION = "doorstroom_search_text"


class SearchText(Func):
    function = FUNCTION
    arity = 1
    output_field = CharField()


def search_text(value: str | None) -> str | None:
    """Python's version, for SQLite: the letters without their accents, in upper case."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def register_on_sqlite(sender, connection, **kwargs):
    """`connection_created` receiver: SQLite learns doorstroom_search_text on every new connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, search_text, deterministic=True)


@CharField.register_lookup
class Matches(Lookup):
    """`field__matches=word`: the word is in the field, case and accents ignored (admin search fields too)."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return compiler.compile(Contains(SearchText(self.lhs), SearchText(self.word())))

    def as_postgresql(self, compiler, connection):
        """A name of a model with a search column (Employee.SEARCH_TEXT_COLUMN, employees 0015): that column."""
        column = search_column(self.lhs)
        if column is None:
            return self.as_sql(compiler, connection)
        pattern, params = compiler.compile(SearchText(self.word()))
        quote = compiler.quote_name_unless_alias
        like = connection.pattern_ops["contains"].format(connection.pattern_esc.format(pattern))
        return f"{quote(self.lhs.alias)}.{quote(column)} {like}", params

    def word(self):
        return self.rhs if hasattr(self.rhs, "resolve_expression") else Value(str(self.rhs))


def search_column(lhs) -> str | None:
    """The search column that holds the text of the field `lhs` (a column of a model that has one), or None."""
    field, model = getattr(lhs, "target", None), None
    model = getattr(field, "model", None)
    if model is None or field.attname not in getattr(model, "SEARCH_TEXT_FIELDS", ()):
        return None
    return model.SEARCH_TEXT_COLUMN


class RowMatches(Expression):
    """The listed row's search column (a case list's `search_text`, common/search_columns.py) holds `word`.

    PostgreSQL only: `"alias"."search_text" LIKE '%' || doorstroom_search_text(word) || '%'`, the
    pattern a constant for the planner (as in `matches`), which the column's trigram index serves.
    The alias is the listed table's as the query names it (the primary key's column, relabelled
    with it when the query becomes a subquery).
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, word: str):
        super().__init__()
        self.column = column
        self.pk, self.word = F("pk"), Value(str(word))

    def get_source_expressions(self):
        return [self.pk, self.word]

    def set_source_expressions(self, exprs):
        self.pk, self.word = exprs

    def as_sql(self, compiler, connection):
        pattern, params = compiler.compile(SearchText(self.word))
        like = connection.pattern_ops["contains"].format(connection.pattern_esc.format(pattern))
        quote = compiler.quote_name_unless_alias
        return f"{quote(self.pk.alias)}.{quote(self.column)} {like}", params
