"""The live trend model: what the nurse's screen shows, computed from the store without Qt.

The UI asks for a `LiveSnapshot` once a second (off the GUI thread) and only draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bedside.chunks import envelope_line, line_with_gaps
from bedside.feeds import FeedStatus, assess_feed
from bedside.i18n import N_
from bedside.model import Patient, PatientRef, SeriesWindow
from bedside.ports import SeriesStore
from bedside.vitals import MANUAL_DEVICE


@dataclass(frozen=True, slots=True)
class TrendGroup:
    """One plot: a few parameters sharing a unit and a fixed clinical y-range."""

    title: str
    """English (what the screens look a plot up by); shown as `_(title)`."""
    unit: str
    parameters: tuple[str, ...]
    y_range: tuple[float, float]


TREND_GROUPS: tuple[TrendGroup, ...] = (
    TrendGroup(N_("Heart rate"), "/min", ("hr", "pr_spo2"), (30.0, 180.0)),
    TrendGroup(N_("SpO2"), "%", ("spo2",), (80.0, 100.0)),
    TrendGroup(
        N_("Blood pressure"),
        "mm[Hg]",
        ("abp_sys", "abp_dia", "abp_mean", "nibp_sys", "nibp_dia", "nibp_mean"),
        (20.0, 200.0),
    ),
    TrendGroup(N_("Temperature"), "Cel", ("temp", "temp_peripheral"), (35.0, 41.0)),
    TrendGroup(N_("FiO2"), "%", ("fio2_set", "fio2"), (20.0, 100.0)),
    TrendGroup(N_("Airway pressure"), "cm[H2O]", ("ppeak", "pplat", "peep_set", "peep"), (0.0, 45.0)),
)
NUMERIC_PARAMETERS: tuple[str, ...] = (
    "hr",
    "pr_spo2",
    "spo2",
    "abp_sys",
    "abp_dia",
    "abp_mean",
    "nibp_sys",
    "nibp_dia",
    "nibp_mean",
    "temp",
    "temp_peripheral",
    "rr",
    "vent_rr",
    "fio2_set",
    "fio2",
    "peep_set",
    "peep",
    "ppeak",
)
"""What the numerics read (bedside/numerics.py NUMERICS)."""


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    now: float
    start: float
    patient: Patient | None
    windows: tuple[SeriesWindow, ...]
    feeds: tuple[FeedStatus, ...]
    end: float | None = None
    """End of the view when the user looks back in time (None: the view ends now)."""
    patients: tuple[Patient, ...] = ()
    enveloped: dict[int, int] = field(default_factory=dict)
    """Series id → values stored in the view, for the windows reduced to a min/max envelope."""

    @property
    def view_end(self) -> float:
        return self.now if self.end is None else self.end

    def windows_for(self, parameter: str) -> list[SeriesWindow]:
        return [w for w in self.windows if w.series.key.parameter == parameter]

    def latest(self, parameter: str) -> tuple[float, float] | None:
        """(time, value) of the newest value of a parameter in the window, any instance."""
        best: tuple[float, float] | None = None
        for w in self.windows_for(parameter):
            if len(w) and (best is None or w.times[-1] > best[0]):
                best = (float(w.times[-1]), float(w.values[-1]))
        return best


EDGE_READ = 120.0
"""Seconds read before a view's left edge so that its lines reach the edge."""

BINS = 1000
"""Columns of a zoomed-out view: about one per pixel of the trend plots (1366 to 1920 px screens)."""


def trend_line(window: SeriesWindow, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
    """A window of stored values as the line a plot draws (connect="finite"): gaps in the data broken,
    a lone value a dash one column wide."""
    return line_with_gaps(window.times, window.values, (end - start) / BINS)


SPARSE_INTERVAL = 5 * 60.0
"""Values typically further apart than this (a cuff every 15-60 min) are drawn as markers."""


def drawn_as_markers(window: SeriesWindow) -> bool:
    """Whether a series is drawn as markers rather than a line: values entered by hand, and sparse
    series, whose line would invent a course between readings an hour apart."""
    if window.series.key.device == MANUAL_DEVICE:
        return True
    t = window.times
    return t.size < 3 or float(np.median(np.diff(t))) >= SPARSE_INTERVAL


def load_live_snapshot(
    store: SeriesStore,
    now: float,
    span: float = 3600.0,
    stale_after: float = 15.0,
    chosen: PatientRef | None = None,
    groups: Sequence[TrendGroup] = TREND_GROUPS,
    end: float | None = None,
    reuse: LiveSnapshot | None = None,
    max_points: int | None = 2 * BINS,
) -> LiveSnapshot:
    """`span` seconds ending at `end` (default: now) for one patient (the given one, else the one with
    the newest data). `chosen` without an authority: the first patient with that MRN."""
    patients = tuple(store.patients())
    patient = None
    if chosen is not None:
        patient = next(
            (
                p
                for p in patients
                if p.ref == chosen or (not chosen.authority and p.ref.identifier == chosen.identifier)
            ),
            None,
        )
    elif patients:
        patient = patients[0]
    feeds = tuple(
        assess_feed(a, now, stale_after)
        for a in store.feed_activity(None if patient is None else patient.ref, now)
    )
    hi = now if end is None else min(end, now)
    if patient is None:
        return LiveSnapshot(now, hi - span, None, (), feeds, end, patients)
    if reuse is not None and reuse.patient is not None and reuse.patient.ref == patient.ref:
        # A long view moves less than a pixel a second: its values are re-read less often (the
        # caller decides), while feeds and the patient list stay fresh every tick.
        return LiveSnapshot(now, reuse.start, patient, reuse.windows, feeds, end, patients, reuse.enveloped)
    wanted = [p for g in groups for p in g.parameters]
    # Read a little before the view: the line runs in from the last value before its left edge
    # instead of starting at the first value inside (a ventilator's report every 30 s left the
    # first half-minute of a zoomed-in view empty, which reads as missing data).
    windows = store.windows(store.series_for(patient.ref, wanted), hi - span - EDGE_READ, hi)
    enveloped: dict[int, int] = {}
    if max_points is not None:
        # More values than pixels: min and max per pixel column, computed here (off the GUI thread),
        # so drawing and panning never reduce arrays on the GUI thread, where they would stall frames.
        for i, w in enumerate(windows):
            if len(w) > max_points:
                enveloped[w.series.id] = len(w)
                windows[i] = envelope(w, hi - span, hi, max_points // 2)
    return LiveSnapshot(now, hi - span, patient, tuple(windows), feeds, end, patients, enveloped)


def envelope(window: SeriesWindow, start: float, end: float, bins: int) -> SeriesWindow:
    """The window as min, max per bin, ready to draw (`envelope_line`): bins without values are left
    out, and a NaN breaks the line only where the data have a gap."""
    times, values = envelope_line(window.times, window.values, start, end, bins)
    return SeriesWindow(window.series, times, values)
