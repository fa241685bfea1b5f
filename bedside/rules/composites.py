"""Composite rules: a condition over other rules' findings (a component counts from the moment it
fired until it re-armed), so several moderate signs together make one alert naming its components."""

from __future__ import annotations

import math

import numpy as np

from bedside.rules.findings import Finding
from bedside.rules.minutes import MinuteGrid
from bedside.rules.persistence import clusters
from bedside.rules.ruleset import Rule, RuleSet

MINUTE = 60.0


def composite_rule(
    rules: RuleSet, rule: Rule, found: dict[str, Finding], w0: float, w1: float, now: float
) -> list[Finding]:
    if w1 <= w0:
        return []
    m0 = math.floor(w0 / MINUTE)
    n = math.floor(w1 / MINUTE) - m0 + 1
    grid = MinuteGrid(m0, n)
    names = set().union(*(lv.when.names for lv in rule.levels))
    env: dict[str, object] = {name: np.zeros(n) for name in names}
    hold = rules.rearm_minutes * MINUTE
    for f in found.values():
        # A component counts from the moment it fired until it re-armed.
        a, b = max(0, grid.index(f.fired_at)), min(n, grid.index(f.last_true + hold) + 1)
        if a >= b:
            continue
        for key in (f.rule_id, f"{f.rule_id}.{f.severity}", *(f"{f.rule_id}.{t}" for t in f.tags)):
            if key in env:
                env[key][a:b] = 1.0  # type: ignore[index]
    known = np.ones(n, dtype=bool)
    levels = [(lv, lv.when(env)) for lv in rule.levels]
    out = []
    wanted = {x.split(".")[0] for x in names}
    for c in clusters(levels, known, rule, rules.rearm_minutes):
        c0, c1 = grid.start_of(c.onset), grid.start_of(c.last_true + 1)
        # The components are the findings that made this cluster: those active during it.
        active = [
            f for f in found.values() if f.rule_id in wanted and f.fired_at <= c1 and f.last_true + hold >= c0
        ]
        if not active:
            continue
        parts = sorted({f.rule_id for f in active} | {p for f in active for p in f.components})
        obs = tuple(dict.fromkeys(o for f in active for o in f.observations[:5]))
        out.append(
            Finding(
                rule.id,
                c.severity,
                c0,
                max(grid.start_of(c.fired), min(f.fired_at for f in active)),
                c1,
                math.floor(now / MINUTE) - (m0 + c.last_true) > rules.rearm_minutes,
                f"{rule.message} Components: {_components_text(rules, parts)}.",
                {"components": None},
                obs,
                (f"components: {', '.join(parts)}",),
                components=tuple(parts),
            )
        )
    return out


def _components_text(rules: RuleSet, parts: list[str]) -> str:
    titles = {r.id: r.title.lower() for r in rules.rules}
    return ", ".join(f"{titles.get(p, p)} ({p})" for p in parts)
