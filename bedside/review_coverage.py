"""How much of the data a review expects is there: the share of expected samples present in each
window after a dose, per stream (a device stream by the minute, a sparse one by its usual interval)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bedside.review import WINDOWS


def coverage(times: npt.NDArray[np.float64], start: float, end: float, interval: float) -> float | None:
    """Share of the expected samples present in [start, end).

    A device stream (interval of a minute or less) is expected to have a value in every minute (the
    rules work on 1-min medians): the share of minutes with one, so a feed that reports every second
    cannot hide a 10-minute hole behind its count. A sparse stream (blood gases, daily labs): results
    present over results expected at its interval, capped at 1."""
    if end <= start or interval <= 0:
        return None
    inside = times[(times >= start) & (times < end)]
    if interval <= 60.0:
        minutes = math.ceil((end - start) / 60.0)
        return len(np.unique(((inside - start) // 60.0).astype(np.int64))) / minutes
    return min(1.0, inside.size / max(1.0, (end - start) / interval))


def nominal_interval(times: npt.NDArray[np.float64]) -> float | None:
    """A stream's usual reporting interval: the median gap between its values."""
    if times.size < 3:
        return None
    return float(np.median(np.diff(times)))


def coverage_table(
    times: dict[str, npt.NDArray[np.float64]],
    start: float,
    now: float,
    nominal: dict[str, float],
    windows: Sequence[tuple[str, float, float]] = WINDOWS,
) -> dict[str, dict[str, float | None]]:
    """Stream → post-dose window → share of expected samples present (None: window not begun, or a
    stream with no usual interval to expect samples at). A window still running counts up to now."""
    out: dict[str, dict[str, float | None]] = {}
    for name, ts in times.items():
        interval = nominal.get(name) or min(60.0, nominal_interval(ts) or 60.0)
        row: dict[str, float | None] = {}
        for label, a, b in windows:
            lo, hi = start + a, min(start + b, now)
            # A daily lab is not missing from a 6-hour window (or from the first hours of one still
            # running): spans shorter than the stream's interval expect nothing, and say "—", not 0 %.
            short = interval is not None and (hi - lo) < interval
            row[label] = None if interval is None or hi <= lo or short else coverage(ts, lo, hi, interval)
        out[name] = row
    return out
