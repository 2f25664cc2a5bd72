"""The measures of issue 16 (the pathway of a cohort, the transitions per social-economy employer) and their
saved reports in the parliamentary pack: `pathway_by_cohort_year` (steps by the year of the ready advice) and
`transitions_by_se_employer` (suppressed below 5 by default).
"""

from django.db import migrations, models

QUESTION_4 = (
    "Hoeveel 'doorstromers' zijn duurzaam aan het werk? Hoeveel bleven niet aan de slag in het NEC en keerden "
    "bijvoorbeeld terug naar de sociale economie en binnen welke termijn? Wat gebeurde er met diegenen die niet "
    "konden terugkeren naar de sociale economie? Graag de jaarlijkse cijfers vanaf 2014 en een opdeling van het "
    "vervolgtraject."
)
QUESTION_2D = (
    "Hoeveel doelgroepwerknemers zijn in het kader van de lopende ESF-oproepen aan de slag in het NEC? Graag "
    "een overzicht per jaar, per provincie, per leeftijd, per organisatie en tewerkstelling van de "
    "doelgroepwerknemer."
)

# slug -> the saved report's fields
REPORTS = {
    "pathway_by_cohort_year": {
        "name": "Het traject van wie doorstroomklaar werd: van advies tot duurzaam werk, per jaar van het advies",
        "measure": "pathway",
        "row_dimensions": ["step"],
        "column_dimension": "year",
        "question": "4",
        "question_text": QUESTION_4,
        "pack_position": 40,
    },
    "transitions_by_se_employer": {
        "name": "Doorstroom per werkgever in de sociale economie, per 100 doelgroepwerknemers",
        "measure": "se_employers",
        "row_dimensions": ["se_employer"],
        "column_dimension": "status",
        "suppress_small_cells": True,
        "question": "2d",
        "question_text": QUESTION_2D,
        "pack_position": 41,
    },
}


def create_reports(apps, schema_editor):
    SavedReport = apps.get_model("reports", "SavedReport")
    for slug, fields in REPORTS.items():
        SavedReport.objects.update_or_create(slug=slug, defaults={"age_bands": "esf2014", "in_pack": True, **fields})


def remove_reports(apps, schema_editor):
    SavedReport = apps.get_model("reports", "SavedReport")
    SavedReport.objects.filter(slug__in=REPORTS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_referrals_measure'),
    ]

    operations = [
        migrations.AlterField(
            model_name='savedreport',
            name='measure',
            field=models.CharField(choices=[('evaluations', 'Evaluations'), ('ready', 'Persons advised ready'), ('trajectories', 'Trajectories'), ('ended', 'Ended trajectories'), ('internships', 'Internships'), ('at_work', 'Persons at work in the regular economy'), ('lasting_work', 'Lasting work'), ('employment_after_exit', 'Regular work after the trajectory ended (WIOA)'), ('money', 'Money'), ('referrals', 'Referrals'), ('pathway', 'Pathway of the persons advised ready'), ('se_employers', 'Transitions per social-economy employer')], max_length=50, verbose_name='measure'),
        ),
        migrations.RunPython(create_reports, remove_reports),
    ]
