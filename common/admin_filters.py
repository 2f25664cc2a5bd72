"""Admin list filters for columns with too many values for a list of links (issue 6).

Django's own filter of a foreign key lists every related row as a link, and
a filter of a plain column runs SELECT DISTINCT over the whole table and lists
every value: thousands of organisations at the scale of Flanders, read and
rendered on every changelist. These filters show a text box instead:
the rows whose related name (or column) contains what was typed.
"""

from django.contrib import admin


class TextListFilter(admin.ListFilter):
    """A text box filtering with `lookup` (e.g. "partner__name__icontains")."""

    template = "admin/text_filter.html"
    parameter_name = ""
    lookup = ""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        value = params.pop(self.parameter_name, None)
        if isinstance(value, list):
            value = value[-1] if value else None
        self.value = (value or "").strip()
        if self.value:
            self.used_parameters[self.parameter_name] = self.value

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def queryset(self, request, queryset):
        return queryset.filter(**{self.lookup: self.value}) if self.value else queryset

    def choices(self, changelist):
        """One choice: the text box, with the other parameters of the list kept as hidden fields."""
        kept = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
            for value in values
        ]
        yield {
            "selected": bool(self.value),
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": self.value,
            "parameter_name": self.parameter_name,
            "value": self.value,
            "kept": kept,
        }


def text_filter(lookup: str, title, parameter_name: str | None = None) -> type[TextListFilter]:
    """A TextListFilter class for the admin's list_filter, e.g. text_filter("partner__name__icontains", _("partner"))."""
    name = parameter_name or lookup.replace("__icontains", "").replace("__", "_")
    return type(f"TextListFilter_{name}", (TextListFilter,), {"lookup": lookup, "title": title, "parameter_name": name})
