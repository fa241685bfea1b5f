"""What the nurse's screen reads for one view, as one immutable `ScreenData`: run on the screen's
worker thread (ui/worker.py), with the user's actions on the same thread after it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from bedside.clock import Clock
from bedside.live import NUMERIC_PARAMETERS, LiveSnapshot, load_live_snapshot
from bedside.model import PatientRef
from bedside.ports import LiveStore
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
    patient: PatientRef | None
    """The patient asked for (None: the one with the newest data)."""
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


class NotReady(Exception):
    """The database exists but ingest has not created its tables yet: said as it is, not as a failure."""


class ScreenReader:
    """Reads one view of the nurse's screen; runs on the screen's worker thread (ui/worker.py).
    Keeps the last long view it read, which it reuses until a pixel's worth of time has passed."""

    def __init__(self, store: LiveStore, clock: Clock, stale_after: float) -> None:
        self._store = store
        self._clock = clock
        self.stale_after = stale_after
        self._last: tuple[ViewRequest, float, LiveSnapshot] | None = None

    def read(self, request: ViewRequest) -> ScreenData:
        began = time.perf_counter()
        if not self._store.schema_ready():
            raise NotReady(NOT_READY)
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
            request.patient,
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
        return ScreenData(snapshot, latest, status, heartbeat, request, time.perf_counter() - began, manual)


NOT_READY = QT_TRANSLATE_NOOP("ScreenReader", "Waiting for the ingest service to create the database…")
"""Raised on the worker thread in English; the screen shows it translated (read_failure)."""


def read_failure(exc: BaseException) -> str:
    """What the screen says when a read fails: a database error shows on screen, never kills the UI."""
    if isinstance(exc, NotReady):
        return QCoreApplication.translate("ScreenReader", str(exc))
    log.error("reading the database failed", exc_info=exc)
    return QCoreApplication.translate("ScreenReader", "Cannot read the database: {kind}: {error}").format(
        kind=type(exc).__name__, error=exc
    )
