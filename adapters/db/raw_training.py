"""Training each sender's zstd dictionary, away from the path that answers senders.

A sender is due once it has sent `min_frames` frames and has no dictionary yet, or when its newest
dictionary is older than `retrain_after_ms` and it has sent since (a firmware update changes what its
frames share). The samples are its latest frames, read through the index on (sender, id). The new
dictionary is committed before the ingest store is told of it, so a frame never names a dictionary
that is not stored. Two ingest nodes may both train one for a sender: each frame names the one it was
compressed with, so that costs a few kilobytes and nothing else.
"""

from __future__ import annotations

import logging
import threading

import zstandard
from bedside_adapters.db import message_senders as senders
from bedside_adapters.db import schema as t
from bedside_adapters.db.raw_frames import PRUNED, RawCodec
from sqlalchemy import Engine, func, insert, select

from bedside.clock import Clock, to_ms

log = logging.getLogger(__name__)

MIN_FRAMES = 500
SAMPLES = 2000
DICTIONARY_BYTES = 8192
RETRAIN_AFTER_MS = 30 * 86_400_000
INTERVAL = 60.0


def senders_due(engine: Engine, now_ms: int, min_frames: int, retrain_after_ms: int) -> list[str]:
    f, d = t.feed.c, t.raw_dictionary.c
    newest = (
        select(d.sender, func.max(d.created_ms).label("created_ms")).group_by(d.sender).subquery("newest")
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(f.sender, newest.c.created_ms, f.last_received_ms)
            .select_from(t.feed.outerjoin(newest, newest.c.sender == f.sender))
            .where(f.messages >= min_frames)
            .order_by(f.sender)
        ).all()
    return [
        sender
        for sender, created_ms, last_ms in rows
        if created_ms is None or (now_ms - created_ms >= retrain_after_ms and last_ms > created_ms)
    ]


def sample_frames(engine: Engine, codec: RawCodec, sender: str, samples: int) -> list[bytes]:
    """The sender's latest accepted frames as received."""
    m = t.inbound_message.c
    out: list[bytes] = []
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.raw, m.raw_format, m.raw_dictionary_id, m.raw_size)
            .where(
                m.sender_id == senders.id_of(sender), m.quarantine_reason.is_(None), m.raw_format != PRUNED
            )
            .order_by(m.id.desc())
            .limit(samples)
        ).all()
        for stored, fmt, dictionary_id, size in rows:
            out.append(codec.unpack(conn, bytes(stored), fmt, dictionary_id, int(size)))
    return out


def train_sender(
    engine: Engine, codec: RawCodec, sender: str, now_ms: int, samples: int = SAMPLES
) -> int | None:
    """Train, store and adopt a dictionary for `sender`; None when its frames are too few or too alike
    for zstd to build one."""
    frames = sample_frames(engine, codec, sender, samples)
    try:
        data = zstandard.train_dictionary(DICTIONARY_BYTES, frames).as_bytes()
    except zstandard.ZstdError as exc:
        log.info("no dictionary for %s from %d frames: %s", sender, len(frames), exc)
        return None
    with engine.begin() as conn:
        dictionary_id = conn.execute(
            insert(t.raw_dictionary)
            .values(sender=sender, created_ms=now_ms, bytes=data)
            .returning(t.raw_dictionary.c.id)
        ).scalar_one()
    codec.adopt(int(dictionary_id), sender, data)
    log.info("raw frames: dictionary %d for %s from %d frames", dictionary_id, sender, len(frames))
    return int(dictionary_id)


def train_due(
    engine: Engine,
    codec: RawCodec,
    now_ms: int,
    min_frames: int = MIN_FRAMES,
    retrain_after_ms: int = RETRAIN_AFTER_MS,
    samples: int = SAMPLES,
) -> list[int]:
    """Adopt what other nodes trained, then train every sender due. Returns the new dictionaries."""
    with engine.connect() as conn:
        codec.refresh(conn)
    trained = []
    for sender in senders_due(engine, now_ms, min_frames, retrain_after_ms):
        dictionary_id = train_sender(engine, codec, sender, now_ms, samples)
        if dictionary_id is not None:
            trained.append(dictionary_id)
    return trained


class RawTrainer:
    """A thread that trains the dictionaries every `interval` seconds: training a dictionary takes
    far longer than answering a frame, so it never runs on the listener's thread."""

    def __init__(
        self,
        engine: Engine,
        codec: RawCodec,
        clock: Clock,
        interval: float = INTERVAL,
        min_frames: int = MIN_FRAMES,
    ) -> None:
        self._engine = engine
        self._codec = codec
        self._clock = clock
        self._interval = interval
        self._min_frames = min_frames
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bedside-raw-trainer", daemon=True)
        self.passes = 0
        self.trained: list[int] = []
        self._done = threading.Condition()

    def start(self) -> RawTrainer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            trained: list[int] = []
            try:
                trained = train_due(self._engine, self._codec, to_ms(self._clock()), self._min_frames)
            except Exception:  # frames go on being stored with the dictionary they have, or none
                log.exception("raw dictionary training failed; trying again later")
            with self._done:
                self.passes += 1
                self.trained += trained
                self._done.notify_all()

    def wait_for(self, passes: int, timeout: float) -> bool:
        """Wait until this many passes have run (for tests and diagnostics)."""
        with self._done:
            return self._done.wait_for(lambda: self.passes >= passes, timeout)
