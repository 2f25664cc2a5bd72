"""The whole answer to the parliamentary question on one page: the pack's tables with the published
contradictions beside their figures, their revisions (as known today), and question 5 (the sector pilots).

The views (`reports.views.pack`, `pack_export`) and the workbook (`reports.workbook.pack_workbook`) read it.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from partners.models import Pilot
from reports.measures import MEASURES
from reports.models import SavedReport
from reports.published import difference_of
from reports.services import ReportRun, Revision, revise, run_report
from trajectories.models import Internship

# Question 5 as asked (the texts of questions 1 to 4 are on the pack's saved reports).
QUESTION_5 = (
    "Naar aanleiding van het Maatwerkdecreet werden in 2017 in diverse sectoren proeftuinen doorstroom sociale "
    "economie opgestart. Deze liepen tot eind 2018. Wat is de stand van zaken van deze proeftuinen, wat waren de "
    "resultaten en op welke manier worden deze meegenomen voor toekomstige initiatieven?"
)


@dataclass
class Section:
    """One table of the pack: the report run with its published differences marked, and its revision."""

    report: SavedReport
    run: ReportRun
    table: dict
    dimension_labels: dict
    revision: Revision | None = None
    notes: list = field(default_factory=list)  # the published differences of this table


@dataclass
class PilotRow:
    """A sector pilot as question 5 reports it."""

    name: str
    sector: str
    organisations: list[str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    results: str
    trajectories: int
    persons: int


def dimension_labels(report) -> dict:
    """The Dutch name of each dimension of a report's measure (the figure dimension: "cijfer")."""
    measure = MEASURES[report.measure]
    labels = {measure.status_dimension: _("figure")}
    labels.update({d.name: d.label for d in measure.dimensions})
    return labels


def pack_reports():
    return SavedReport.objects.filter(in_pack=True).order_by("pack_position", "name")


def _mark_published(report, table) -> list:
    """Give each cell where the published answer contradicts itself its published value; the list of them."""
    notes = []
    for row in table["rows"]:
        for cell in row["cells"]:
            difference = difference_of(report.slug, cell.labels)
            if difference is not None:
                cell.note = difference
                notes.append({"difference": difference, "cell": cell, "labels": row["labels"]})
    return notes


def sections(as_of=None, known_at=None, *, revisions=True) -> list[Section]:
    """Every report of the pack for the dates chosen (or each its own), with its revision when it was read
    from the register of an earlier day."""
    found = []
    for report in pack_reports():
        run = run_report(report, as_of=as_of, known_at=known_at)
        table = run.table()
        found.append(
            Section(
                report=report,
                run=run,
                table=table,
                dimension_labels=dimension_labels(report),
                revision=revise(run) if revisions else None,
                notes=_mark_published(report, table),
            )
        )
    return found


def pilots(as_of: datetime.date) -> list[PilotRow]:
    """The sector pilots with the trajectories and persons in them where recorded: trajectories with an
    internship at one of the pilot's organisations that started within the pilot's period (and by `as_of`)."""
    found = list(Pilot.objects.prefetch_related("organisations").order_by("start_date", "name"))
    internships = (
        Internship.objects.filter(host__pilots__in=found, start_date__lte=as_of)
        .values_list("host__pilots", "trajectory_id", "trajectory__employee_id", "start_date")
        .distinct()
    )
    per_pilot = {}
    for pilot_id, trajectory_id, employee_id, started in internships:
        per_pilot.setdefault(pilot_id, []).append((trajectory_id, employee_id, started))
    rows = []
    for pilot in found:
        inside = [
            (trajectory, person)
            for trajectory, person, started in per_pilot.get(pilot.pk, [])
            if (pilot.start_date is None or started >= pilot.start_date)
            and (pilot.end_date is None or started <= pilot.end_date)
        ]
        rows.append(
            PilotRow(
                name=pilot.name,
                sector=pilot.sector,
                organisations=sorted(o.name for o in pilot.organisations.all()),
                start_date=pilot.start_date,
                end_date=pilot.end_date,
                results=pilot.results,
                trajectories=len({t for t, _p in inside}),
                persons=len({p for _t, p in inside}),
            )
        )
    return rows
