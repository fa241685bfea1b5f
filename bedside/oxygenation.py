"""P/F ratio for the screen: each arterial PaO2 over the FiO2 in force when the blood was drawn."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FIO2_MAX_AGE = 3600.0
"""A FiO2 older than this at the draw is not "in force": no ratio rather than a wrong one."""


def pf_ratios(
    pao2: Sequence[tuple[float, float]], fio2_times: np.ndarray, fio2_percent: np.ndarray
) -> list[tuple[float, float, float]]:
    """(draw time, P/F in mmHg, FiO2 % used) for each (time, PaO2 mmHg) with a FiO2 at or before it."""
    out = []
    order = np.argsort(fio2_times, kind="stable")
    times, values = fio2_times[order], fio2_percent[order]
    for at, value in pao2:
        i = int(np.searchsorted(times, at, side="right")) - 1
        if i < 0 or at - times[i] > FIO2_MAX_AGE or not np.isfinite(values[i]) or values[i] < 21:
            continue
        fio2 = float(values[i])
        out.append((at, value / (fio2 / 100.0), fio2))
    return out
