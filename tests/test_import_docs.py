"""The example files of docs/import import cleanly, in order, and a second time change nothing."""

from pathlib import Path

from imports.kinds import IMPORT_ORDER
from imports.services import import_file
from trajectories.models import Trajectory

DOCS = Path(__file__).resolve().parent.parent / "docs" / "import"


def test_every_kind_has_an_example_file_that_imports_without_errors(db):
    for kind in IMPORT_ORDER:
        result = import_file(kind=kind, content=(DOCS / f"{kind}.csv").read_bytes(), file_name=f"{kind}.csv")
        assert result.ok and result.created > 0, (kind, result.errors)
    # The second trajectory takes its instrument from the person's spell.
    assert Trajectory.objects.filter(instrument__code="collectief-maatwerk").count() == 2


def test_importing_the_example_files_twice_changes_nothing(db):
    for kind in IMPORT_ORDER:
        import_file(kind=kind, content=(DOCS / f"{kind}.csv").read_bytes(), file_name=f"{kind}.csv")
    for kind in IMPORT_ORDER:
        result = import_file(kind=kind, content=(DOCS / f"{kind}.csv").read_bytes(), file_name=f"{kind}.csv")
        assert result.ok and result.unchanged == result.total, (kind, result)
