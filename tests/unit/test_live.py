"""The live model against an in-memory fake of the SeriesStore port: no database, no Qt."""

from collections.abc import Sequence

import numpy as np

from bedside.feeds import FeedActivity, FeedState, assess_feed, describe_silence
from bedside.live import EDGE_READ, load_live_snapshot
from bedside.model import Patient, PatientRef, Series, SeriesKey, SeriesWindow


class FakeStore:
    def __init__(self) -> None:
        a, b = PatientRef("A"), PatientRef("B")
        self._patients = [Patient(b, "NEWER"), Patient(a, "OLDER")]
        self._series = [
            Series(1, SeriesKey(a, "hr", "/min", "mon")),
            Series(2, SeriesKey(b, "hr", "/min", "mon")),
            Series(3, SeriesKey(b, "spo2", "%", "mon")),
            Series(4, SeriesKey(b, "etco2", "mm[Hg]", "vent")),
        ]
        self.times = np.arange(0.0, 7200.0, 60.0)

    def patients(self) -> Sequence[Patient]:
        return self._patients

    def series_for(self, patient: PatientRef, parameters=None) -> Sequence[Series]:
        return [
            s
            for s in self._series
            if s.key.patient == patient and (parameters is None or s.key.parameter in parameters)
        ]

    def window(self, series: Series, start: float, end: float) -> SeriesWindow:
        t = self.times[(self.times >= start) & (self.times <= end)]
        return SeriesWindow(series, t, np.full_like(t, float(series.id)))

    def windows(self, series: Sequence[Series], start: float, end: float) -> list[SeriesWindow]:
        return [self.window(s, start, end) for s in series]

    def feed_activity(self, patient=None, now=None) -> Sequence[FeedActivity]:
        return [FeedActivity("mon", 7000.0, 6999.0, 10), FeedActivity("lab", 100.0, None, 1)]


def test_snapshot_shows_the_newest_patient_and_only_the_plotted_parameters() -> None:
    snap = load_live_snapshot(FakeStore(), now=7200.0, span=3600.0, stale_after=15.0)
    assert snap.patient is not None and snap.patient.family_name == "NEWER"
    assert {w.series.id for w in snap.windows} == {2, 3}  # EtCO2 is not in the trend groups
    # The view and the little read before its left edge that carries its lines in, nothing earlier.
    assert all(w.times[0] >= 3600.0 - EDGE_READ for w in snap.windows)
    assert any(w.times[0] < 3600.0 for w in snap.windows)
    assert snap.latest("spo2") == (7140.0, 3.0)
    assert snap.latest("temp") is None


def test_snapshot_for_a_chosen_patient() -> None:
    snap = load_live_snapshot(FakeStore(), now=7200.0, chosen=PatientRef("A"))
    assert snap.patient is not None and snap.patient.family_name == "OLDER"
    assert [w.series.id for w in snap.windows] == [1]


def test_feed_states() -> None:
    snap = load_live_snapshot(FakeStore(), now=7200.0, stale_after=15.0)
    states = {f.sender: f for f in snap.feeds}
    assert states["lab"].state is FeedState.LIVE and states["lab"].silent_for == 7100.0  # an event feed
    assert not states["lab"].continuous
    assert states["mon"].state is FeedState.STALE  # 200 s silent
    live = assess_feed(FeedActivity("mon", 7195.0, 7190.0, 1), 7200.0, 15.0)
    assert live.state is FeedState.LIVE and live.clock_skew == 5.0


def test_describe_silence() -> None:
    assert describe_silence(12.7) == "12 s"
    assert describe_silence(300) == "5 min"
    assert describe_silence(3 * 3600 + 5 * 60) == "3 h 05 min"


def test_a_long_view_is_reduced_to_min_and_max_per_pixel_keeping_peaks_and_gaps() -> None:
    from bedside.live import envelope
    from bedside.model import PatientRef, Series, SeriesKey, SeriesWindow

    t = np.arange(0.0, 86400.0)
    v = np.full(t.size, 80.0)
    v[50_000] = 190.0  # a one-second spike must survive
    keep = (t < 20_000) | (t >= 30_000)  # a silent feed for almost 3 h
    w = SeriesWindow(Series(1, SeriesKey(PatientRef("A"), "hr", "/min", "mon")), t[keep], v[keep])
    env = envelope(w, 0.0, 86400.0, 1000)
    assert np.nanmax(env.values) == 190.0 and np.nanmin(env.values) == 80.0
    assert len(env) < 2000  # at most two points per column holding values, one NaN in the silence
    (brk,) = np.flatnonzero(np.isnan(env.values))
    assert env.times[brk - 1] < 20_100 and env.times[brk + 1] > 29_900  # columns of 86.4 s
