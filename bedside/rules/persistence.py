"""Persistence and re-arming over 1-min conditions: when a rule's condition has held long enough to
fire, and when an alert has been quiet long enough to re-arm."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bedside.rules.ruleset import Level, Rule, severity_rank


@dataclass
class Cluster:
    onset: int
    fired: int
    last_true: int
    severity: str
    rose_at: int | None


def fired_runs(
    cond: npt.NDArray[np.bool_], known: npt.NDArray[np.bool_], minutes: int, apart: int
) -> list[tuple[int, int]]:
    """(start, fired) minute indices of runs in which the condition persisted.

    Minutes without a value neither break nor count, so persistence is read over the readings that
    exist: a run fires when its last `minutes` minutes all held (a continuous signal), or, where the
    run has minutes without a value (a cuff pressure every 10 min, a manual temperature), when two
    readings at least `apart` minutes apart held with no reading between them that did not."""
    bridge = cond | ~known
    edges = np.diff(np.concatenate(([0], bridge.astype(np.int8), [0])))
    out = []
    for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        trues = s + np.flatnonzero(cond[s:e])
        if len(trues) == 0:
            continue
        first = int(trues[0])
        streak_from = first
        for i, m in enumerate(trues):
            m = int(m)
            if i and m != int(trues[i - 1]) + 1:
                streak_from = m
            if m - streak_from + 1 >= minutes:
                out.append((first, m))
                break
            if m - first >= apart and not known[first : m + 1].all():
                out.append((first, m))
                break
    return out


def clusters(
    levels: list[tuple[Level, npt.NDArray[np.bool_]]],
    known: npt.NDArray[np.bool_],
    rule: Rule,
    rearm: int,
) -> list[Cluster]:
    any_true = np.zeros(len(known), dtype=bool)
    fired: list[tuple[int, int, str]] = []
    for level, cond in levels:
        any_true |= cond
        minutes = level.minutes or rule.minutes
        for s, f in fired_runs(cond, known, minutes, max(rule.apart, minutes)):
            fired.append((s, f, level.severity))
    if not fired:
        return []
    fired.sort(key=lambda x: x[1])
    trues = np.flatnonzero(any_true)
    out: list[Cluster] = []
    for s, f, sev in fired:
        if out and s - out[-1].last_true <= rearm:
            c = out[-1]  # same alert: not re-armed yet
            if severity_rank(sev) > severity_rank(c.severity):
                c.severity, c.rose_at = sev, f
        else:
            out.append(Cluster(s, f, f, sev, None))
        c = out[-1]
        # Every true minute after firing keeps the alert open until `rearm` minutes without one.
        later = trues[trues >= c.last_true]
        last = c.last_true
        for m in later:
            if m - last > rearm:
                break
            last = int(m)
        c.last_true = max(c.last_true, last)
    return out
