"""The ESF age bands: the one definition used by the list filters, the reports, the demo and the tests.

A scheme is a sequence of bands, each from its lowest age up to the next band's lowest age. The code of a
band is what reports publish as a cell label ("<25") and what list filters carry in their address; the
label is what a person reads. Ages are taken at the event counted (docs/domain.md, "ESF age bands").
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.dates import years_before

UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Band:
    code: str
    lowest: int
    label: str


@dataclass(frozen=True)
class Scheme:
    key: str
    label: str
    bands: tuple[Band, ...]

    def band_of(self, age: int | None) -> str:
        """The code of the band of an age in years; `onbekend` without one."""
        if age is None:
            return UNKNOWN
        code = self.bands[0].code
        for band in self.bands:
            if age >= band.lowest:
                code = band.code
        return code

    def highest(self, band: Band) -> int | None:
        """The highest age of a band, None for the last one."""
        position = self.bands.index(band)
        return self.bands[position + 1].lowest - 1 if position + 1 < len(self.bands) else None

    def band(self, code: str) -> Band:
        return next(b for b in self.bands if b.code == code)

    def codes(self) -> list[str]:
        return [band.code for band in self.bands]

    def choices(self) -> list[tuple[str, str]]:
        """For a filter: every band and the unknown age."""
        return [(band.code, band.label) for band in self.bands] + [(UNKNOWN, _("unknown"))]

    def age_q(self, field: str, code: str) -> Q:
        """Records whose stored age in years (`field`) lies in the band `code`."""
        if code == UNKNOWN:
            return Q(**{f"{field}__isnull": True})
        band = self.band(code)
        condition = Q(**{f"{field}__gte": band.lowest})
        highest = self.highest(band)
        if highest is not None:
            condition &= Q(**{f"{field}__lte": highest})
        return condition

    def birth_date_q(self, field: str, code: str, on: datetime.date) -> Q:
        """Records whose birth date (`field`) puts them in the band `code` on the day `on`."""
        if code == UNKNOWN:
            return Q(**{f"{field}__isnull": True})
        band = self.band(code)
        condition = Q(**{f"{field}__lte": years_before(on, band.lowest)})
        highest = self.highest(band)
        if highest is not None:
            condition &= Q(**{f"{field}__gt": years_before(on, highest + 1)})
        return condition


ESF_2014 = Scheme(
    "esf2014",
    _("ESF 2014-2020: <25, 25-54, 55+"),
    (Band("<25", 0, _("under 25")), Band("25-54", 25, _("25 to 54")), Band("55+", 55, _("55 and over"))),
)
ESF_PLUS = Scheme(
    "esfplus",
    _("ESF+ 2021-2027: <18, 18-29, 30-54, 55+"),
    (
        Band("<18", 0, _("under 18")),
        Band("18-29", 18, _("18 to 29")),
        Band("30-54", 30, _("30 to 54")),
        Band("55+", 55, _("55 and over")),
    ),
)
SCHEMES = {scheme.key: scheme for scheme in (ESF_2014, ESF_PLUS)}
DEFAULT = ESF_2014
