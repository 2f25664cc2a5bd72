"""The cells where the minister's published answer contradicts itself: the one list of them.

For each cell: the table (its id in `reference/ministerial-figures-2019.json`, also the slug of the pack's
report), the cell's labels, the published value, the value the registers give (the demo data set keeps it)
and why. The pack page and workbook show it beside the figure; the demo and its tests
(`demo/answer.py`, `docs/demo-data.md`) read the same list.
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class PublishedDifference(NamedTuple):
    """A cell where the consistent value is kept instead of the published one, and why."""

    table_id: str
    cells: tuple[tuple[str, str], ...]  # (dimension, label) pairs, as in the reference file
    published: int
    demo: int
    reason: str

    @property
    def key(self) -> tuple[str, frozenset]:
        """(table id, frozenset of cell labels): how demo/checks.compare names a cell."""
        return self.table_id, frozenset(self.cells)

    def matches(self, table_id: str, labels: dict) -> bool:
        """Whether a cell of a report (its slug and labels by dimension) is this one."""
        return table_id == self.table_id and all(labels.get(d) == label for d, label in self.cells)


PUBLISHED_DIFFERENCES = (
    PublishedDifference(
        "q2c_stopped_without_internship_by_year",
        (("year", "2019"),),
        published=15,
        demo=16,
        reason=_(
            "The answer gives 1 + 15 = 16 trajectories by year of ending, but 17 ended without internship, "
            "which its province, age and partner tables confirm. Every ended trajectory has an end date "
            "(docs/measures.md), so the 17th falls in a year: the demo puts it in 2019, where 14 of the 17 "
            "began and most ended."
        ),
    ),
    PublishedDifference(
        "q3_evaluations_by_age_year",
        (("age_band", "<25"), ("year", "2018")),
        published=1,
        demo=0,
        reason=_(
            "The 2018 column sums to 17 (1 + 16 + 0), while the province table and the text give 16. The "
            "demo keeps the total of 16 with all 16 in 25-54: every other 2018 figure of the answer (the 21 "
            "persons advised ready, the 9 trajectories) lies in the 25-54 band."
        ),
    ),
)


def difference_of(table_id: str, labels: dict) -> PublishedDifference | None:
    """The published difference of one cell, if the answer contradicts itself there."""
    return next((d for d in PUBLISHED_DIFFERENCES if d.matches(table_id, labels)), None)
