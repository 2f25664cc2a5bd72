"""The evaluation and referral lists search one column kept by triggers (issue 17, point 3).

`search_text` holds the texts each list's free-text search compares (common/search_columns.py):
an evaluation's person ("FIRST LAST", employees_employee.search_name) and employer's name, a
referral's person. Before, a search found the matching persons through their trigram index, then
their records through a subquery, UNIONed with the records of the matching employers; at 1,000,000
persons a common surname ('Peeters', 4,374 persons) read 1,588 evaluations through 4,374 persons'
rows. Now one trigram index on the listed table finds them (docs/benchmarks.md, "Search at
1,000,000 persons").

Not atomic: the column of the existing rows is filled in batches of 50,000 ids, each committed;
the triggers exist before, so that rows written meanwhile get their text too. Then each table
is indexed and written again by VACUUM FULL (its old row versions would double it; an exclusive
lock for that time, 12 s for the evaluations of bench_1m) and analysed. The Django model
does not declare the column (as employees_employee.search_name, employees 0015). SQLite: nothing.
"""

from django.db import migrations

from common.search_columns import (
    NAME_CHANGED,
    PERSON_CHANGED,
    install,
    organisation,
    person,
    search_text_sql,
    uninstall,
)

TABLES = {
    "evaluations_evaluation": search_text_sql(
        "evaluations_evaluation",
        [person("employee_id"), organisation("employer_id")],
        ["employee_id", "employer_id"],
        [
            ("employees_employee", PERSON_CHANGED, "employee_id = NEW.id"),
            ("partners_organisation", NAME_CHANGED, "employer_id = NEW.id"),
        ],
    ),
    "evaluations_referral": search_text_sql(
        "evaluations_referral",
        [person("employee_id")],
        ["employee_id"],
        [("employees_employee", PERSON_CHANGED, "employee_id = NEW.id")],
    ),
}


def create(apps, schema_editor):
    install(schema_editor, TABLES)


def drop(apps, schema_editor):
    uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("evaluations", "0012_office_trigram_index"),
        ("employees", "0015_search_text_trigram_index"),
        ("partners", "0008_search_text_trigram_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
