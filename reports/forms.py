"""Forms to build a saved report and to choose the dates a report is run for."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common.forms import CheckedModelForm
from reports.measures import MEASURES
from reports.models import SavedReport

RESERVED_SLUGS = {"nieuw", "parlementaire-vraag"}

# The measures count in quarters and years around the dates of a report (the quarters after an exit,
# ages): a date near the calendar's ends (9999-12-31) made that arithmetic fail with a 500.
REPORT_DATE_VALIDATORS = [MinValueValidator(datetime.date(1900, 1, 1)), MaxValueValidator(datetime.date(2999, 12, 31))]
REPORT_DATE_FIELDS = ("period_from", "period_to", "as_of", "known_at")


def _all_dimensions():
    names = []
    for measure in MEASURES.values():
        for name in measure.dimension_names:
            if name not in names:
                names.append(name)
    return names


def _dimension_choices(blank_label):
    labels = {}
    for measure in MEASURES.values():
        labels.setdefault(measure.status_dimension, _("figure (status)"))
        for dim in measure.dimensions:
            labels.setdefault(dim.name, dim.label)
    return [("", blank_label), *((name, labels[name]) for name in _all_dimensions())]


def parse_label_lines(text: str, field: str) -> dict:
    """'dimension: label; label' per line, into {dimension: [labels]}."""
    parsed = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, sep, rest = line.partition(":")
        labels = [label.strip() for label in rest.split(";") if label.strip()]
        if not sep or not name.strip() or not labels:
            raise forms.ValidationError(
                _("Line %(number)s of %(field)s: write 'dimension: label; label'.") % {"number": number, "field": field}
            )
        parsed[name.strip()] = labels
    return parsed


def format_label_lines(value: dict) -> str:
    return "\n".join(f"{name}: {'; '.join(labels)}" for name, labels in (value or {}).items())


class SavedReportForm(CheckedModelForm):
    """Build or edit a saved report: the measure, up to two row dimensions, a column dimension, filters, dates."""

    row_dimension_1 = forms.ChoiceField(label=_("Rows"), required=False)
    row_dimension_2 = forms.ChoiceField(label=_("Rows, second level"), required=False)
    column = forms.ChoiceField(label=_("Columns"), required=False)
    filter_lines = forms.CharField(
        label=_("Filters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per dimension: 'dimension: label; label', for instance 'call: 432'."),
    )
    fixed_label_lines = forms.CharField(
        label=_("Labels always listed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per dimension, in the order to show: 'province: Antwerpen; Limburg'."),
    )

    class Meta:
        model = SavedReport
        fields = [
            "name",
            "slug",
            "description",
            "measure",
            "population",
            "period_from",
            "period_to",
            "as_of",
            "known_at",
            "age_bands",
            "suppress_small_cells",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "period_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "known_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["row_dimension_1"].choices = _dimension_choices(_("(none)"))
        self.fields["row_dimension_2"].choices = _dimension_choices(_("(none)"))
        self.fields["column"].choices = _dimension_choices(_("(none)"))
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Used in the address and by export_report; made from the name when empty.")
        figures = [("", _("the first figure of the measure"))]
        for measure in MEASURES.values():
            for status in measure.statuses:
                figures.append((status.code, f"{measure.label}: {status.label}"))
        self.fields["population"] = forms.ChoiceField(
            label=_("Figure"), choices=figures, required=False, help_text=self.fields["population"].help_text
        )
        for name in REPORT_DATE_FIELDS:
            self.fields[name].validators.extend(REPORT_DATE_VALIDATORS)
        instance = self.instance
        if not self.is_bound:
            rows = list(instance.row_dimensions or [])
            self.initial.setdefault("row_dimension_1", rows[0] if rows else "")
            self.initial.setdefault("row_dimension_2", rows[1] if len(rows) > 1 else "")
            self.initial.setdefault("column", instance.column_dimension)
            self.initial.setdefault("filter_lines", format_label_lines(instance.filters))
            self.initial.setdefault("fixed_label_lines", format_label_lines(instance.fixed_labels))
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")

    def clean_filter_lines(self):
        return parse_label_lines(self.cleaned_data["filter_lines"], _("Filters"))

    def clean_fixed_label_lines(self):
        return parse_label_lines(self.cleaned_data["fixed_label_lines"], _("Labels always listed"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])[:100]
            if SavedReport.objects.filter(slug=cleaned["slug"]).exclude(pk=self.instance.pk).exists():
                self.add_error("slug", _("A report with this slug exists already; choose another."))
        if cleaned.get("slug") in RESERVED_SLUGS:
            self.add_error("slug", _("This slug is an address of the reports pages; choose another."))
        rows = [d for d in (cleaned.get("row_dimension_1"), cleaned.get("row_dimension_2")) if d]
        self.instance.row_dimensions = rows
        self.instance.column_dimension = cleaned.get("column") or ""
        self.instance.filters = cleaned.get("filter_lines") or {}
        self.instance.fixed_labels = cleaned.get("fixed_label_lines") or {}
        measure = MEASURES.get(cleaned.get("measure"))
        if measure:
            unknown = [name for name in self.instance.filters if name not in measure.dimension_names]
            if unknown:
                self.add_error(
                    "filter_lines", _("Not a dimension of this measure: %(names)s.") % {"names": ", ".join(unknown)}
                )
        return cleaned


class RunForm(forms.Form):
    """The two dates a report is run for."""

    as_of = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=REPORT_DATE_VALIDATORS,
    )
    known_at = forms.DateField(
        label=_("Register as it stood on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("Empty: today's register."),
        validators=REPORT_DATE_VALIDATORS,
    )
