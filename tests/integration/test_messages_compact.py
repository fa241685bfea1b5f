"""Message rows made smaller (migration 0026): every ACK reads back as sent, copies are still copies,
and a database written by the revision before reads back identically after the upgrade.

On SQLite and PostgreSQL alike, through the real ingest pipeline.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from datetime import UTC

import pytest
import zstandard
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.message_listing import recent_messages
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.raw_frames import PRUNED, read_frame
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.pcd01 import SimulatedMonitor
from sqlalchemy import Engine, func, select, text

from bedside.clock import to_ms
from bedside.parameters import ParameterCatalog

T0 = 1_790_000_000.0
MONITOR = SimulatedMonitor(eui64="00000000000A0009")


def _other_delimiters(frame: str) -> str:
    """The same message written with the delimiters # ! @ % $ (MSH-1 and MSH-2 say so)."""
    return frame.translate(str.maketrans({"|": "#", "^": "!", "~": "@", "\\": "%", "&": "$"}))


def shapes() -> dict[str, bytes]:
    sim = MONITOR.message("SHAPE-1", T0, {"hr": 80})
    return {
        "as the simulator sends (CA)": sim.encode(),
        "original mode (AA)": sim.replace("|AL|NE||UNICODE UTF-8|", "|||UNICODE UTF-8|")
        .replace("SHAPE-1", "SHAPE-2")
        .encode(),
        "NE|AL (AA)": sim.replace("|AL|NE|", "|NE|AL|").replace("SHAPE-1", "SHAPE-3").encode(),
        "other delimiters": _other_delimiters(sim.replace("SHAPE-1", "SHAPE-4")).encode(),
        "a control id our delimiters escape": _other_delimiters(sim.replace("SHAPE-1", "CTL-5"))
        .replace("CTL-5", "C|5^6&7~8")
        .encode(),
        "MSH-18 8859/1": sim.replace("UNICODE UTF-8", "8859/1")
        .replace("ICU_GW", "STATION_Ä")
        .replace("SHAPE-1", "SHAPE-6")
        .encode("latin-1"),
        "not ASCII in UTF-8": sim.replace("ICU_GW", "INTENSIV_Ü").replace("SHAPE-1", "SHAPE-Ü7").encode(),
        "unsupported type (AR, ERR)": b"MSH|^~\\&|ODD|ICU|BEDSIDE|ICU|20260921141320+0000||ZZZ^Z99|Q8|P|2.6\rZZZ|1\r",
        "unreadable": b"this is not HL7 at all\r",
    }


class Feed:
    def __init__(self, engine: Engine) -> None:
        self.now = T0 + 1
        self.pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: self.now, UTC)


def test_every_ack_reads_back_as_sent_and_answers_its_copy(engine: Engine) -> None:
    feed = Feed(engine)
    codes = set()
    for name, frame in shapes().items():
        first = feed.pipeline.handle(frame, "10.0.0.5:40001")
        assert first.message_id is not None, name
        codes.add(first.ack_code)
        read = read_frame(engine, first.message_id)
        assert read is not None and read.raw == frame and read.intact, name
        assert read.ack.encode("utf-8") == first.ack, name
        feed.now += 7.25  # the copy comes later, and is answered with the first ACK
        again = feed.pipeline.handle(frame, "10.0.0.5:40002")
        assert (again.duplicate, again.message_id, again.ack) == (True, first.message_id, first.ack), name
        # A fresh store (a restarted ingest process, no cached templates) answers it the same.
        restarted = Feed(engine).pipeline.handle(frame, "10.0.0.5:40003")
        assert (restarted.duplicate, restarted.ack) == (True, first.ack), name
    assert {"AA", "CA", "AR"} <= codes
    with engine.connect() as conn:
        m = t.inbound_message.c
        rows = conn.execute(select(m.ack, m.ack_template, m.duplicates)).all()
        assert all(r.duplicates == 2 for r in rows)
        # Only the ACKs with an ERR segment are kept whole.
        assert sum(1 for r in rows if r.ack_template is None) == 2
        assert conn.execute(select(func.count()).select_from(t.message_sender)).scalar_one() == len(
            {r["sender"] for r in recent_messages(engine)}
        )


def test_the_same_bytes_from_another_sender_name_are_not_a_copy(engine: Engine) -> None:
    feed = Feed(engine)
    frame = MONITOR.message("SAME-1", T0, {"hr": 70}).encode()
    first = feed.pipeline.handle(frame, "p")
    other = feed.pipeline.handle(frame.replace(b"|ICU_GW|", b"|OR_GW|"), "p")
    later = feed.pipeline.handle(frame.replace(b"|SAME-1|", b"|SAME-2|"), "p")
    assert not other.duplicate and not later.duplicate
    assert len({first.message_id, other.message_id, later.message_id}) == 3


def test_a_row_given_another_messages_digest_never_swallows_that_message(engine: Engine) -> None:
    """Someone with write access to the database copies a new message's digest onto an old row:
    the new message must not be answered as a copy of it (its data dropped, its ACK naming the
    old row's control id). It is left unstored, answered AE, and the sender resends."""
    feed = Feed(engine)
    old = feed.pipeline.handle(MONITOR.message("OLD-1", T0, {"hr": 70}).encode(), "p")
    new_frame = MONITOR.message("NEW-1", T0 + 5, {"hr": 150}).encode()
    scratch = make_engine("sqlite://")
    upgrade(scratch)
    probe = IngestPipeline(IngestStore(scratch), ParameterCatalog.load(), lambda: feed.now, UTC)
    probe_id = probe.handle(new_frame, "p").message_id
    with scratch.connect() as conn:
        stolen = conn.execute(
            select(t.inbound_message.c.digest).where(t.inbound_message.c.id == probe_id)
        ).scalar_one()
    with engine.begin() as conn:
        conn.execute(
            t.inbound_message.update().where(t.inbound_message.c.id == old.message_id).values(digest=stolen)
        )
    answer = feed.pipeline.handle(new_frame, "p")
    assert not answer.duplicate and answer.ack_code in ("AE", "CE")
    assert b"OLD-1" not in answer.ack and b"NEW-1" in answer.ack
    assert b"DigestMismatch" in answer.ack


def _skipped(m) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(m.skipped, sort_keys=True) if m.skipped else ""


def _legacy_insert(conn, m, packed: bytes, fmt: str, prunable: bool) -> int:  # type: ignore[no-untyped-def]
    """A row as revision 0025's ingest wrote it: the hex SHA-256 and the ACK whole."""
    return conn.execute(
        text(
            "INSERT INTO inbound_message (received_ms, peer, sender, control_id, message_time, message_type, "
            "version, sha256, raw, raw_size, raw_format, raw_prunable, codec, ack_code, ack, quarantine_reason, "
            "quarantine_code, duplicates, skipped) VALUES (:r, :peer, :sender, :ctl, :mt, :type, :ver, :sha, :raw, :size, "
            ":fmt, :prunable, :codec, :code, :ack, :qr, :qc, :dups, :skipped) RETURNING id"
        ),
        {
            "r": to_ms(m.received_at),
            "peer": m.peer,
            "sender": m.sender,
            "ctl": m.control_id,
            "mt": m.message_time,
            "type": m.message_type,
            "ver": m.version,
            "sha": hashlib.sha256(m.raw).hexdigest(),
            "raw": packed,
            "size": len(m.raw),
            "fmt": fmt,
            "prunable": prunable,
            "codec": m.codec,
            "code": m.ack_code,
            "ack": m.ack,
            "qr": m.quarantine_reason,
            "qc": m.quarantine_code,
            "dups": 1,
            "skipped": _skipped(m),
        },
    ).scalar_one()


def test_a_database_written_at_0025_reads_back_identically_after_the_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert upgrade(engine, "0025") == "0025"
        feed = Feed(engine)
        legacy: dict[str, dict] = {}
        with engine.begin() as conn:
            for k, (name, frame) in enumerate(shapes().items()):
                feed.now = T0 + k
                m = feed.pipeline.prepare(frame, f"10.0.0.{k}:5000").message
                if k % 3 == 1:
                    packed, fmt = zstandard.ZstdCompressor().compress(frame), "zstd"
                else:
                    packed, fmt = frame, ""
                legacy[name] = {"id": _legacy_insert(conn, m, packed, fmt, False), "frame": frame, "m": m}
            # A frame raw retention pruned: its identity must survive without its bytes.
            m = feed.pipeline.prepare(MONITOR.message("PRUNED-1", T0, {"hr": 90}).encode(), "p").message
            pruned_id = _legacy_insert(conn, m, b"", PRUNED, True)
            pruned_frame = m.raw
        with engine.connect() as conn:  # what `bedside-cli messages` lists, as revision 0025 holds it
            before_listing = [
                tuple(r)
                for r in conn.execute(
                    text(
                        "SELECT id, peer, sender, control_id, message_type, ack_code, quarantine_code, "
                        "duplicates FROM inbound_message ORDER BY id DESC"
                    )
                )
            ]

        assert upgrade(engine) != "0025"

        keys = (
            "id",
            "peer",
            "sender",
            "control_id",
            "message_type",
            "ack_code",
            "quarantine_code",
            "duplicates",
        )
        assert [tuple(r[k] for k in keys) for r in recent_messages(engine)] == before_listing
        for name, row in legacy.items():
            read = read_frame(engine, row["id"])
            assert read is not None, name
            assert (read.raw, read.intact, read.sender, read.ack) == (
                row["frame"],
                True,
                row["m"].sender,
                row["m"].ack,
            )
        read = read_frame(engine, pruned_id)
        assert read is not None and read.format == PRUNED and read.ack == m.ack
        with engine.connect() as conn:
            m_ = t.inbound_message.c
            assert conn.execute(select(func.count()).where(m_.ack_template.is_not(None))).scalar_one() >= 6
        # Resent after the upgrade: recognised as copies, answered with the ACK sent before it.
        fresh = Feed(engine)
        for name, row in legacy.items():
            again = fresh.pipeline.handle(
                row["frame"], row["m"].peer
            )  # an unreadable frame's sender is its peer
            assert (again.duplicate, again.message_id, again.ack) == (
                True,
                row["id"],
                row["m"].ack.encode(),
            ), name
        again = fresh.pipeline.handle(pruned_frame, "p")
        assert (again.duplicate, again.message_id) == (True, pruned_id)

        # And back: revision 0025's columns hold what that revision wrote (the pruned row aside,
        # whose SHA-256 cannot be computed again: refused).
        with pytest.raises(RuntimeError, match="pruned"):
            _downgrade(engine, "0025")
        with engine.begin() as conn:
            conn.execute(t.inbound_message.delete().where(t.inbound_message.c.id == pruned_id))
        _downgrade(engine, "0025")
        with engine.connect() as conn:
            rows = {
                r.id: r
                for r in conn.execute(
                    text("SELECT id, sender, sha256, ack, duplicates, skipped FROM inbound_message")
                ).all()
            }
        for name, row in legacy.items():
            r = rows[row["id"]]
            assert (r.sender, r.sha256, r.ack, r.duplicates, r.skipped) == (
                row["m"].sender,
                hashlib.sha256(row["frame"]).hexdigest(),
                row["m"].ack,
                2,
                _skipped(row["m"]),
            ), name
        assert any(_skipped(row["m"]) for row in legacy.values())
    finally:
        engine.dispose()


def _downgrade(engine: Engine, revision: str) -> None:
    """Revision 0026's own downgrade (the later revisions' tables stay: they name no message column)."""
    assert revision == "0025"
    module = importlib.import_module("bedside_adapters.db.migrations.versions.0026_messages_compact")
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.downgrade()
