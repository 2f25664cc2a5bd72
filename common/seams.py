"""The library versions that the project's speed-ups through private APIs were written for.

`reports/statements.py` re-runs the SQL Django compiled for a report (SQLCompiler.as_sql,
get_converters, Query.selected and values_select) and `common/tables.py` pages with a WhereNode and
tuple lookups and caches two things inside django-tables2 (utils.signature, templatecolumn.Template).
`common/table_cells.py` renders cells as django-tables2's BoundRow.get_cell does, and
`common/form_renderer.py` writes Django's select and input widget templates in Python
(tests/test_fast_rendering.py compares both with the libraries' own rendering).
Private APIs change without notice, so each is tied to the version it was read from: on any other,
`manage.py check` fails with the message below (and so does CI), and the code must be read again
against the new version before the pin in SUPPORTED and requirements.txt moves.
"""

from importlib.metadata import version

from django.core import checks

SUPPORTED = {
    # distribution: (version prefix it was written for, what depends on its internals)
    "Django": (
        "5.2.",
        "reports/statements.py (compiled SQL of a report), common/tables.py (keyset pages) and "
        "common/form_renderer.py (the select and input widget templates, written in Python)",
    ),
    "django-tables2": (
        "3.0.1",
        "common/tables.py speed_up_django_tables2 (signature and template caches) and common/table_cells.py "
        "(BoundRow.get_cell, DateColumn and LinkTransform, done once per column)",
    ),
}


def unsupported() -> list[str]:
    """One message per library installed at a version its seam was not written for."""
    messages = []
    for distribution, (prefix, where) in SUPPORTED.items():
        installed = version(distribution)
        if not (installed == prefix or installed.startswith(prefix) and prefix.endswith(".")):
            messages.append(
                f"{distribution} {installed} is installed, but {where} use(s) its private API as of {prefix}: "
                f"read that code against {distribution} {installed}, then update common/seams.py."
            )
    return messages


def check_seams(app_configs=None, **kwargs):
    return [checks.Error(message, id="common.E001") for message in unsupported()]
