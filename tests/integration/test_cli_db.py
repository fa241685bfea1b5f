"""bedside-cli opens every database through `bedside_adapters.cli_db.open_database`: a command that
only reads never creates a database nor migrates one, and only the commands that may start a
database (`db upgrade`, `import`) create one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from bedside_adapters.cli_db import open_database
from bedside_adapters.db.engine import NoDatabase, SchemaNotCurrent
from bedside_adapters.db.migrate import current_revision, head_revision

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_database_is_refused_for_reading_and_writing_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    for write in (False, True):
        with pytest.raises(NoDatabase):
            open_database(str(missing), write=write)
    assert not missing.exists()


def test_only_create_starts_a_database_at_this_versions_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    engine = open_database(str(path), write=True, create=True)
    try:
        assert path.exists() and current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_a_reader_never_migrates_an_empty_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()  # a file with no schema
    with pytest.raises((SchemaNotCurrent, NoDatabase)):
        open_database(str(path), write=False).dispose()
    engine = open_database(str(path), write=False, migrate=False)
    try:
        assert current_revision(engine) is None  # read as it is, not migrated
    finally:
        engine.dispose()


def test_no_command_module_opens_a_database_any_other_way() -> None:
    """`open_existing` and `open_or_create` are called only by `cli_db` among bedside-cli's modules
    (and `report`'s, in the screens' package)."""
    modules = [*sorted((ROOT / "adapters").glob("cli*.py")), ROOT / "ui" / "cli.py"]
    assert len(modules) > 20
    others = []
    for path in modules:
        if path.name == "cli_db.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = {ast.Name: "id", ast.Attribute: "attr", ast.alias: "name"}.get(type(node))
            if named and getattr(node, named) in ("open_existing", "open_or_create", "_engine"):
                others.append(f"{path.name}: {getattr(node, named)}")
    assert others == []
