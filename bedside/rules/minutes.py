"""1-min medians on a minute grid, with the artefact handling of the rule set's signals.

Rules never look at single samples: a 20 s motion spike or a 30 s line flush is outvoted inside its
minute's median, and samples outside a signal's plausible range (a flush at 300 mmHg) are left out of
the median. An artefact is short and inconsistent; physiology persists. So a value outside the range,
a pulse pressure under 10 mmHg or an oximeter pulse that disagrees with the ECG is dropped only while
it is brief: once it has lasted `PERSIST_MINUTES` it is read as the patient's value (or, for a
disagreeing oximeter, read where it continues the saturation before it) and the minutes are marked, so
that the engine raises a technical alert ("check the patient and the probe") instead of going silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bedside.rules.data import PatientData, Samples
from bedside.rules.ruleset import RuleSet, SignalSpec

Array = npt.NDArray[np.float64]

PERSIST_MINUTES = 2
"""Consecutive minutes after which an implausible reading is taken as real (physiology persists)."""
ESTABLISHED_MINUTES = 10
"""A pulse disagreement lasting this long is the patient's rhythm, not a probe moving."""
SPO2_STEP = 3.0
"""Largest change a minute (SpO2 points) that still continues a saturation read through a pulse
disagreement: a pulse deficit keeps the saturation, a poor signal jumps away from it."""


@dataclass
class MinuteGrid:
    """Minutes m0 … m0+n-1 (minute index = floor(epoch s / 60))."""

    m0: int
    n: int

    def index(self, t: float) -> int:
        return int(np.floor(t / 60.0)) - self.m0

    def start_of(self, i: int) -> float:
        return (self.m0 + i) * 60.0


@dataclass
class MinuteSignal:
    values: Array
    """Median per minute, NaN where no valid sample."""
    lows: Array
    """Minimum per minute (suppression conditions look at the worst sample)."""
    series: npt.NDArray[np.int64]
    sample_ms: npt.NDArray[np.int64]
    """Which stored sample is the median (series id, time in ms): the observation an alert names."""
    raw: Array = field(default_factory=lambda: np.zeros(0))
    """Median per minute of every finite sample, plausible or not."""
    technical: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)
    """Minutes that need a look at the patient and the sensor, by reason: `range` (outside the
    plausible range, persisting), `pulse_pressure` (damped line or very low output, persisting),
    `disagree` (oximeter pulse against ECG, persisting)."""


def _medians(samples: list[Samples], grid: MinuteGrid, valid: tuple[float, float] | None) -> MinuteSignal:
    n = grid.n
    out = MinuteSignal(
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.full(n, -1, np.int64),
        np.full(n, -1, np.int64),
        np.full(n, np.nan),
    )
    if not samples:
        return out
    t = np.concatenate([s.times for s in samples])
    v = np.concatenate([s.values for s in samples]).astype(np.float64)
    sid = np.concatenate([np.full(len(s.times), s.series_id, np.int64) for s in samples])
    idx = np.floor(t / 60.0).astype(np.int64) - grid.m0
    keep = (idx >= 0) & (idx < n) & np.isfinite(v)
    # Lows see every sample, valid or not: an open circuit reads 0, which is what suppression looks for.
    low = np.full(n, np.inf)
    np.minimum.at(low, idx[keep], v[keep])
    out.lows[:] = np.where(np.isinf(low), np.nan, low)
    _median_into(out.raw, None, None, t[keep], v[keep], sid[keep], idx[keep], n)
    if valid is not None:
        keep &= (v >= valid[0]) & (v <= valid[1])
    _median_into(out.values, out.series, out.sample_ms, t[keep], v[keep], sid[keep], idx[keep], n)
    return out


def _median_into(
    values: Array,
    series: npt.NDArray[np.int64] | None,
    sample_ms: npt.NDArray[np.int64] | None,
    t: Array,
    v: Array,
    sid: npt.NDArray[np.int64],
    idx: npt.NDArray[np.int64],
    n: int,
) -> None:
    if len(v) == 0:
        return
    order = np.lexsort((v, idx))
    t, v, sid, idx = t[order], v[order], sid[order], idx[order]
    counts = np.bincount(idx, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    lo = starts[has] + (counts[has] - 1) // 2
    hi = starts[has] + counts[has] // 2
    values[has] = (v[lo] + v[hi]) / 2.0
    if series is not None and sample_ms is not None:
        series[has] = sid[lo]
        sample_ms[has] = np.round(t[lo] * 1000.0).astype(np.int64)


def minute_signals(data: PatientData, rules: RuleSet, grid: MinuteGrid) -> dict[str, MinuteSignal]:
    """Every signal of the rule set as 1-min medians with its artefact filters applied."""
    raw: dict[str, MinuteSignal] = {}
    for name, spec in rules.signals.items():
        merged: MinuteSignal | None = None
        for parameter in spec.parameters:  # per minute, the first parameter that has a value wins
            m = _medians(data.parameters.get(parameter, []), grid, spec.valid)
            if merged is None:
                merged = m
                continue
            fill = np.isnan(merged.values) & ~np.isnan(m.values)
            for attr in ("values", "lows", "series", "sample_ms"):
                getattr(merged, attr)[fill] = getattr(m, attr)[fill]
            raw_fill = np.isnan(merged.raw) & ~np.isnan(m.raw)
            merged.raw[raw_fill] = m.raw[raw_fill]
        assert merged is not None
        raw[name] = merged
    out = {name: _copy(sig) for name, sig in raw.items()}
    for name, spec in rules.signals.items():
        _filter(out[name], spec, raw)
    for name, spec in rules.signals.items():
        if spec.suppressed_by:
            sup = rules.suppressions[spec.suppressed_by]
            env = {f"min.{k}": s.lows for k, s in raw.items()} | {k: s.values for k, s in raw.items()}
            held = _hold(sup.when(env), sup.hold_minutes)
            out[name].values[held] = np.nan
    return out


def _copy(s: MinuteSignal) -> MinuteSignal:
    return MinuteSignal(s.values.copy(), s.lows.copy(), s.series.copy(), s.sample_ms.copy(), s.raw.copy())


def persisting(mask: npt.NDArray[np.bool_], minutes: int = PERSIST_MINUTES) -> npt.NDArray[np.bool_]:
    """The minutes of `mask` that belong to a run of at least `minutes` consecutive minutes."""
    out = np.zeros_like(mask)
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        if e - s >= minutes:
            out[s:e] = True
    return out


def _filter(sig: MinuteSignal, spec: SignalSpec, raw: dict[str, MinuteSignal]) -> None:
    v = sig.values
    if spec.valid is not None:
        lo, hi = spec.valid
        with np.errstate(invalid="ignore"):
            outside = (sig.raw < lo) | (sig.raw > hi)
        real = persisting(outside)
        if real.any():  # most samples of two minutes running outside the range: the patient
            v[real] = sig.raw[real]
            sig.technical["range"] = real
    if spec.min_difference_from is not None:
        other, d = spec.min_difference_from
        o = raw[other].values
        with np.errstate(invalid="ignore"):
            narrow = (v - o) < d  # pulse pressure < 10: a flush, zeroing or a damped line ...
        real = persisting(narrow)
        v[narrow & ~real] = np.nan
        if real.any():  # ... or, when it lasts, a very low output: read, and checked by a person
            sig.technical["pulse_pressure"] = real
    if spec.agree_with is not None:
        a, b, d = spec.agree_with
        with np.errstate(invalid="ignore"):
            differ = np.abs(raw[a].values - raw[b].values) > d
        lasting = persisting(differ)
        _continue_through(v, differ, lasting)
        if lasting.any():
            sig.technical["disagree"] = lasting
    if spec.max_change_per_min is not None:
        limit = spec.max_change_per_min
        last, last_i = np.nan, -1
        for i in range(len(v)):
            if np.isnan(v[i]):
                continue
            if not np.isnan(last) and abs(v[i] - last) > limit * (i - last_i):
                v[i] = np.nan  # a probe falling off changes faster than a body can
                continue
            last, last_i = v[i], i


def _continue_through(v: Array, differ: npt.NDArray[np.bool_], lasting: npt.NDArray[np.bool_]) -> None:
    """Brief disagreement: dropped. Lasting disagreement (a pulse deficit in atrial fibrillation, or a
    probe that keeps reading badly): in its first `ESTABLISHED_MINUTES` a minute is read only where it
    is within `SPO2_STEP` of the last minute read, so a poor signal's sudden drop is not read; once the
    disagreement has lasted that long it is the patient's rhythm (a pulse deficit), and the saturation
    is read as measured, sudden falls included."""
    last = np.nan
    run_start = -1
    for i in range(len(v)):
        if not differ[i]:
            run_start = -1
        elif run_start < 0:
            run_start = i
        if np.isnan(v[i]):
            continue
        if differ[i] and lasting[i] and (np.isnan(last) or i - run_start >= ESTABLISHED_MINUTES):
            pass  # an established pulse deficit, or nothing before it to continue: read
        elif differ[i] and (not lasting[i] or abs(v[i] - last) > SPO2_STEP):
            v[i] = np.nan
            continue
        last = v[i]


def _hold(mask: npt.NDArray[np.bool_], minutes: int) -> npt.NDArray[np.bool_]:
    """Extend a suppression 1 min before (the cough that opens the circuit) and `minutes` after."""
    out = mask.copy()
    for k in range(1, minutes + 1):
        out[k:] |= mask[:-k]
    out[:-1] |= mask[1:]
    return out


def shifted(values: Array, by: int) -> Array:
    """lagN (by = N): the value N minutes earlier; leadN (by = -N): N minutes later."""
    out = np.full_like(values, np.nan)
    if by > 0:
        out[by:] = values[:-by]
    elif by < 0:
        out[:by] = values[-by:]
    else:
        out[:] = values
    return out
