"""1-min medians on a minute grid, with the artefact handling of the rule set's signals (§(e)5).

Rules never look at single samples: a 20 s motion spike or a 30 s line flush is outvoted inside its
minute's median, and values outside a signal's valid range (a flush at 300 mmHg, a temperature probe
lying on the sheet at 31 °C) are dropped before the median is taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bedside.rules.data import PatientData, Samples
from bedside.rules.ruleset import RuleSet, SignalSpec

Array = npt.NDArray[np.float64]


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


def _medians(samples: list[Samples], grid: MinuteGrid, valid: tuple[float, float] | None) -> MinuteSignal:
    n = grid.n
    out = MinuteSignal(
        np.full(n, np.nan), np.full(n, np.nan), np.full(n, -1, np.int64), np.full(n, -1, np.int64)
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
    if valid is not None:
        keep &= (v >= valid[0]) & (v <= valid[1])
    t, v, sid, idx = t[keep], v[keep], sid[keep], idx[keep]
    if len(v) == 0:
        return out
    order = np.lexsort((v, idx))
    t, v, sid, idx = t[order], v[order], sid[order], idx[order]
    counts = np.bincount(idx, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    lo = starts[has] + (counts[has] - 1) // 2
    hi = starts[has] + counts[has] // 2
    out.values[has] = (v[lo] + v[hi]) / 2.0
    out.series[has] = sid[lo]
    out.sample_ms[has] = np.round(t[lo] * 1000.0).astype(np.int64)
    return out


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
    return MinuteSignal(s.values.copy(), s.lows.copy(), s.series.copy(), s.sample_ms.copy())


def _filter(sig: MinuteSignal, spec: SignalSpec, raw: dict[str, MinuteSignal]) -> None:
    v = sig.values
    if spec.min_difference_from is not None:
        other, d = spec.min_difference_from
        o = raw[other].values
        with np.errstate(invalid="ignore"):
            v[(v - o) < d] = np.nan  # pulse pressure < 10: a flush, zeroing or a damped line
    if spec.agree_with is not None:
        a, b, d = spec.agree_with
        with np.errstate(invalid="ignore"):
            v[np.abs(raw[a].values - raw[b].values) > d] = np.nan  # poor signal: pulse rates disagree
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
