"""Read-ahead: frames read and mapped by a second, real process while the listener stores.

What must hold: the worker's reading is exactly the listener's (every corpus message through the
codec; the stored rows of busy senders identical with and without it), busy senders get every ACK
in order, and a worker that dies or fails on a frame costs nothing but speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from datetime import UTC

import pytest
from bedside_adapters.db import message_senders
from bedside_adapters.db import schema as t
from bedside_adapters.ingest import prepared_codec
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.ingest.read_ahead import ReadAhead, reader_settings
from bedside_adapters.ingest.read_worker import FAILED
from bedside_adapters.mllp.client import MllpClient, ack_fields
from bedside_adapters.mllp.framing import Frame, frame
from sqlalchemy import create_engine, select

from bedside.parameters import ParameterCatalog
from tests.conftest import _upgraded, running_ingest
from tests.helpers import CORPUS, SYNTHETIC, adt_a01, pcd01

FRAMES = [p.read_bytes() for p in sorted(CORPUS.glob("*.hl7")) + sorted(SYNTHETIC.glob("*.hl7"))] + [
    pcd01("RA-1"),
    adt_a01("RA-2", "DOE^JANE").encode(),
    b"MSH|^~\\&|X|Y|||20240101||ZZZ^Z99|1|P|2.5\r",  # unsupported type: quarantined
    b"not hl7 at all",
    b"MSH\r",
    "MSH|^~\\&|LAB|H|||20240101||ORU^R01|L1|P|2.5|||||||8859/1\rPID|||1\rOBX|1|NM|x||caf\xe9".encode(
        "latin-1"
    ),
]


@pytest.mark.parametrize("raw", FRAMES, ids=range(len(FRAMES)))
def test_the_codec_gives_back_exactly_what_the_reader_made(raw: bytes) -> None:
    pipeline = IngestPipeline(None, ParameterCatalog.load(), lambda: 1.7e9, UTC)  # type: ignore[arg-type]
    prepared = pipeline.prepare(raw, "127.0.0.1:9", received_at=1.7e9 - 0.25)
    kind, payload = prepared_codec.encode(prepared)
    # The hand-over is marshal: what comes back must survive it.
    sent = prepared_codec.loads(prepared_codec.dumps([(0, kind, payload)]))
    assert prepared_codec.decode(sent[0][1], sent[0][2], raw) == prepared


def test_a_device_report_takes_the_fast_path() -> None:
    pipeline = IngestPipeline(None, ParameterCatalog.load(), lambda: 1.7e9, UTC)  # type: ignore[arg-type]
    kind, _ = prepared_codec.encode(pipeline.prepare(pcd01("RA-FAST"), "p"))
    assert kind == prepared_codec.FAST


def _stored(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            o, s, m = t.observation.c, t.series.c, t.inbound_message.c
            rows = conn.execute(
                select(
                    m.control_id, s.parameter, s.unit, s.device, s.instance, o.observed_ms, o.value, o.status
                )
                .join(t.series, t.series.c.id == o.series_id)
                .join(t.inbound_message, t.inbound_message.c.id == o.message_id)
            ).all()
            messages = conn.execute(
                select(m.control_id, m.ack_code, message_senders.name, m.obx_count, t.message_skipped.c.text)
                .select_from(message_senders.joined())
                .outerjoin(t.message_skipped, t.message_skipped.c.id == m.skipped_id)
            ).all()
    finally:
        engine.dispose()
    return sorted(map(tuple, rows)) + sorted(map(tuple, messages))


def _busy_senders(host: str, port: int, senders: int, per_sender: int, wave: int = -1) -> None:
    """Each sender pipelines all its frames at once, then reads every ACK: batches of many frames,
    which is when frames go to the read-ahead process."""
    failures: list[str] = []

    def sender(k: int) -> None:
        controls = [f"RA-{wave + 1}-{k}-{i:03d}" for i in range(per_sender)]
        with MllpClient(host, port, timeout=60) as client:
            client.send_raw(b"".join(frame(pcd01(c, hr=str(60 + i))) for i, c in enumerate(controls)))
            got = [ack_fields(client.receive()) for _ in controls]
        if got != [("AA", c) for c in controls]:
            failures.append(f"sender {k}: {got[:3]}")

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(senders)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not failures, failures


def test_busy_senders_are_read_ahead_answered_in_order_and_stored_as_without_it(tmp_path) -> None:
    stored = {}
    for mode in (True, False):
        url = f"sqlite:///{tmp_path}/ra-{mode}.sqlite3"
        engine = _upgraded(url)
        with running_ingest(engine, url, read_ahead=mode) as ingest:
            _busy_senders(ingest.host, ingest.port, senders=6, per_sender=40)
            read_ahead = ingest.service.read_ahead
            if mode:
                assert read_ahead is not None and read_ahead.stats.read_ahead > 0
                assert read_ahead.stats.read_ahead + read_ahead.stats.read_here == 240
            else:
                assert read_ahead is None
        engine.dispose()
        stored[mode] = _stored(url)
    assert len(stored[True]) == 240 * 15 + 240
    assert stored[True] == stored[False]


def test_a_killed_read_worker_loses_nothing_and_is_restarted(
    sqlite_engine, sqlite_url, monkeypatch, caplog
) -> None:
    import bedside_adapters.ingest.read_ahead as module

    monkeypatch.setattr(module, "RESTART_AFTER", 0.0)
    killed: list[int] = []
    received = ReadAhead.received

    def die_before_the_first_answer(self: ReadAhead, data: bytes) -> None:
        if not killed and self.worker_pid is not None:
            # The worker dies with its first batch read but unanswered: those frames are in flight
            # and must be read on the listener.
            killed.append(self.worker_pid)
            os.kill(self.worker_pid, signal.SIGKILL)
            return
        received(self, data)

    monkeypatch.setattr(ReadAhead, "received", die_before_the_first_answer)
    caplog.set_level(logging.INFO, logger="bedside_adapters.ingest.read_ahead")
    with running_ingest(sqlite_engine, sqlite_url, read_ahead=True) as ingest:
        read_ahead = ingest.service.read_ahead
        _busy_senders(ingest.host, ingest.port, senders=6, per_sender=40)
        assert killed
        assert "frames in flight when the read-ahead process stopped" in caplog.text
        # The next busy turn starts a new worker (RESTART_AFTER = 0 here), which then reads ahead.
        before = read_ahead.stats.read_ahead
        for wave in range(200):
            if read_ahead.worker_pid not in (None, killed[0]) and read_ahead.stats.read_ahead > before:
                break
            _busy_senders(ingest.host, ingest.port, senders=4, per_sender=5, wave=wave)
        assert read_ahead.stats.worker_restarts >= 1
        assert read_ahead.worker_pid not in (None, killed[0])
        assert read_ahead.stats.read_ahead > before
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        controls = conn.execute(select(t.inbound_message.c.control_id)).scalars().all()
    engine.dispose()
    assert len(controls) == len(set(controls))  # each stored once
    assert {f"RA-0-{k}-{i:03d}" for k in range(6) for i in range(40)} <= set(controls)


def test_a_hung_read_worker_is_killed_and_its_frames_read_here(
    sqlite_engine, sqlite_url, monkeypatch
) -> None:
    import bedside_adapters.ingest.read_ahead as module

    monkeypatch.setattr(module, "STALL_AFTER", 0.3)
    monkeypatch.setattr(module, "RESTART_AFTER", 3600.0)
    with running_ingest(sqlite_engine, sqlite_url, read_ahead=True) as ingest:
        read_ahead = ingest.service.read_ahead
        hung = read_ahead.worker_pid
        os.kill(hung, signal.SIGSTOP)  # alive but answering nothing
        try:
            _busy_senders(ingest.host, ingest.port, senders=4, per_sender=20)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(hung, signal.SIGCONT)
        assert read_ahead.worker_pid is None and read_ahead.stats.read_ahead == 0
        assert read_ahead.stats.read_here == 80
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert len(conn.execute(select(t.inbound_message.c.id)).all()) == 80
    engine.dispose()


def test_a_worker_that_cannot_start_leaves_the_listener_reading(
    sqlite_engine, sqlite_url, monkeypatch
) -> None:
    import bedside_adapters.ingest.read_ahead as module

    # Settings the worker cannot load: it exits before saying it is ready.
    monkeypatch.setattr(module.pickle, "dumps", lambda *_a, **_k: b"not a pickle")
    with running_ingest(sqlite_engine, sqlite_url, read_ahead=True) as ingest:
        read_ahead = ingest.service.read_ahead
        assert read_ahead.worker_pid is None and not read_ahead.alive
        _busy_senders(ingest.host, ingest.port, senders=3, per_sender=10)
        assert read_ahead.stats.read_here == 30 and read_ahead.stats.read_ahead == 0


class _Pipe:
    """Stands in for the worker's input pipe: the listener-side logic only (the real process is
    tested above)."""

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def close(self) -> None:
        pass


def test_a_frame_the_worker_could_not_read_is_read_on_the_listener() -> None:
    asyncio.run(_a_frame_the_worker_could_not_read())


async def _a_frame_the_worker_could_not_read() -> None:
    read_ahead = ReadAhead(reader_settings(UTC, "utf-8", {}, None))
    woken: list[bool] = []
    read_ahead.on_ready(lambda: woken.append(True))
    read_ahead._alive, read_ahead._writer = True, _Pipe()  # type: ignore[assignment]
    frames = [Frame(pcd01("RA-F1")), Frame(pcd01("RA-F2"))]
    for f in frames:
        read_ahead.arrived(f, "127.0.0.1:1")
    read_ahead.turn()  # two frames in one turn: both sent
    assert not read_ahead.ready(frames[0])
    answer = prepared_codec.dumps([(0, FAILED, "ValueError: boom")])
    read_ahead.received(len(answer).to_bytes(4, "big") + answer)
    assert woken  # the listener must flush now: nobody else would wake it for this frame
    assert read_ahead.ready(frames[0]) and not read_ahead.ready(frames[1])
    assert read_ahead.take(frames[0]) is None  # None: the batch handler reads it itself
    assert read_ahead.stats.worker_failures == 1
    read_ahead.lost("test")  # the worker dies: the frame still in flight is read here too
    assert read_ahead.ready(frames[1]) and read_ahead.take(frames[1]) is None
    assert woken


def test_a_lone_frame_is_read_on_the_listener_without_a_hop() -> None:
    asyncio.run(_a_lone_frame())


async def _a_lone_frame() -> None:
    read_ahead = ReadAhead(reader_settings(UTC, "utf-8", {}, None))
    pipe = _Pipe()
    read_ahead._alive, read_ahead._writer = True, pipe  # type: ignore[assignment]
    lone = Frame(pcd01("RA-LONE"))
    read_ahead.arrived(lone, "127.0.0.1:1")
    read_ahead.turn()
    assert pipe.written == [] and read_ahead.ready(lone)


def test_read_ahead_auto_leaves_the_rule_engine_its_core() -> None:
    from bedside_adapters.ingest.main import _read_ahead

    assert not _read_ahead("auto", "process", 2)  # 2 cores, rules here: alerts first
    assert _read_ahead("auto", "off", 2)
    assert _read_ahead("auto", "process", 4)
    assert not _read_ahead("auto", "off", 1)
    assert _read_ahead("on", "process", 1) and not _read_ahead("off", "off", 8)
