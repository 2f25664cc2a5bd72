"""The trajectory and internship lists search one column kept by triggers (issue 17, point 3).

`search_text` holds the texts each list's free-text search compares (common/search_columns.py):
a trajectory's person ("FIRST LAST", employees_employee.search_name), partner's and social-economy
employer's names; an internship's person (its trajectory's) and host's name. Before, a search
found the matching persons through their trigram index, then their records through a subquery,
UNIONed with the records of the matching organisations; now one trigram index on the listed table
finds them (docs/benchmarks.md, "Search at 1,000,000 persons"). An internship's text follows its
trajectory's person too.

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

INTERNSHIP_PERSON = (
    "(SELECT p.search_name FROM trajectories_trajectory t JOIN employees_employee p ON p.id = t.employee_id "
    "WHERE t.id = NEW.trajectory_id)"
)

TABLES = {
    "trajectories_trajectory": search_text_sql(
        "trajectories_trajectory",
        [person("employee_id"), organisation("partner_id"), organisation("se_employer_id")],
        ["employee_id", "partner_id", "se_employer_id"],
        [
            ("employees_employee", PERSON_CHANGED, "employee_id = NEW.id"),
            ("partners_organisation", NAME_CHANGED, "partner_id = NEW.id OR se_employer_id = NEW.id"),
        ],
    ),
    "trajectories_internship": search_text_sql(
        "trajectories_internship",
        [INTERNSHIP_PERSON, organisation("host_id")],
        ["trajectory_id", "host_id"],
        [
            (
                "employees_employee",
                PERSON_CHANGED,
                "trajectory_id IN (SELECT t.id FROM trajectories_trajectory t WHERE t.employee_id = NEW.id)",
            ),
            ("partners_organisation", NAME_CHANGED, "host_id = NEW.id"),
            ("trajectories_trajectory", "OLD.employee_id IS DISTINCT FROM NEW.employee_id", "trajectory_id = NEW.id"),
        ],
    ),
}


def create(apps, schema_editor):
    install(schema_editor, TABLES)


def drop(apps, schema_editor):
    uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("trajectories", "0008_esf_participant_data"),
        ("employees", "0015_search_text_trigram_index"),
        ("partners", "0008_search_text_trigram_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
