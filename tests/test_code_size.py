"""Smaller pieces (issue 13): no function over 80 lines, no module over 800, outside tests and migrations.

A long function or module is read, reviewed and changed as one piece; past these sizes it is split into
named steps (see demo/builder/ or bench/run.py for examples). Every .py file of the project is checked
except the virtualenv and other hidden folders, tests/ and any migrations/ folder.
"""

import ast
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 800


def project_modules() -> list[Path]:
    """Every .py file of the project outside hidden folders (.venv, .git), tests/ and migrations/ folders."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        here = Path(folder)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and name != "migrations" and not (here == ROOT and name == "tests")
        )
        found += [here / name for name in sorted(files) if name.endswith(".py")]
    return found


def function_lengths(path: Path) -> list[tuple[int, str, int]]:
    """(line, name, lines from `def` to its last line) of every function and method, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_the_walk_sees_the_project_and_skips_tests_and_migrations():
    paths = {p.relative_to(ROOT).as_posix() for p in project_modules()}
    assert "demo/data.py" in paths and "manage.py" in paths
    assert not any(p.startswith(("tests/", ".venv/")) or "/migrations/" in p for p in paths)


def test_no_function_is_over_80_lines():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {name}(): {length} lines"
        for path in project_modules()
        for line, name, length in function_lengths(path)
        if length > MAX_FUNCTION_LINES
    ]
    assert not offenders, (
        f"{len(offenders)} function(s) over {MAX_FUNCTION_LINES} lines (issue 13, 'Smaller pieces'); split each "
        "into named steps:\n  " + "\n  ".join(offenders)
    )


def test_no_module_is_over_800_lines():
    offenders = [
        f"{path.relative_to(ROOT)}: {length} lines"
        for path in project_modules()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not offenders, (
        f"{len(offenders)} module(s) over {MAX_MODULE_LINES} lines (issue 13, 'Smaller pieces'); split each into "
        "cohesive modules:\n  " + "\n  ".join(offenders)
    )


# The apps' own packages; an import of one inside a function hides a dependency from the reader and from
# import-linter (docs/architecture.md). bench/ scripts set Django up before importing the apps, and an
# AppConfig.ready() imports what it connects: both are outside the apps' layers.
PROJECT_PACKAGES = {
    "accounts",
    "audit",
    "casework",
    "common",
    "config",
    "demo",
    "employees",
    "evaluations",
    "imports",
    "partners",
    "people",
    "reports",
    "trajectories",
}


def function_level_project_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            found += [(node.lineno, name) for name in names if name.split(".")[0] in PROJECT_PACKAGES]
    return found


def test_no_app_imports_another_module_of_the_project_inside_a_function():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in project_modules()
        if path.relative_to(ROOT).parts[0] != "bench" and path.name not in {"apps.py", "manage.py"}
        for line, name in function_level_project_imports(path)
    ]
    assert offenders == [], "import at the top of the module instead:\n" + "\n".join(offenders)
