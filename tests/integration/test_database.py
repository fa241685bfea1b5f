"""Schema, migrations and the statistics, on a real SQLite file."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db.engine import make_engine, resolve_url
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.migrate import DatabaseTooNew, current_revision, head_revision, upgrade
from bedside_adapters.db.schema import metadata
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.ingest.stats import ingest_stats
from sqlalchemy import create_engine, text

from bedside.parameters import ParameterCatalog
from tests.helpers import pcd01


def test_migrations_build_exactly_the_tables_the_code_uses(engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_upgrade_is_idempotent(engine) -> None:
    assert upgrade(engine) == head_revision()


def test_sqlite_pragmas(sqlite_engine) -> None:
    engine = sqlite_engine
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    full = make_engine(str(engine.url), synchronous="FULL")
    with full.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    full.dispose()


def test_a_database_from_a_newer_bedside_is_refused(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(DatabaseTooNew, match="newer Bedside"):
        upgrade(engine)
    assert cli_main(["--db", str(engine.url), "db", "upgrade"]) == 2


def test_url_resolution(data_dir, monkeypatch) -> None:
    assert resolve_url() == f"sqlite:///{data_dir / 'bedside.sqlite3'}"
    monkeypatch.setenv("BEDSIDE_DB_URL", "postgresql://u@h/db")
    assert resolve_url() == "postgresql://u@h/db"
    assert resolve_url("/tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


def test_cli_db_upgrade_and_stats_json(db_url, capsys) -> None:
    sqlite_url = db_url
    assert cli_main(["--db", sqlite_url, "db", "upgrade"]) == 0
    capsys.readouterr()
    engine = make_engine(sqlite_url)
    pipeline = IngestPipeline(
        IngestStore(engine),
        ParameterCatalog.load(),
        lambda: 1735732800.0,
        __import__("datetime").timezone.utc,
    )
    assert pipeline.handle(pcd01("C-1"), "127.0.0.1:1").ack_code == "AA"
    assert pipeline.handle(pcd01("C-2"), "127.0.0.1:1").ack_code == "AA"
    assert pipeline.handle(b"garbage", "10.1.2.3:9").ack_code == "AR"
    engine.dispose()
    assert cli_main(["--db", sqlite_url, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["messages_received"] == 3
    assert stats["messages_acknowledged"] == 2
    assert stats["messages_quarantined"] == 1
    assert stats["observations"] == 30
    gw = stats["senders"]["GW^0012345678ABCDEF^EUI-64 @ ICU_GW"]
    assert gw == {
        "messages_received": 2,
        "messages_acknowledged": 2,
        "messages_quarantined": 0,
        "duplicates": 0,
        "observations": 30,
        "acks": {"AA": 2},
        "quarantined_by_reason": {},
        "last_message_at": 1735732800.0,
        "clock_skew_s": 0.0,  # received at 12:00:00 (the test clock), MSH-7 says 12:00:00+0000
        "catching_up_behind_s": None,  # not a backlog
    }
    unreadable = stats["senders"]["(unreadable, from 10.1.2.3)"]
    assert unreadable["messages_quarantined"] == 1
    assert unreadable["quarantined_by_reason"] == {"unreadable": 1}
    assert unreadable["acks"] == {"AR": 1}


def test_stats_on_an_empty_database_says_what_to_do(db_url, capsys) -> None:
    sqlite_url = db_url
    assert cli_main(["--db", sqlite_url, "stats", "--json"]) == 1
    assert "db upgrade" in capsys.readouterr().err


def test_series_identity_includes_the_unit(engine) -> None:
    """Same patient, parameter and device in two units are two series (rule 4)."""
    from bedside_adapters.inbound_message import InboundMessage

    from bedside.model import Observation, PatientRef, SeriesKey

    store = IngestStore(engine)
    ref = PatientRef("P1")
    obs = (
        Observation(SeriesKey(ref, "temp", "Cel", "dev"), 1.0, 2.0, 37.0),
        Observation(SeriesKey(ref, "temp", "[degF]", "dev"), 1.0, 2.0, 98.6),
    )
    store.store(
        InboundMessage(
            raw=b"x", received_at=2.0, peer="p", sender="s", ack_code="AA", ack="", observations=obs
        )
    )
    fresh = create_engine(str(engine.url))
    with fresh.connect() as conn:
        units = sorted(r[0] for r in conn.exec_driver_sql("SELECT unit FROM series"))
    fresh.dispose()
    assert units == ["Cel", "[degF]"]


def test_backup_while_writing_and_stats_size(db_url, tmp_path, capsys) -> None:
    import shutil

    engine = make_engine(db_url)
    upgrade(engine)
    pipeline = IngestPipeline(
        IngestStore(engine),
        ParameterCatalog.load(),
        lambda: 1735732800.0,
        __import__("datetime").timezone.utc,
    )
    for i in range(20):
        pipeline.handle(pcd01(f"BK-{i}"), "127.0.0.1:1")
    target = tmp_path / "backups" / "bedside.backup"
    code = cli_main(["--db", db_url, "backup", str(target)])
    out = capsys.readouterr()
    if engine.dialect.name == "postgresql" and shutil.which("pg_dump") is None:
        assert code == 1 and "pg_dump" in out.err
        return
    assert code == 0, out.err
    assert target.stat().st_size > 0
    assert cli_main(["--db", db_url, "backup", str(target)]) == 1  # never overwrites
    assert "exists" in capsys.readouterr().err
    if engine.dialect.name == "sqlite":
        copy = make_engine(resolve_url(str(target)))
        assert ingest_stats(copy)["messages_received"] == 20
        copy.dispose()
    else:
        import subprocess

        listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True)
        assert listing.returncode == 0 and "inbound_message" in listing.stdout
    stats = ingest_stats(engine)
    assert stats["database_bytes"] > 0
    assert stats["observations"] == 20 * 15
    assert cli_main(["--db", db_url, "compact"]) == 0
    assert "compacted 300 rows" in capsys.readouterr().out
    after = ingest_stats(engine)
    assert after["observation_rows_pending"] == 0 and after["series_chunks"] == 15
    # 20 messages carried the same OBX-14 time: after compaction each second holds one value
    assert after["observations"] == 15
    engine.dispose()


def test_the_wal_checkpointer_copies_the_log_while_a_writer_commits(sqlite_engine) -> None:
    """A real SQLite file and the real thread: commits with the automatic checkpoint out of reach
    leave frames in the WAL; the checkpointer copies them into the database file, where a reader of
    that file alone (a copy without its WAL) finds every row."""
    import sqlite3
    from pathlib import Path

    from bedside_adapters.db.checkpointer import WalCheckpointer

    path = Path(sqlite_engine.url.database)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # only the checkpointer copies, for this test
    checkpointer = WalCheckpointer(sqlite_engine, interval=0.001).start()
    try:
        for i in range(50):
            writer.execute(
                "INSERT INTO feed (sender, first_received_ms, last_received_ms, messages) VALUES (?, 1, 1, 1)",
                (f"S{i}",),
            )
        # The second checkpoint from now started after the last commit: it copies all of them.
        assert checkpointer.wait_for(checkpointer.checkpoints + 2, timeout=30)
        assert checkpointer.whole
        # Before any connection closes (the last one to close checkpoints by itself).
        copy = path.with_name("copy.sqlite3")
        copy.write_bytes(path.read_bytes())
    finally:
        checkpointer.stop()
        writer.close()
    assert checkpointer.frames_copied >= 50
    reader = sqlite3.connect(copy)
    try:
        assert reader.execute("SELECT count(*) FROM feed").fetchone()[0] == 50
    finally:
        reader.close()
