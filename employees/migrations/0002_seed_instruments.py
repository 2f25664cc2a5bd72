"""Seed the social-economy policy instruments of docs/domain.md, with their dates."""

import datetime

from django.db import migrations

D = datetime.date

INSTRUMENTS = [
    # name, code, valid_from, valid_until, is_employment, description
    ("collectief maatwerk", "collectief-maatwerk", D(2015, 4, 1), None, True,
     "Decreet van 12 juli 2013. Eerst in werking op 1 april 2015, opgeschort op 8 februari 2016, "
     "volledig van kracht sinds 1 januari 2019 (maatwerkbedrijven en maatwerkafdelingen)."),
    ("lokale diensteneconomie", "lokale-diensteneconomie", D(2015, 4, 1), D(2023, 6, 30), True,
     "Decreet van 22 november 2013, in werking op 1 april 2015; opgenomen in individueel maatwerk."),
    ("individueel maatwerk", "individueel-maatwerk", D(2023, 7, 1), None, True,
     "Decreet van 14 januari 2022, in werking op 1 juli 2023; neemt VOP, SINE, LDE en de "
     "maatwerkafdelingen op."),
    ("beschutte werkplaats", "beschutte-werkplaats", None, D(2018, 12, 31), True,
     "Werd op 1 januari 2019 een maatwerkbedrijf (collectief maatwerk)."),
    ("sociale werkplaats", "sociale-werkplaats", None, D(2018, 12, 31), True,
     "Werd op 1 januari 2019 een maatwerkbedrijf (collectief maatwerk)."),
    ("invoegbedrijf", "invoegbedrijf", None, D(2018, 12, 31), True,
     "Werd op 1 januari 2019 een maatwerkafdeling (collectief maatwerk)."),
    ("werkervaring", "werkervaring", None, D(2015, 12, 31), True, "Werkervaring (WEP+), afgeschaft in 2015."),
    ("arbeidszorg", "arbeidszorg", None, None, False,
     "Sociale economie maar geen tewerkstelling: de deelnemers behouden hun uitkering. "
     "Sinds april 2021 arbeidsmatige activiteiten."),
]


def seed(apps, schema_editor):
    Instrument = apps.get_model("employees", "Instrument")
    for name, code, valid_from, valid_until, is_employment, description in INSTRUMENTS:
        Instrument.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "is_employment": is_employment,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("employees", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
