"""An episode's baselines: the pre-dose value of each signal the rules compare against.

A median of the valid minutes in the baseline window for continuous signals (or of the readings, for a
cuff pressure taken every 10-15 minutes), the last valid value in the hour before the start for
temperature and settings; each says what it rests on, and why it is missing when it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from bedside.episodes import InfusionEpisode
from bedside.rules.minutes import MinuteGrid, MinuteSignal
from bedside.rules.ruleset import RuleSet

HOUR = 3600.0
INTERMITTENT_MINUTES = 3
"""Readings this many minutes apart or more (median) are intermittent: a cuff, a manual reading."""


@dataclass(frozen=True)
class Baseline:
    signal: str
    value: float | None
    method: str
    minutes: int
    """Valid minutes it rests on (median baselines need 20)."""
    note: str = ""


def episode_baselines(
    rules: RuleSet, ep: InfusionEpisode, signals: dict[str, MinuteSignal], grid: MinuteGrid
) -> dict[str, Baseline]:
    b0, b1 = (
        rules.windows["baseline"].start.at(ep.start, ep.start),
        rules.windows["baseline"].end.at(ep.start, ep.start),
    )
    out = {}
    for name, spec in rules.signals.items():
        # A baseline rests on plausible readings only: a probe off the patient is not the patient's
        # pre-dose value, however long it lay there.
        v = signals[name].values.copy()
        for mask in signals[name].technical.values():
            v[mask] = np.nan
        if spec.baseline == "median":
            i0, i1 = max(0, grid.index(b0)), max(0, grid.index(b1))
            window = v[i0:i1]
            valid = window[~np.isnan(window)]
            at = np.flatnonzero(~np.isnan(window))
            if len(valid) >= 20:
                out[name] = Baseline(name, float(np.median(valid)), "median", len(valid))
            elif len(valid) >= 2 and float(np.median(np.diff(at))) >= INTERMITTENT_MINUTES:
                # A cuff pressure every 10-15 min never gives 20 valid minutes: its readings in the
                # window are the baseline (their median), and the screen says how many.
                out[name] = Baseline(
                    name, float(np.median(valid)), "readings", len(valid), f"median of {len(valid)} readings"
                )
            else:
                out[name] = Baseline(
                    name, None, "median", len(valid), f"no {name} baseline ({len(valid)} of 20 valid minutes)"
                )
        else:  # last valid minute in [T0-60 min, T0]: temperature, settings in force at the start
            i0, i1 = max(0, grid.index(ep.start - HOUR)), max(0, grid.index(ep.start) + 1)
            window = v[i0:i1]
            idx = np.flatnonzero(~np.isnan(window))
            if len(idx):
                out[name] = Baseline(name, float(window[idx[-1]]), "last", 1)
            else:
                out[name] = Baseline(name, None, "last", 0, f"no {name} value in the hour before the start")
    return out


def baselines_json(baselines: dict[str, Baseline]) -> str:
    """The stored form (infusion_episode.baselines): stable key order, so "unchanged" is a string test."""
    return json.dumps(
        {
            name: {"value": b.value, "method": b.method, "minutes": b.minutes, "note": b.note}
            for name, b in sorted(baselines.items())
        },
        sort_keys=True,
    )


def parse_baselines(text: str) -> dict[str, Baseline]:
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    return {
        name: Baseline(name, d.get("value"), d.get("method", ""), int(d.get("minutes", 0)), d.get("note", ""))
        for name, d in raw.items()
        if isinstance(d, dict)
    }
