"""The rule engine: one episode's data in, its findings out. Pure and stateless.

Each evaluation recomputes the episode's windows from the data (1-min medians, baselines, persistence,
re-arming), so a late value, a corrected lab result or an edited start time simply gives a new answer,
and live ingest, `bedside-cli import` and `rules replay` agree by construction. What is new relative to
the alerts already raised is decided by `bedside.alerts.reconcile`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from bedside.episodes import InfusionEpisode
from bedside.rules.baselines import Baseline, baselines_json, episode_baselines, parse_baselines
from bedside.rules.composites import composite_rule
from bedside.rules.data import PatientData
from bedside.rules.events import documented_events, drug_rule, event_rule
from bedside.rules.findings import Finding
from bedside.rules.labs import lab_rule
from bedside.rules.minutes import MinuteGrid, MinuteSignal, minute_signals
from bedside.rules.ruleset import Rule, RuleSet
from bedside.rules.signal_rules import signal_rule
from bedside.rules.targets import targets
from bedside.rules.technical import sensor_findings, stale_feed, stream_stops
from bedside.rules.watching import not_evaluable

# Re-exported: the screens and the stores read baselines from here.
__all__ = ["Baseline", "Evaluation", "Finding", "baselines_json", "evaluate", "parse_baselines"]

MINUTE = 60.0
HOUR = 3600.0


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


@dataclass
class _Episode:
    """What every rule of one evaluation reads: the episode, its data on the minute grid, its baselines
    and targets, and the findings of the rules evaluated before (composites read those)."""

    rules: RuleSet
    episode: InfusionEpisode
    data: PatientData
    grid: MinuteGrid
    signals: dict[str, MinuteSignal]
    baselines: dict[str, Baseline]
    goals: dict[str, float]
    now: float
    findings: dict[str, Finding] = field(default_factory=dict)
    watch: set[str] = field(default_factory=set)


Evaluator = Callable[[_Episode, Rule, float, float], list[Finding]]
"""One rule kind's evaluation over the rule's window [w0, w1)."""


def _signal(e: _Episode, rule: Rule, w0: float, w1: float) -> list[Finding]:
    return signal_rule(
        e.rules, rule, e.grid, e.signals, e.baselines, e.goals, e.episode.start, w0, w1, e.now, e.watch
    )


def _lab(e: _Episode, rule: Rule, w0: float, w1: float) -> list[Finding]:
    return lab_rule(e.rules, rule, e.episode, e.data, e.signals, e.grid, w0, min(w1, e.now), e.findings)


def _alarm(e: _Episode, rule: Rule, w0: float, w1: float) -> list[Finding]:
    events = [(a.at, a.event, f"alarm:{a.id}") for a in e.data.alarms]
    return event_rule(e.rules, rule, events, w0, w1, e.now)


def _drug(e: _Episode, rule: Rule, w0: float, w1: float) -> list[Finding]:
    return drug_rule(e.rules, rule, e.episode, e.data, w0, w1, e.now)


def _documented(e: _Episode, rule: Rule, w0: float, w1: float) -> list[Finding]:
    return event_rule(e.rules, rule, documented_events(rule, e.data), w0, w1, e.now)


def _composite(e: _Episode, rule: Rule, w0: float, w1: float) -> list[Finding]:
    return composite_rule(e.rules, rule, e.findings, w0, min(w1, e.now), e.now)


EVALUATORS: dict[str, Evaluator] = {
    "signal": _signal,
    "lab": _lab,
    "pf": _lab,
    "alarm": _alarm,
    "drug": _drug,
    "documented": _documented,
    "composite": _composite,
}


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
    baselines = episode_baselines(rules, episode, signals, grid)
    goals = targets(
        dict(episode.targets),
        baselines["spo2"].value if "spo2" in baselines else None,
        baselines["abp_mean"].value if "abp_mean" in baselines else None,
    )
    e = _Episode(rules, episode, data, grid, signals, baselines, goals, now)
    # In the rule set's order: a composite reads the findings of the rules listed before it.
    for rule in rules.rules:
        w0, w1 = _window(rules, rule.window, episode, next_start, now)
        for f in EVALUATORS[rule.kind](e, rule, w0, w1):
            e.findings[f"{f.rule_id}@{f.onset}"] = f
    silent = {r.id for r in rules.rules if not r.alert}  # components of composites only
    out = [f for f in e.findings.values() if f.rule_id not in silent]
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
        frozenset(e.watch),
        not_evaluable(rules, baselines),
    )
