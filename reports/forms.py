"""Forms to build a saved report and to choose the dates a report is run for."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common.forms import CheckedModelForm, DateInput, style_form
from reports.labels import dimension_choices, figure_choices, label_texts, labels_found
from reports.measures import MEASURES, measure_choices
from reports.models import SavedReport

RESERVED_SLUGS = {"nieuw", "parlementaire-vraag"}

# The measures count in quarters and years around the dates of a report (the quarters after an exit,
# ages): a date near the calendar's ends (9999-12-31) made that arithmetic fail with a 500.
REPORT_DATE_VALIDATORS = [MinValueValidator(datetime.date(1900, 1, 1)), MaxValueValidator(datetime.date(2999, 12, 31))]
REPORT_DATE_FIELDS = ("period_from", "period_to", "as_of", "known_at")


FILTER_PREFIX = "filter_"
DIMENSION_FIELDS = ("row_dimension_1", "row_dimension_2", "column")


def unique_slug(name: str, *, exclude_pk=None) -> str:
    """The export address of a report named `name`: its slug, with -2, -3... when taken or reserved."""
    base = slugify(name)[:90].strip("-") or "rapport"
    taken = SavedReport.objects.exclude(pk=exclude_pk)
    slug, n = base, 1
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class LabelsField(forms.MultipleChoiceField):
    """Labels of one dimension, several at once; a label typed (or sent) in another case is the same label."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.CheckboxSelectMultiple(attrs={"class": "report-label"}), **kwargs)

    def to_python(self, value):
        by_lower = {str(key).lower(): key for key, _text in self.choices}
        return [by_lower.get(v.strip().lower(), v.strip()) for v in super().to_python(value)]


def _dimension_field(label):
    return forms.ChoiceField(
        label=label,
        required=False,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a dimension of the chosen measure; choose one from the list.")
        },
    )


class SavedReportForm(CheckedModelForm):
    """Build or edit a saved report by choosing: the measure first, then its figure, dimensions and filters.

    Every choice offered is one of the chosen measure, by its Dutch name (reports/labels.py): no engine
    key is typed or shown. The slug (the export address) is made from the name when the report is created.
    With `preview`, the form only has to be complete enough to run: no name needed, and choices that
    belong to another measure (the measure was just changed) are dropped instead of refused.
    """

    row_dimension_1 = _dimension_field(_("Rows"))
    row_dimension_2 = _dimension_field(_("Rows, second level"))
    column = _dimension_field(_("Columns"))
    fixed_label_lines = forms.CharField(
        label=_("Labels always listed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Optional. One line per dimension, in the order to show, for instance 'provincie: Antwerpen; Limburg'."
        ),
    )

    class Meta:
        model = SavedReport
        fields = [
            "name",
            "measure",
            "population",
            "as_of",
            "known_at",
            "age_bands",
            "period_from",
            "period_to",
            "suppress_small_cells",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "period_from": DateInput(),
            "period_to": DateInput(),
            "as_of": DateInput(),
            "known_at": DateInput(),
        }

    def __init__(self, *args, preview=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview
        code = self.data.get("measure") if self.is_bound else (self.initial.get("measure") or self.instance.measure)
        self.chosen_measure = MEASURES.get(code)
        self.fields["measure"].choices = [("", _("choose a measure")), *measure_choices()]
        self.fields["name"].required = not preview
        if preview and self.is_bound:
            self._drop_choices_of_another_measure()
        self._offer_the_measures_choices()
        for name in REPORT_DATE_FIELDS:
            self.fields[name].validators.extend(REPORT_DATE_VALIDATORS)
        if not self.is_bound:
            self._initial_from_instance()
        self.order_fields(["name", "measure", "population", *DIMENSION_FIELDS, *self.filter_names()])
        style_form(self)

    def _offer_the_measures_choices(self):
        none = [("", _("(none)"))]
        measure = self.chosen_measure
        dimensions = dimension_choices(measure) if measure else []
        for name in DIMENSION_FIELDS:
            self.fields[name].choices = none + dimensions
        figures = figure_choices(measure) if measure else []
        self.fields["population"] = forms.ChoiceField(
            label=_("Figure"),
            choices=figures or [("", _("choose a measure first"))],
            required=False,
            help_text=_("What the table counts, unless the figures themselves are its rows or columns."),
            error_messages={"invalid_choice": _("“%(value)s” is not a figure of the chosen measure.")},
        )
        if not measure:
            return
        saved = self.instance.filters if self.instance.measure == measure.code else {}
        for dim in measure.dimensions:
            texts = label_texts(dim.name)
            labels = labels_found(measure, dim.name)
            labels += [label for label in saved.get(dim.name, []) if label not in labels]
            self.fields[FILTER_PREFIX + dim.name] = LabelsField(
                label=_("Filter on %(dimension)s") % {"dimension": dim.label},
                required=False,
                choices=[(label, texts.get(label, label)) for label in labels],
                error_messages={
                    "invalid_choice": _("“%(value)s” is not a %(dimension)s in the register.").replace(
                        "%(dimension)s", str(dim.label)
                    )
                },
            )

    def _drop_choices_of_another_measure(self):
        data = self.data.copy()
        allowed = set(self.chosen_measure.dimension_names) if self.chosen_measure else set()
        for name in DIMENSION_FIELDS:
            if data.get(name) and data[name] not in allowed:
                data[name] = ""
        statuses = {s.code for s in self.chosen_measure.statuses} if self.chosen_measure else set()
        if data.get("population") and data["population"] not in statuses:
            data["population"] = ""
        self.data = data

    def _initial_from_instance(self):
        instance = self.instance
        rows = list(instance.row_dimensions or [])
        self.initial.setdefault("row_dimension_1", rows[0] if rows else "")
        self.initial.setdefault("row_dimension_2", rows[1] if len(rows) > 1 else "")
        self.initial.setdefault("column", instance.column_dimension)
        if self.chosen_measure:
            self.initial.setdefault("population", instance.population or self.chosen_measure.statuses[0].code)
            self.initial.setdefault("fixed_label_lines", self._format_fixed(instance.fixed_labels))
        for name, labels in (instance.filters or {}).items():
            self.initial.setdefault(FILTER_PREFIX + name, labels)

    def filter_names(self):
        return [name for name in self.fields if name.startswith(FILTER_PREFIX)]

    def filter_fields(self):
        return [self[name] for name in self.filter_names()]

    def main_fields(self):
        return [self[name] for name in ("name", "measure", "population", *DIMENSION_FIELDS)]

    def date_fields(self):
        names = ("as_of", "known_at", "age_bands", "period_from", "period_to", "suppress_small_cells")
        return [self[name] for name in names]

    def other_fields(self):
        return [self[name] for name in ("fixed_label_lines", "description")]

    # --- labels always listed, typed ------------------------------------------------------------

    def _texts(self, dimension):
        """{label: text} of a dimension's labels as offered (figures by their names)."""
        if dimension == self.chosen_measure.status_dimension:
            return dict(figure_choices(self.chosen_measure))
        field = self.fields.get(FILTER_PREFIX + dimension)
        return dict(field.choices) if field else label_texts(dimension)

    def _format_fixed(self, fixed: dict) -> str:
        names = dict(dimension_choices(self.chosen_measure))
        lines = []
        for name, labels in (fixed or {}).items():
            texts = self._texts(name)
            lines.append(f"{names.get(name, name)}: {'; '.join(texts.get(label, label) for label in labels)}")
        return "\n".join(lines)

    def clean_fixed_label_lines(self):
        text = self.cleaned_data["fixed_label_lines"]
        if not self.chosen_measure:
            return {}
        field = self.fields["fixed_label_lines"].label
        names = {}
        for name, shown in dimension_choices(self.chosen_measure):
            names[name.lower()] = names[str(shown).lower()] = name
        parsed = {}
        for number, line in enumerate(text.splitlines(), start=1):
            typed, sep, rest = line.strip().partition(":")
            labels = [label.strip() for label in rest.split(";") if label.strip()]
            if not line.strip():
                continue
            if not sep or not typed.strip() or not labels:
                raise forms.ValidationError(
                    _("Line %(number)s of %(field)s: write 'dimension: label; label'.")
                    % {"number": number, "field": field}
                )
            name = names.get(typed.strip().lower())
            if name is None:
                raise forms.ValidationError(
                    _("Line %(number)s of %(field)s: “%(name)s” is not a dimension of %(measure)s (%(names)s).")
                    % {
                        "number": number,
                        "field": field,
                        "name": typed.strip(),
                        "measure": self.chosen_measure.label,
                        "names": ", ".join(str(shown) for _n, shown in dimension_choices(self.chosen_measure)),
                    }
                )
            known = {}
            for label, shown in self._texts(name).items():
                known[str(label).lower()] = known[str(shown).lower()] = label
            parsed[name] = [known.get(label.lower(), label) for label in labels]
        return parsed

    # --- the whole form ------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not self.instance.slug and cleaned.get("name"):
            self.instance.slug = unique_slug(cleaned["name"])
        chosen = {}
        for name in DIMENSION_FIELDS:
            value = cleaned.get(name)
            if not value:
                continue
            if value in chosen:
                self.add_error(
                    name,
                    _("%(dimension)s is already chosen for %(field)s; choose each dimension once.")
                    % {"dimension": dict(self.fields[name].choices)[value], "field": self.fields[chosen[value]].label},
                )
            chosen.setdefault(value, name)
        placed = {name: value for value, name in chosen.items()}
        self.instance.row_dimensions = [placed[n] for n in ("row_dimension_1", "row_dimension_2") if n in placed]
        self.instance.column_dimension = placed.get("column", "")
        self.instance.filters = {
            name[len(FILTER_PREFIX) :]: cleaned[name] for name in self.filter_names() if cleaned.get(name)
        }
        self.instance.fixed_labels = cleaned.get("fixed_label_lines") or {}
        return cleaned


class RunForm(forms.Form):
    """The two dates a report is run for."""

    as_of = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=DateInput(attrs={"class": "form-control"}),
        validators=REPORT_DATE_VALIDATORS,
    )
    known_at = forms.DateField(
        label=_("Register as it stood on"),
        required=False,
        widget=DateInput(attrs={"class": "form-control"}),
        help_text=_("Empty: today's register."),
        validators=REPORT_DATE_VALIDATORS,
    )
