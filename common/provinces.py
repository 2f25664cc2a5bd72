"""Belgian provinces and the postcode ranges that imply them (docs/domain.md)."""

from django.db import models

# Province names are proper nouns used as labels in the ministerial tables;
# they are not translated.


class Province(models.TextChoices):
    """Provinces by ISO 3166-2:BE code, labelled with their Dutch names."""

    ANTWERPEN = "VAN", "Antwerpen"
    LIMBURG = "VLI", "Limburg"
    OOST_VLAANDEREN = "VOV", "Oost-Vlaanderen"
    VLAAMS_BRABANT = "VBR", "Vlaams-Brabant"
    WEST_VLAANDEREN = "VWV", "West-Vlaanderen"
    BRUSSEL = "BRU", "Brussel"
    WAALS_BRABANT = "WBR", "Waals-Brabant"
    HENEGOUWEN = "WHT", "Henegouwen"
    LUIK = "WLG", "Luik"
    LUXEMBURG = "WLX", "Luxemburg"
    NAMEN = "WNA", "Namen"


FLEMISH_PROVINCES = [
    Province.ANTWERPEN,
    Province.LIMBURG,
    Province.OOST_VLAANDEREN,
    Province.VLAAMS_BRABANT,
    Province.WEST_VLAANDEREN,
]

# (first postcode, last postcode, province), inclusive ranges.
POSTCODE_RANGES = [
    (1000, 1299, Province.BRUSSEL),
    (1300, 1499, Province.WAALS_BRABANT),
    (1500, 1999, Province.VLAAMS_BRABANT),
    (2000, 2999, Province.ANTWERPEN),
    (3000, 3499, Province.VLAAMS_BRABANT),
    (3500, 3999, Province.LIMBURG),
    (4000, 4999, Province.LUIK),
    (5000, 5999, Province.NAMEN),
    (6000, 6599, Province.HENEGOUWEN),
    (6600, 6999, Province.LUXEMBURG),
    (7000, 7999, Province.HENEGOUWEN),
    (8000, 8999, Province.WEST_VLAANDEREN),
    (9000, 9999, Province.OOST_VLAANDEREN),
]


def province_for_postcode(postcode: int | None) -> str:
    """The province code a Belgian postcode implies, or '' when unknown or out of range."""
    if postcode is None:
        return ""
    for first, last, province in POSTCODE_RANGES:
        if first <= postcode <= last:
            return province.value
    return ""
