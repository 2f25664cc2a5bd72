"""What the report builder shows for the engine's names: a measure's dimensions and figures, and a label's text.

The engine keys its dimensions, figures and some labels by code (`province`, `advised_ready`,
`ready`, `f`...): stable whatever administrators relabel, and what the exports and `export_report`
read (docs/measures.md). People never see those codes: the builder offers the Dutch names of
`reports/measures.py`, the managed lists' labels and the choices' labels instead.
"""

import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from employees.constants import Gender
from evaluations.models import Advice
from reports.engine import UNKNOWN, Context
from trajectories.constants import InternshipOutcome
from trajectories.models import EndReason

FIGURE = _("figure")

# Labels the measures make themselves (docs/measures.md), by dimension.
_MADE_LABELS = {
    "internship": {"with_internship": _("with internship"), "without_internship": _("without internship")},
    "support_package": {
        "with_support_package": _("with work-support package"),
        "without_support_package": _("without work-support package"),
    },
    "return_after": {
        "0-3m": _("within 3 months"),
        "3-6m": _("after 3 to 6 months"),
        "6-12m": _("after 6 to 12 months"),
        "12m+": _("after more than 12 months"),
        "not_returned": _("not returned"),
    },
    "gender": dict(Gender.choices),
    "outcome": dict(InternshipOutcome.choices),
}

# Dimensions labelled by the code of a managed list: their text is the list's label.
_MANAGED_LISTS = {"advice": Advice, "end_reason": EndReason}


def dimension_choices(measure) -> list[tuple[str, str]]:
    """(name, shown name) of each dimension of `measure`, the figures first."""
    return [(measure.status_dimension, str(FIGURE)), *((d.name, str(d.label)) for d in measure.dimensions)]


def figure_choices(measure) -> list[tuple[str, str]]:
    return [(status.code, str(status.label)) for status in measure.statuses]


def label_texts(dimension: str) -> dict[str, str]:
    """{label: its text} for the labels of `dimension` that are codes; other labels show as they are."""
    texts = {UNKNOWN: str(_("unknown"))}
    texts.update({code: str(text) for code, text in _MADE_LABELS.get(dimension, {}).items()})
    model = _MANAGED_LISTS.get(dimension)
    if model is not None:
        field = "label_en" if (get_language() or "nl").startswith("en") else "label_nl"
        texts.update(dict(model.objects.values_list("code", field)))
    return texts


def labels_found(measure, dimension: str, *, as_of: datetime.date | None = None) -> list[str]:
    """The labels of `dimension` in today's register: the dimension's standard ones, then those found, sorted.

    One DISTINCT query over the measure's units (and over the units of a figure that counts other
    records, such as the trajectories of the money measure), without the figures' conditions.
    """
    ctx = Context(as_of=as_of or timezone.localdate())
    dim = measure.dimension(dimension)
    found = set()
    sources = [(measure.units, dim.expr)]
    for status in measure.statuses:
        if status.units and status.dimensions and dimension in status.dimensions:
            sources.append((status.units, status.dimensions[dimension]))
    for units, expr in sources:
        rows = units(ctx).annotate(_label=expr(ctx)).order_by().values_list("_label", flat=True).distinct()
        found.update(label for label in rows if label is not None)
    listed = list(dim.default_labels(ctx)) if dim.default_labels else []
    rest = sorted(found - set(listed) - {UNKNOWN})
    return [*listed, *rest, *([UNKNOWN] if UNKNOWN in found else [])]
