"""The rule engine: one episode's data in, its findings out. Pure and stateless.

Each evaluation recomputes the episode's windows from the data (1-min medians, baselines, persistence,
re-arming), so a late value, a corrected lab result or an edited start time simply gives a new answer,
and live ingest, `bedside-cli import` and `rules replay` agree by construction. What is new relative to
the alerts already raised is decided by `bedside.alerts.reconcile`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import numpy as np

from bedside.episodes import InfusionEpisode
from bedside.rules.data import PatientData
from bedside.rules.events import documented_events, drug_rule, event_rule
from bedside.rules.expr import Condition
from bedside.rules.findings import Finding
from bedside.rules.labs import lab_rule
from bedside.rules.messages import message, value_at
from bedside.rules.minutes import MinuteGrid, MinuteSignal, minute_signals, shifted
from bedside.rules.persistence import clusters
from bedside.rules.ruleset import Level, Rule, RuleSet
from bedside.rules.targets import targets
from bedside.rules.technical import sensor_findings, stale_feed, stream_stops
from bedside.rules.watching import not_evaluable

MINUTE = 60.0
HOUR = 3600.0
_LAG = re.compile(r"^(lag|lead)(\d+)\.(.+)$")
MAX_OBSERVATIONS = 40
INTERMITTENT_MINUTES = 3
"""Readings this many minutes apart or more (median) are intermittent: a cuff, a manual reading."""
PREEXISTING_SHARE = 0.1
"""A condition that held in this share of the baseline minutes was already there before the dose."""


@dataclass(frozen=True)
class Baseline:
    signal: str
    value: float | None
    method: str
    minutes: int
    """Valid minutes it rests on (median baselines need 20)."""
    note: str = ""


@dataclass
class Evaluation:
    episode_id: int
    findings: list[Finding]
    baselines: dict[str, Baseline]
    evaluated_until: float
    watch: frozenset[str] = frozenset()
    """Signal rules whose condition held in the last closed minute, persistent yet or not: a patient
    to evaluate first when many minutes close at once (the live engine's triage)."""
    unevaluable: dict[str, str] = field(default_factory=dict)
    """Rules that cannot be evaluated for this dose, with why ("no pre-dose fio2"): shown, never silent."""


def _window(rules: RuleSet, name: str, ep: InfusionEpisode, next_start: float | None, now: float):  # type: ignore[no-untyped-def]
    w = rules.windows[name]
    end = ep.end_or(now)
    lo, hi = w.start.at(ep.start, end), w.end.at(ep.start, end)
    if next_start is not None and name != "baseline":
        hi = min(hi, next_start)  # the next dose takes over: what follows it is judged on its baseline
    return lo, hi


def evaluate(
    rules: RuleSet,
    episode: InfusionEpisode,
    data: PatientData,
    now: float,
    next_start: float | None = None,
) -> Evaluation:
    """All findings of `episode` from its data up to `now` (wall clock live, data time on import)."""
    spans = [_window(rules, r.window, episode, next_start, now) for r in rules.rules if r.kind == "signal"]
    lo = min([episode.start - HOUR] + [a for a, _ in spans])
    hi = min(max([episode.start] + [b for _, b in spans]), now)
    m0 = math.floor(lo / MINUTE)
    closed = math.floor(now / MINUTE)  # minutes before this one are complete
    grid = MinuteGrid(m0, max(0, min(math.floor(hi / MINUTE) + 1, closed) - m0))
    signals = minute_signals(data, rules, grid)
    baselines = _baselines(rules, episode, signals, grid)
    goals = targets(
        dict(episode.targets),
        baselines["spo2"].value if "spo2" in baselines else None,
        baselines["abp_mean"].value if "abp_mean" in baselines else None,
    )
    findings: dict[str, Finding] = {}
    watch: set[str] = set()
    for rule in rules.rules:
        w0, w1 = _window(rules, rule.window, episode, next_start, now)
        if rule.kind == "signal":
            found = _signal_rule(
                rules, rule, grid, signals, baselines, goals, episode.start, w0, w1, now, watch
            )
        elif rule.kind in ("lab", "pf"):
            found = lab_rule(rules, rule, episode, data, signals, grid, w0, min(w1, now), findings)
        elif rule.kind == "alarm":
            found = event_rule(
                rules, rule, [(a.at, a.event, f"alarm:{a.id}") for a in data.alarms], w0, w1, now
            )
        elif rule.kind == "drug":
            found = drug_rule(rules, rule, episode, data, w0, w1, now)
        elif rule.kind == "documented":
            found = event_rule(rules, rule, documented_events(rule, data), w0, w1, now)
        else:
            found = _composite_rule(rules, rule, findings, w0, min(w1, now), now)
        for f in found:
            findings[f"{f.rule_id}@{f.onset}"] = f
    silent = {r.id for r in rules.rules if not r.alert}  # components of composites only
    out = [f for f in findings.values() if f.rule_id not in silent]
    if rules.stale is not None:
        tw0, tw1 = _window(rules, rules.stale.window, episode, next_start, now)
        out += stale_feed(rules, data, tw0, min(tw1, now))
        out += stream_stops(rules, data, tw0, min(tw1, now), now)
        out += sensor_findings(rules, signals, grid, tw0, min(tw1, now), now)
    return Evaluation(
        episode.id,
        sorted(out, key=lambda f: (f.fired_at, f.rule_id)),
        baselines,
        now,
        frozenset(watch),
        not_evaluable(rules, baselines),
    )


# ---- baselines ------------------------------------------------------------------------------------


def _baselines(
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


# ---- signal rules --------------------------------------------------------------------------------


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


def _signal_rule(
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


# ---- composites -----------------------------------------------------------------------------------


def _composite_rule(
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
