"""Create the saved reports of the parliamentary pack: one per table of ministerial-figures-2019.json,
and the reports that answer what the minister could not (question 4, 2e per partner, ESF breakdowns).

Each ministerial report keeps the table's id as slug, its dimensions and its row
labels (in order) as fixed labels, so that its JSON export can be compared with
the published table cell for cell. The definitions are those of
docs/measures.md.
"""

import json
from pathlib import Path

from django.db import migrations

REFERENCE = Path(__file__).resolve().parent.parent / "reference" / "ministerial-figures-2019.json"

QUESTIONS = {
    "1": "Hoeveel doelgroepwerknemers stroomden door van de sociale economie naar het NEC? Graag een opsplitsing "
    "per beleidsinstrument sociale economie en per jaar vanaf 2014, per provincie en per leeftijd.",
    "2a": "Graag een overzicht van de erkende organisaties die doorstroomtrajecten aanbieden met een overzicht van "
    "het aantal doorstroomtrajecten per jaar.",
    "2b": "Wat zijn de resultaten van de lopende ESF-oproepen? Hoeveel doelgroepwerknemers worden begeleid naar het "
    "NEC? Hoeveel trajecten werden opgestart? Graag een overzicht per jaar, per provincie, per leeftijd, per "
    "organisatie en tewerkstelling van de doelgroepwerknemer.",
    "2c": "Hoeveel doelgroepwerknemers hebben het traject voortijdig stopgezet? Graag een overzicht per jaar, per "
    "provincie, per leeftijd, per organisatie en tewerkstelling van de doelgroepwerknemer. Wat waren de redenen "
    "voor de stopzetting?",
    "2d": "Hoeveel doelgroepwerknemers zijn in het kader van de lopende ESF-oproepen aan de slag in het NEC? Graag "
    "een overzicht per jaar, per provincie, per leeftijd, per organisatie en tewerkstelling van de "
    "doelgroepwerknemer.",
    "2e": "Graag een overzicht per jaar en per erkende organisatie van de financiële middelen die daarvoor worden "
    "ingezet.",
    "3": "Hoeveel mensen werden gescreend door VDAB met het oog op doorstroom naar het NEC? Graag een overzicht per "
    "jaar, per provincie, per leeftijd en tewerkstelling van de doelgroepwerknemer.",
    "4": "Hoeveel 'doorstromers' zijn duurzaam aan het werk? Hoeveel bleven niet aan de slag in het NEC en keerden "
    "bijvoorbeeld terug naar de sociale economie en binnen welke termijn? Wat gebeurde er met diegenen die niet "
    "konden terugkeren naar de sociale economie? Graag de jaarlijkse cijfers vanaf 2014 en een opdeling van het "
    "vervolgtraject.",
}

FROM_2018 = "2018-01-01"  # VDAB registers its evaluations since 2018 (answer to question 1)
CALL_432 = {"call": ["432"]}

# table id -> measure, figure (population), row dimensions, column dimension, filters, period_from
MINISTERIAL = {
    "q1_ready_by_instrument_province_year": ("ready", "advised_ready", ["instrument", "province"], "year", {}, FROM_2018),
    "q1_ready_by_instrument_age_year": ("ready", "advised_ready", ["instrument", "age_band"], "year", {}, FROM_2018),
    "q1_ready_at_work": ("ready", "", ["status"], "", {}, FROM_2018),
    "q2a_trajectories_by_partner_year": ("trajectories", "trajectories", ["partner"], "year", CALL_432, None),
    "q2b_trajectories_by_province_year": ("trajectories", "trajectories", ["province"], "year", CALL_432, None),
    "q2b_trajectories_by_age_year": ("trajectories", "trajectories", ["age_band"], "year", CALL_432, None),
    "q2c_ended": ("ended", "", ["status"], "", CALL_432, None),
    "q2c_stopped_without_internship_by_year": ("ended", "ended_without_internship", ["year"], "", CALL_432, None),
    "q2c_stopped_without_internship_by_province": ("ended", "ended_without_internship", ["province"], "", CALL_432, None),
    "q2c_stopped_without_internship_by_age": ("ended", "ended_without_internship", ["age_band"], "", CALL_432, None),
    "q2c_stopped_without_internship_by_partner": ("ended", "ended_without_internship", ["partner"], "", CALL_432, None),
    "q2d_at_work": ("at_work", "", ["status"], "", CALL_432, None),
    "q2d_at_work_by_province": ("at_work", "at_work_without_support_package", ["province"], "", CALL_432, None),
    "q2d_at_work_by_age": ("at_work", "at_work_without_support_package", ["age_band"], "", CALL_432, None),
    "q2d_at_work_by_partner": ("at_work", "at_work_without_support_package", ["partner"], "", CALL_432, None),
    "q2e_call_budget": ("money", "", ["source"], "", CALL_432, None),
    "q3_evaluations_by_province_year": ("evaluations", "evaluations", ["province"], "year", {}, FROM_2018),
    "q3_evaluations_by_age_year": ("evaluations", "evaluations", ["age_band"], "year", {}, FROM_2018),
}

# slug -> name, question, measure, figure, rows, column, filters, period_from, age bands, fixed labels
BEYOND = [
    ("q4_lasting_work_by_year", "Duurzaam aan het werk: doorstromers per jaar van doorstroom", "4",
     "lasting_work", "", ["status"], "year", {}, "2014-01-01", "esf2014", {}),
    ("q4_return_to_social_economy_by_year", "Terug naar de sociale economie, en na hoeveel tijd", "4",
     "lasting_work", "back_to_social_economy", ["return_after"], "year", {}, "2014-01-01", "esf2014", {}),
    ("q4_regular_work_after_exit_by_year", "Regulier werk in het 2e en 4e kwartaal na het einde van het traject (WIOA)",
     "4", "employment_after_exit", "", ["status"], "year", CALL_432, None, "esf2014", {}),
    ("q2e_money_by_partner_year", "Middelen per doorstroompartner en jaar: toegekend, besteed, verdiend", "2e",
     "money", "", ["partner", "source"], "year", CALL_432, None, "esf2014", {}),
    ("esf_participants_by_gender_year", "ESF-deelnemers (gestarte trajecten) per geslacht en jaar", "2b",
     "trajectories", "trajectories", ["gender"], "year", CALL_432, None, "esf2014", {}),
    ("esf_participants_by_age_year", "ESF-deelnemers (gestarte trajecten) per leeftijdsgroep en jaar", "2b",
     "trajectories", "trajectories", ["age_band"], "year", CALL_432, None, "esf2014", {}),
    ("esfplus_participants_by_age_year", "ESF+-deelnemers (gestarte trajecten) per leeftijdsgroep (ESF+) en jaar", "2b",
     "trajectories", "trajectories", ["age_band"], "year", CALL_432, None, "esfplus", {}),
]


def _labels(table):
    labels = {}
    for dimension in table["dimensions"]:
        seen = []
        for row in table["rows"]:
            if row[dimension] not in seen:
                seen.append(row[dimension])
        labels[dimension] = seen
    return labels


def create_pack(apps, schema_editor):
    SavedReport = apps.get_model("reports", "SavedReport")
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    position = 0
    for table in reference["tables"]:
        measure, population, rows, column, filters, period_from = MINISTERIAL[table["id"]]
        position += 1
        SavedReport.objects.update_or_create(
            slug=table["id"],
            defaults={
                "name": table["title"],
                "description": table.get("notes", ""),
                "measure": measure,
                "population": population,
                "row_dimensions": rows,
                "column_dimension": column,
                "filters": filters,
                "fixed_labels": _labels(table),
                "period_from": period_from,
                "as_of": table["demo_as_of"],
                "known_at": table["demo_as_of"],
                "age_bands": "esf2014",
                "in_pack": True,
                "pack_position": position,
                "question": table["question"],
                "question_text": QUESTIONS[table["question"]],
            },
        )
    for slug, name, question, measure, population, rows, column, filters, period_from, bands, fixed in BEYOND:
        position += 1
        SavedReport.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "measure": measure,
                "population": population,
                "row_dimensions": rows,
                "column_dimension": column,
                "filters": filters,
                "fixed_labels": fixed,
                "period_from": period_from,
                "age_bands": bands,
                "in_pack": True,
                "pack_position": position,
                "question": question,
                "question_text": QUESTIONS[question],
            },
        )


def remove_pack(apps, schema_editor):
    SavedReport = apps.get_model("reports", "SavedReport")
    SavedReport.objects.filter(slug__in=[*MINISTERIAL, *(b[0] for b in BEYOND)]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create_pack, remove_pack)]
