"""Signal rules: a condition over the 1-min medians (and their baselines, lags and the patient's
targets) that must persist before it fires, level by level, and re-arms once it has cleared."""

from __future__ import annotations

import math
import re

import numpy as np

from bedside.rules.baselines import Baseline
from bedside.rules.expr import Condition
from bedside.rules.findings import Finding
from bedside.rules.messages import message, value_at
from bedside.rules.minutes import MinuteGrid, MinuteSignal, shifted
from bedside.rules.persistence import clusters
from bedside.rules.ruleset import Level, Rule, RuleSet

MINUTE = 60.0
_LAG = re.compile(r"^(lag|lead)(\d+)\.(.+)$")
MAX_OBSERVATIONS = 40
PREEXISTING_SHARE = 0.1
"""A condition that held in this share of the baseline minutes was already there before the dose."""


def _env(  # type: ignore[no-untyped-def]
    conditions: list[Condition],
    signals: dict[str, MinuteSignal],
    baselines: dict[str, Baseline],
    goals: dict[str, float],
):
    env: dict[str, object] = dict(goals)
    current: set[str] = set()
    for name in {n for c in conditions for n in c.names}:
        if name.startswith("target."):
            continue
        if name.startswith("base."):
            b = baselines[name[5:]].value
            env[name] = np.nan if b is None else b
            continue
        m = _LAG.match(name)
        if m:
            kind, k, sig = m.groups()
            env[name] = shifted(signals[sig].values, int(k) if kind == "lag" else -int(k))
            continue
        env[name] = signals[name].values
        current.add(name)
    return env, current


def _at_baseline(
    cond: Condition, env: dict[str, object], baselines: dict[str, Baseline], before: slice
) -> bool:
    """Was `cond` already met before the dose: by the baselines themselves, or in at least
    `PREEXISTING_SHARE` of the baseline window's minutes with a value (an SpO2 hovering at 87-89 %)?"""
    flat: dict[str, object] = dict(env)
    for name in cond.names:
        sig = name.split(".")[-1]
        if name.startswith(("base.", "target.")) or sig not in baselines:
            continue
        b = baselines[sig].value
        flat[name] = np.nan if b is None else b
    if bool(np.all(cond(flat))):
        return True
    held = np.asarray(cond(env))
    if held.ndim == 0:
        return False
    seen = np.ones(len(held), dtype=bool)
    for name in cond.names:
        value = env.get(name)
        if isinstance(value, np.ndarray) and value.ndim == 1:
            seen &= ~np.isnan(value)
    window = held[before][seen[before]]
    return len(window) > 0 and float(window.mean()) >= PREEXISTING_SHARE


def _level_conditions(
    rule: Rule, env: dict[str, object], baselines: dict[str, Baseline], before: slice
) -> tuple[list[tuple[Level, Condition | None]], list[str]]:
    """Each level's condition in force for this episode, and notes saying why one changed: without a
    baseline a level reads its absolute criterion (or none: not evaluable); with a baseline already
    past the threshold (its absolute criterion held before the dose) it reads `if_preexisting` (a
    further worsening, the patient's own target)."""
    out: list[tuple[Level, Condition | None]] = []
    notes: list[str] = []
    for lv in rule.levels:
        missing = sorted(
            n[5:] for n in lv.when.names if n.startswith("base.") and baselines[n[5:]].value is None
        )
        if missing:
            out.append((lv, lv.no_baseline))
            if lv.no_baseline is not None:
                notes.append(
                    f"no pre-dose {', '.join(missing)}: absolute criterion only ({lv.no_baseline.text})"
                )
        elif lv.if_preexisting is not None and _at_baseline(
            lv.no_baseline or lv.when, env, baselines, before
        ):
            # Pre-existing is judged on the absolute criterion (SpO2 < 88 %), not on the guard
            # against noise that `when` adds to it (and a fall of 4 points).
            out.append((lv, lv.if_preexisting))
            notes.append(
                f"already met before the dose ({(lv.no_baseline or lv.when).text}): "
                f"reading a further worsening ({lv.if_preexisting.text})"
            )
        else:
            out.append((lv, lv.when))
    return out, notes


def signal_rule(
    rules: RuleSet,
    rule: Rule,
    grid: MinuteGrid,
    signals: dict[str, MinuteSignal],
    baselines: dict[str, Baseline],
    goals: dict[str, float],
    episode_start: float,
    w0: float,
    w1: float,
    now: float,
    watch: set[str] | None = None,
) -> list[Finding]:
    if grid.n == 0:
        return []
    conditions = [c for lv in rule.levels for c in (lv.when, lv.no_baseline, lv.if_preexisting) if c]
    env, current = _env(conditions, signals, baselines, goals)
    b0 = rules.windows["baseline"].start.at(episode_start, episode_start)
    b1 = rules.windows["baseline"].end.at(episode_start, episode_start)
    before = slice(max(0, grid.index(b0)), max(0, grid.index(b1)))
    in_force, notes = _level_conditions(rule, env, baselines, before)
    starts = (grid.m0 + np.arange(grid.n)) * MINUTE
    inside = (starts >= math.floor(w0 / MINUTE) * MINUTE) & (starts < w1)
    known = np.ones(grid.n, dtype=bool)
    read = {n for _, c in in_force if c is not None for n in c.names}
    for name in sorted((current & read) - set(rule.optional)):
        present = ~np.isnan(signals[name].values)
        if present.any():  # a signal this patient never sends (a set rate) does not make minutes unknown
            known &= present
    never = np.zeros(grid.n, dtype=bool)
    levels = [(lv, (c(env) & inside & known) if c is not None else never) for lv, c in in_force]
    out = []
    closed_until = math.floor(now / MINUTE) - grid.m0
    last = min(closed_until, grid.n) - 1
    if watch is not None and last >= 0 and any(bool(cond[last]) for _, cond in levels):
        watch.add(rule.id)
    for c in clusters(levels, known | ~inside, rule, rules.rearm_minutes):
        values = {k: value_at(env[k], c.fired) for k in sorted(env) if not k.startswith("target.")}
        obs = []
        for name in sorted(current):
            sig = signals[name]
            for i in range(c.onset, c.fired + 1):
                if sig.series[i] >= 0 and len(obs) < MAX_OBSERVATIONS:
                    obs.append(f"obs:{sig.series[i]}:{sig.sample_ms[i]}")
        out.append(
            Finding(
                rule.id,
                c.severity,
                grid.start_of(c.onset),
                grid.start_of(c.fired + 1),
                grid.start_of(c.last_true + 1),
                closed_until - c.last_true > rules.rearm_minutes,
                message(rule.message, values),
                values,
                tuple(obs),
                tuple(notes),
                severity_rose_at=None if c.rose_at is None else grid.start_of(c.rose_at + 1),
            )
        )
    return out
