"""A thread that copies the SQLite write-ahead log into the database file while ingest goes on.

SQLite checkpoints on the committing connection once the WAL holds 1,000 pages: with ingest's
commits (ten pages or more each) that was a pause every ~110 messages on the thread that answers
senders, with an fsync in it under synchronous=NORMAL. This thread checkpoints (PASSIVE: it never
blocks a writer) every few tens of milliseconds instead; SQLite releases the interpreter lock while
it copies. The committing connection keeps its own automatic checkpoint as the backstop: it finds
almost nothing left to copy, and its checkpoint is the one that lets the WAL start over, so the
file stays a few megabytes. The commit on the answering thread gets shorter by the copy it no longer
does (docs/performance.md has the figures).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)

INTERVAL = 0.02


class WalCheckpointer:
    def __init__(self, engine: Engine, interval: float = INTERVAL) -> None:
        if engine.dialect.name != "sqlite":
            raise ValueError("only SQLite has a write-ahead log to checkpoint")
        self._engine = engine
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bedside-wal-checkpoint", daemon=True)
        self.checkpoints = 0
        self._backfilled = 0
        self.frames_copied = 0
        self.whole = False
        """The last checkpoint left the whole WAL copied into the database file."""
        self._done = threading.Condition()

    def start(self) -> WalCheckpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        connection = self._engine.raw_connection()  # its own, used by this thread only
        try:
            while not self._stop.wait(self._interval):
                try:
                    self.checkpoint(connection)
                except Exception:  # a failed checkpoint loses nothing: the WAL still holds it all
                    log.exception("WAL checkpoint failed; trying again")
        finally:
            connection.close()

    def checkpoint(self, connection: Any) -> int:
        """One PASSIVE checkpoint; returns the frames it copied."""
        cursor = connection.cursor()
        try:
            busy, log_frames, backfilled = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            cursor.close()
        # Both counts are of the WAL as it stands (they restart with it): what this call copied is
        # the growth of the backfilled count since the last call on the same WAL.
        copied = backfilled - self._backfilled if backfilled >= self._backfilled else backfilled
        self._backfilled = backfilled
        with self._done:
            self.checkpoints += 1
            if busy == 0 and copied > 0:
                self.frames_copied += copied
            self.whole = busy == 0 and backfilled == log_frames
            self._done.notify_all()
        return int(copied)

    def wait_for(self, checkpoints: int, timeout: float) -> bool:
        """Wait until this many checkpoints have run (for tests and diagnostics)."""
        with self._done:
            return self._done.wait_for(lambda: self.checkpoints >= checkpoints, timeout)
