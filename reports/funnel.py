"""The funnel of the pathway report, drawn on the server as SVG (reports/_funnel.html): one bar per step, its
width the step's share of the cohort, its number and share written beside it, so that nothing is said by
colour alone. The figures are the row totals of the report's table, with its small-cell suppression.
"""

from decimal import Decimal

from reports import formatting
from reports.measures import MEASURES
from reports.pathway import STEPS

# Beside the steps, drawn as outlined bars: what the steps do not say by themselves.
ASIDE = ("regular_job_without_trajectory", "not_yet_observable_6_months", "not_yet_observable_12_months")

ROW = 34  # the height of a step in the drawing, in its units (see WIDTH)
LABEL_END = 420  # step names end here (right-aligned); the bars are centred in what follows
BAR_LEFT, BAR_WIDTH = 430, 330
WIDTH = 960  # the width of the drawing, in its units


def _step_totals(run, table) -> dict:
    """Each figure's number over all the columns (its row total, None when suppressed), by status code."""
    totals = {}
    for row in table["rows"]:
        code = row["keys"][0]
        if run.column_dimension:
            totals[code] = (row["total_value"], row["total"])
        else:
            cell = row["cells"][0]
            totals[code] = (None if cell.suppressed else cell.value, cell.shown)
    return totals


def funnel(run, table) -> dict | None:
    """The drawing's bars, or None for a report that is not the pathway broken down by step in its rows."""
    if run.report.measure != "pathway" or run.row_dimensions != ["step"]:
        return None
    measure = MEASURES["pathway"]
    totals = _step_totals(run, table)
    cohort = totals.get("advised_ready", (None, ""))[0]
    bars = []
    for index, code in enumerate([*STEPS, *ASIDE]):
        if code not in totals:
            continue
        value, shown = totals[code]
        share = Decimal(value) / Decimal(cohort) if cohort and value is not None else None
        width = float(share) * BAR_WIDTH if share is not None else 0.0
        text = shown or "0"
        if share is not None and code != "advised_ready":
            text = f"{text} ({formatting.percent(share.quantize(Decimal('0.001')))})"
        y = len(bars) * ROW + (ROW // 2 if code in ASIDE else 0)
        bars.append(
            {
                "code": code,
                "label": str(measure.status(code).label),
                "aside": code in ASIDE,
                "text": text,
                "y": y,
                "text_y": y + 21,
                "x": f"{BAR_LEFT + (BAR_WIDTH - width) / 2:.1f}",
                "width": f"{max(width, 1.0):.1f}",
                "value_x": f"{BAR_LEFT + BAR_WIDTH + 10}",
                "step_number": index + 1 if code in STEPS else None,
            }
        )
    height = (bars[-1]["y"] + ROW + 4) if bars else ROW
    return {"bars": bars, "height": height, "width": WIDTH, "label_end": LABEL_END}
