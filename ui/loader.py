"""Reads the database off the GUI thread and hands immutable views to the window; runs the user's
actions (acknowledge, dose start, signed check) on the same thread, so the GUI never waits on a lock.

The loader is a QObject moved to its own QThread; results go to a @Slot of a GUI-thread object
(a lambda receiver would run in the worker thread in PySide6: architecture-research.md §0.5).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bedside_adapters.db.read_store import SqlSeriesStore
from PySide6.QtCore import QObject, QThread, Signal, Slot

from bedside.clock import Clock
from bedside.live import NUMERIC_PARAMETERS, LiveSnapshot, load_live_snapshot
from bedside.status import PatientStatus
from bedside.vitals import MANUAL_DEVICE

log = logging.getLogger(__name__)

RECENT_WINDOW = 75 * 60.0
"""How far back the numerics look for a current value (a cuff cycles up to hourly)."""
LABS_BEFORE_VIEW = 24 * 3600.0
PIXELS = 1500
"""About the plot width: a view of `span` s moves one pixel every span/PIXELS s, so a long view's
values need reading no more often than that (24 h: every minute; 7 days: every 7 min)."""


@dataclass(frozen=True)
class ViewRequest:
    patient_id: str | None
    span: float
    end: float | None
    """None: follow live (the view ends now)."""


@dataclass(frozen=True)
class ScreenData:
    snapshot: LiveSnapshot
    latest: dict[str, tuple[float, float]]
    status: PatientStatus
    heartbeat: float | None
    request: ViewRequest
    read_seconds: float
    manual: dict[str, str] = field(default_factory=dict)
    """Parameters whose newest value was entered by hand → its series instance (a temperature's site)."""


class SnapshotLoader(QObject):
    loaded = Signal(object)  # ScreenData
    failed = Signal(str)
    acted = Signal(str, object)  # what was done, its result
    action_failed = Signal(str, str)

    def __init__(
        self, store: SqlSeriesStore, clock: Clock, span: float, stale_after: float, patient_id: str | None
    ) -> None:
        super().__init__()
        self._store = store
        self._clock = clock
        self.stale_after = stale_after
        self.request = ViewRequest(patient_id, span, None)
        self._last: tuple[ViewRequest, float, LiveSnapshot] | None = None

    @Slot()
    def load(self) -> None:
        began = time.perf_counter()
        request = self.request  # one consistent request per read, whatever the GUI sets meanwhile
        try:
            if not self._store.schema_ready():
                self.failed.emit("Waiting for the ingest service to create the database…")
                return
            now = self._clock()
            reuse = None
            if self._last is not None:
                last_request, read_at, last = self._last
                # Up to 6 h every tick (a new value is a visible step); longer views once a pixel.
                fresh_enough = request.span > 6 * 3600.0 and now - read_at < request.span / PIXELS
                if last_request == request and (request.end is not None or fresh_enough):
                    reuse = last
            snapshot = load_live_snapshot(
                self._store,
                now,
                request.span,
                self.stale_after,
                request.patient_id,
                end=request.end,
                reuse=reuse,
            )
            if reuse is None:
                self._last = (request, now, snapshot)
            heartbeat = self._store.last_ingest_heartbeat()
            patient = snapshot.patient.ref if snapshot.patient is not None else None
            latest: dict[str, tuple[float, float]] = {}
            manual: dict[str, str] = {}
            if patient is not None:
                series = self._store.series_for(patient, NUMERIC_PARAMETERS)
                for w in self._store.windows(series, now - RECENT_WINDOW, now):
                    key = w.series.key.parameter
                    if len(w) and (key not in latest or w.times[-1] > latest[key][0]):
                        latest[key] = (float(w.times[-1]), float(w.values[-1]))
                        if w.series.key.device == MANUAL_DEVICE:
                            manual[key] = w.series.key.instance
                        else:
                            manual.pop(key, None)
            status = self._store.patient_status(patient, now, snapshot.start - LABS_BEFORE_VIEW)
        except Exception as exc:  # a database error must show on screen, never kill the UI
            log.exception("loading the live view failed")
            self.failed.emit(f"Cannot read the database: {type(exc).__name__}: {exc}")
            return
        self.loaded.emit(
            ScreenData(snapshot, latest, status, heartbeat, request, time.perf_counter() - began, manual)
        )

    @Slot(str, object)
    def perform(self, what: str, action: Callable[[], object]) -> None:
        try:
            result = action()
        except Exception as exc:  # shown to the user, who can correct and retry
            log.warning("%s failed: %s", what, exc)
            self.action_failed.emit(what, str(exc))
            return
        self.acted.emit(what, result)


class LoaderThread(QObject):
    """Owns the worker thread; `request` is queued to the loader, which drops nothing but never
    piles up: the window asks again only after a result (or failure) came back."""

    request = Signal()
    perform = Signal(str, object)

    def __init__(self, loader: SnapshotLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self._thread = QThread()
        self._thread.setObjectName("bedside-db-reader")
        loader.moveToThread(self._thread)
        self.request.connect(loader.load)
        self.perform.connect(loader.perform)
        self._thread.start()

    def stop(self) -> None:
        self._thread.quit()
        if not self._thread.wait(10_000):
            log.error("the database reader did not stop within 10 s")
