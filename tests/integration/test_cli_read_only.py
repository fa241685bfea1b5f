"""Commands that only read open the database read-only and never migrate it: the safety-log verifier
above all must leave the evidence it checks exactly as it found it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from bedside_adapters.db.engine import (
    SchemaNotCurrent,
    is_standalone,
    make_engine,
    open_existing,
    open_or_create,
)
from bedside_adapters.db.migrate import current_revision, head_revision, upgrade
from bedside_adapters.db.safety_store import record
from bedside_ui.cli import main as cli_main
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bedside.log_entries import DoseConfirmed
from bedside.model import PatientRef

READERS = [
    (["verify-log"], 0),
    (["log", "--json"], 0),
    (["alerts", "--json"], 0),
    (["episodes", "--json"], 0),
    (["stats", "--json"], 0),
    (["observations", "--patient", "P1"], 1),  # no such patient: read, and said so
    (["devices", "--json"], 0),
    (["cohort"], 0),
    (["review", "--patient", "P1^H", "--compact"], 0),
    (["rules", "replay", "--patient", "P1^H"], 0),  # a dry run: evaluates, writes nothing
    (["db", "current"], 0),
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def logged(tmp_path: Path) -> Path:
    """A current database holding a two-entry safety log, closed by its writer."""
    path = tmp_path / "evidence.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.begin() as conn:
        for at in (1000.0, 1060.0):
            entry = DoseConfirmed(
                actor="RN Ada", patient_ref=PatientRef("P1", "H"), dose=1, start=at, source="manual"
            )
            record(conn, entry, at)
    engine.dispose()
    return path


def test_verify_log_leaves_the_database_byte_for_byte(logged: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = _digest(logged)
    assert cli_main(["--db", str(logged), "verify-log"]) == 0
    assert "safety log intact: 2 entries" in capsys.readouterr().out
    assert _digest(logged) == before


@pytest.mark.parametrize(("command", "code"), READERS, ids=[" ".join(c) for c, _ in READERS])
def test_a_reader_never_writes_the_database(command: list[str], code: int, logged: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = _digest(logged)
    assert cli_main(["--db", str(logged), *command]) == code, capsys.readouterr().err
    assert _digest(logged) == before


def test_verify_log_refuses_an_old_schema_and_does_not_migrate_it(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    older = "0017"
    assert older != head_revision()
    upgrade(engine, older)
    engine.dispose()
    before = _digest(path)
    assert cli_main(["--db", str(path), "verify-log"]) == 1
    err = capsys.readouterr().err
    assert "older Bedside" in err and "db upgrade" in err and len(err.strip().splitlines()) == 1, err
    # It says which schema it reads, that verifying never writes, and how to verify a copy instead.
    assert f"revision {older}" in err and f"reads revision {head_revision()}" in err, err
    assert "never writes" in err and "db backup" in err, err
    assert _digest(path) == before
    engine = make_engine(f"sqlite:///{path}")
    assert current_revision(engine) == older
    engine.dispose()


def test_a_writer_brings_an_old_schema_to_this_version(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0017")
    engine.dispose()
    engine = open_existing(f"sqlite:///{path}", write=True)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_an_empty_file_is_refused_by_a_reader_and_left_empty(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.sqlite3"
    path.touch()
    with pytest.raises(SchemaNotCurrent, match="empty"):
        open_existing(f"sqlite:///{path}", write=False)
    assert cli_main(["--db", str(path), "alerts"]) == 1
    assert "db upgrade" in capsys.readouterr().err
    assert path.stat().st_size == 0


def test_the_read_only_engine_cannot_write(logged: Path) -> None:
    engine = open_existing(f"sqlite:///{logged}", write=False)
    try:
        with pytest.raises(OperationalError, match="readonly"), engine.begin() as conn:
            conn.execute(text("DELETE FROM safety_log"))
    finally:
        engine.dispose()


def test_what_may_create_a_database_opens_it_one_way(tmp_path: Path) -> None:
    """`import`, `db upgrade` and the window open through `open_or_create`: a new file gets this
    version's schema (or none, for the window, whose ingest brings it), private to this account."""
    path = tmp_path / "new.sqlite3"
    url = f"sqlite:///{path}"
    assert is_standalone(url) and not is_standalone("postgresql://db.example/bedside")
    engine = open_or_create(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert path.stat().st_mode & 0o077 == 0
    bare = tmp_path / "bare.sqlite3"
    engine = open_or_create(f"sqlite:///{bare}", migrate=False)
    assert current_revision(engine) is None
    engine.dispose()
