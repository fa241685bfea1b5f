"""Received frames at rest: compressed with the sender's dictionary, read back byte for byte.

On SQLite and PostgreSQL alike (the `engine` fixture), through the real ingest pipeline.
"""

from __future__ import annotations

import hashlib
import importlib
import time
from datetime import UTC, datetime

from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.message_digest import frame_digest
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.raw_frames import AS_RECEIVED, ZSTD, RawCodec, RawFrameError, read_frame
from bedside_adapters.db.raw_training import senders_due, train_due
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.mllp.client import MllpClient
from bedside_adapters.sim.pcd01 import SimulatedMonitor
from sqlalchemy import create_engine, func, insert, select, text

from bedside.clock import to_ms
from bedside.parameters import ParameterCatalog

T0 = datetime(2025, 11, 24, 10, 0, tzinfo=UTC).timestamp()
MONITOR = SimulatedMonitor(eui64="00000000000A0001")
SENDER_PREFIX = "SIM_MON^00000000000A0001^EUI-64"


class Feed:
    """The ingest pipeline on the test's database, with a clock the test moves."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.now = T0
        self.store = IngestStore(engine)
        self.pipeline = IngestPipeline(self.store, ParameterCatalog.load(), lambda: self.now, UTC)
        self.n = 0

    def vitals(self, at: float | None = None) -> tuple[int, bytes, bytes]:
        """A monitor frame at the clock's time: (id, the frame, the ACK sent)."""
        self.n += 1
        at = self.now if at is None else at
        frame = MONITOR.message(f"MON{self.n:06d}", at, {"hr": 70 + self.n % 30, "spo2": 97}).encode()
        return self.send(frame)

    def send(self, frame: bytes) -> tuple[int, bytes, bytes]:
        result = self.pipeline.handle(frame, "127.0.0.1:5000")
        assert result.message_id is not None
        return result.message_id, frame, result.ack


def stored_columns(engine, message_id: int):  # type: ignore[no-untyped-def]
    m = t.inbound_message.c
    with engine.connect() as conn:
        return conn.execute(
            select(m.raw, m.raw_size, m.raw_format, m.raw_dictionary_id, m.raw_prunable).where(
                m.id == message_id
            )
        ).one()


def test_frames_are_compressed_with_the_senders_dictionary_and_read_back_exactly(engine) -> None:
    feed = Feed(engine)
    before = [feed.vitals() for _ in range(60)]
    assert train_due(engine, feed.store.raw, to_ms(T0), min_frames=50) == [1]
    after = [feed.vitals() for _ in range(20)]

    with engine.connect() as conn:
        (sender,) = conn.execute(select(t.raw_dictionary.c.sender)).one()
    assert sender.startswith(SENDER_PREFIX)
    for message_id, frame, _ in before + after:
        read = read_frame(engine, message_id)
        assert read is not None and read.raw == frame and read.intact
    for message_id, frame, _ in after:
        stored, size, fmt, dictionary_id, _ = stored_columns(engine, message_id)
        assert (fmt, dictionary_id, size) == (ZSTD, 1, len(frame))
        assert len(stored) * 8 <= len(frame), "a frame with its sender's dictionary is at least 8x smaller"
    # Before its dictionary, a sender's frames are zstd without one: smaller, and still exact.
    stored, size, fmt, dictionary_id, _ = stored_columns(engine, before[0][0])
    assert (fmt, dictionary_id) == (ZSTD, None) and len(stored) < size


def test_damaged_stored_bytes_or_dictionary_are_said_in_one_line(engine) -> None:
    """Zeroed compressed bytes, or a zeroed dictionary: RawFrameError naming what cannot be read
    (bedside-cli raw show prints it on one line), never zstandard's own exception."""
    feed = Feed(engine)
    for _ in range(60):
        feed.vitals()
    train_due(engine, feed.store.raw, to_ms(T0), min_frames=50)
    plain_id, _, _ = feed.vitals()
    zeroed = bytes(len(stored_columns(engine, plain_id)[0]))
    with engine.begin() as conn:
        conn.execute(t.inbound_message.update().where(t.inbound_message.c.id == 1).values(raw=zeroed))
        conn.execute(t.raw_dictionary.update().values(bytes=bytes(4096)))
    for message_id in (1, plain_id):
        try:
            read_frame(engine, message_id, RawCodec())
        except RawFrameError as exc:
            assert "cannot be decompressed" in str(exc)
        else:
            raise AssertionError(f"message {message_id}: damaged bytes read without a word")


def test_every_dictionary_stays_readable_after_a_newer_one(engine) -> None:
    feed = Feed(engine)
    for _ in range(60):
        feed.vitals()
    train_due(engine, feed.store.raw, to_ms(T0), min_frames=50)
    first = feed.vitals()
    # Thirty days on, with frames sent since: a new version, and new frames name it.
    feed.now = T0 + 31 * 86400
    for _ in range(10):
        feed.vitals()
    assert train_due(engine, feed.store.raw, to_ms(feed.now), min_frames=50) == [2]
    second = feed.vitals()
    assert stored_columns(engine, first[0])[3] == 1
    assert stored_columns(engine, second[0])[3] == 2
    # A fresh process (a new codec, nothing cached) reads both.
    for message_id, frame, _ in (first, second):
        read = read_frame(engine, message_id, RawCodec())
        assert read is not None and read.raw == frame


def test_training_waits_for_enough_frames_and_retrains_only_a_sender_that_sent_since(engine) -> None:
    feed = Feed(engine)
    for _ in range(49):
        feed.vitals()
    assert senders_due(engine, to_ms(T0), 50, 30 * 86_400_000) == []
    assert train_due(engine, feed.store.raw, to_ms(T0), min_frames=50) == []
    feed.vitals()
    assert train_due(engine, feed.store.raw, to_ms(T0), min_frames=50) == [1]
    # Storing frames never trains: that is the trainer's, away from the ACK.
    for _ in range(60):
        feed.vitals()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.raw_dictionary)).scalar_one() == 1
    later = to_ms(T0 + 31 * 86400)
    assert senders_due(engine, later, 50, 30 * 86_400_000) == []  # silent since its dictionary
    feed.now = T0 + 31 * 86400
    feed.vitals()
    assert len(senders_due(engine, later, 50, 30 * 86_400_000)) == 1


def test_a_second_ingest_node_adopts_the_dictionary_another_trained(engine) -> None:
    a, b = Feed(engine), Feed(engine)
    for _ in range(60):
        a.vitals()
    train_due(engine, a.store.raw, to_ms(T0), min_frames=50)
    b.n = 1000
    b.vitals()  # its first batch loads the dictionaries stored so far
    message_id, frame, _ = b.vitals()
    assert stored_columns(engine, message_id)[3] == 1
    assert read_frame(engine, message_id).raw == frame  # type: ignore[union-attr]


def test_frames_stored_before_compression_stay_readable(engine) -> None:
    frame = b"MSH|^~\\&|OLD|ICU|BEDSIDE|ICU|20250101120000||ORU^R01|OLD1|P|2.6\rPID|||1\r"
    with engine.begin() as conn:
        sender_id = conn.execute(insert(t.message_sender).values(name="OLD")).inserted_primary_key[0]
        message_id = conn.execute(
            insert(t.inbound_message)
            .values(
                received_ms=to_ms(T0),
                peer="p",
                sender_id=sender_id,
                digest=frame_digest("OLD", "", "", frame),
                raw=frame,
                raw_size=len(frame),
                ack_code="AA",
                ack="ACK",
            )
            .returning(t.inbound_message.c.id)
        ).scalar_one()
    read = read_frame(engine, message_id)
    assert read is not None and (read.format, read.raw, read.intact) == (AS_RECEIVED, frame, True)


def test_a_quarantined_frame_is_kept_as_received(engine) -> None:
    feed = Feed(engine)
    frame = b"MSH|^~\\&|ODD|ICU|BEDSIDE|ICU|20251124100000||ZZZ^Z99|Q1|P|2.6\rZZZ|1\r"
    message_id, _, _ = feed.send(frame)
    stored, _, fmt, dictionary_id, prunable = stored_columns(engine, message_id)
    assert (bytes(stored), fmt, dictionary_id, prunable) == (frame, AS_RECEIVED, None, False)


def test_the_stored_ack_is_the_ack_sent_byte_for_byte(ingest) -> None:
    """Over a real socket, for a sender whose names are not ASCII (the ACK echoes them), and for a
    resent copy, answered with the stored ACK."""
    monitor = SimulatedMonitor(eui64="00000000000A0002", application="MONITÖR", facility="INTENSIVSTATION_Ä")
    engine = create_engine(ingest.url)
    try:
        with MllpClient(ingest.host, ingest.port) as client:
            for k in range(3):
                frame = monitor.message(f"Ü{k}", time.time(), {"hr": 80 + k}).encode("utf-8")
                ack = client.send(frame)
                assert "MONITÖR".encode() in ack
                with engine.connect() as conn:
                    message_id = conn.execute(
                        select(t.inbound_message.c.id).where(t.inbound_message.c.control_id == f"Ü{k}")
                    ).scalar_one()
                read = read_frame(engine, message_id)
                assert read is not None and read.raw == frame
                assert read.ack.encode("utf-8") == ack
                assert client.send(frame) == ack  # the resent copy: the stored ACK, byte for byte
    finally:
        engine.dispose()


def test_frames_stored_by_the_revision_before_stay_readable_after_the_upgrade(db_url: str) -> None:
    """A database written before compression, upgraded: its frames read as they were stored."""
    revision = importlib.import_module("bedside_adapters.db.migrations.versions.0023_raw_frames_compressed")
    engine = make_engine(db_url)
    try:
        upgrade(engine, revision.down_revision)
        frame = b"MSH|^~\\&|OLD|ICU|BEDSIDE|ICU|20250101120000||ORU^R01|OLD2|P|2.6\rPID|||1\r"
        with (
            engine.begin() as conn
        ):  # as that revision stored it: raw SQL, today's code writes today's schema
            conn.execute(
                text(
                    "INSERT INTO inbound_message (received_ms, peer, sender, sha256, raw, raw_size, ack_code, ack) "
                    "VALUES (:r, 'p', 'OLD', :sha, :raw, :size, 'AA', 'ACK')"
                ),
                {"r": to_ms(T0), "sha": hashlib.sha256(frame).hexdigest(), "raw": frame, "size": len(frame)},
            )
        upgrade(engine)
        with engine.connect() as conn:
            message_id = conn.execute(select(t.inbound_message.c.id)).scalar_one()
        read = read_frame(engine, message_id)
        assert read is not None and (read.format, read.raw, read.intact) == (AS_RECEIVED, frame, True)
    finally:
        engine.dispose()
