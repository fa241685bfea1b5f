"""Reads the database off the GUI thread and hands immutable snapshots to the window.

The loader is a QObject moved to its own QThread; results go to a @Slot of a GUI-thread object
(a lambda receiver would run in the worker thread in PySide6: architecture-research.md §0.5).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, Signal, Slot

from adapters.db.read_store import SqlSeriesStore
from bedside.clock import Clock
from bedside.live import load_live_snapshot

log = logging.getLogger(__name__)


class SnapshotLoader(QObject):
    loaded = Signal(object)  # LiveSnapshot
    failed = Signal(str)

    def __init__(
        self, store: SqlSeriesStore, clock: Clock, span: float, stale_after: float, patient_id: str | None
    ) -> None:
        super().__init__()
        self._store = store
        self._clock = clock
        self.span = span
        self.stale_after = stale_after
        self.patient_id = patient_id

    @Slot()
    def load(self) -> None:
        try:
            if not self._store.schema_ready():
                self.failed.emit("Waiting for the ingest service to create the database…")
                return
            snapshot = load_live_snapshot(
                self._store, self._clock(), self.span, self.stale_after, self.patient_id
            )
            heartbeat = self._store.last_ingest_heartbeat()
            patient = snapshot.patient.ref if snapshot.patient is not None else None
            alerting = self._store.alerting_status(patient)
        except Exception as exc:  # a database error must show on screen, never kill the UI
            log.exception("loading the live view failed")
            self.failed.emit(f"Cannot read the database: {type(exc).__name__}: {exc}")
            return
        self.loaded.emit((snapshot, heartbeat, alerting))


class LoaderThread(QObject):
    """Owns the worker thread; `request` is queued to the loader, which drops nothing but never
    piles up: the window asks again only after a result (or failure) came back."""

    request = Signal()

    def __init__(self, loader: SnapshotLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self._thread = QThread()
        self._thread.setObjectName("bedside-db-reader")
        loader.moveToThread(self._thread)
        self.request.connect(loader.load)
        self._thread.start()

    def stop(self) -> None:
        self._thread.quit()
        if not self._thread.wait(10_000):
            log.error("the database reader did not stop within 10 s")
