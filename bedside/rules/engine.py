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
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from bedside.episodes import InfusionEpisode
from bedside.rules.data import LabPoint, PatientData
from bedside.rules.expr import Condition
from bedside.rules.findings import Finding
from bedside.rules.minutes import MinuteGrid, MinuteSignal, minute_signals, shifted
from bedside.rules.ruleset import Level, Rule, RuleSet, severity_rank
from bedside.rules.targets import targets
from bedside.rules.technical import sensor_findings, stale_feed, stream_stops
from bedside.rules.vasopressors import Agents, dose_rises, third_agents
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
        hi = min(hi, next_start)  # the next dose takes over (§(e)7)
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
            found = _lab_rule(rules, rule, episode, data, signals, grid, w0, min(w1, now), findings)
        elif rule.kind == "alarm":
            found = _event_rule(
                rules, rule, [(a.at, a.event, f"alarm:{a.id}") for a in data.alarms], w0, w1, now
            )
        elif rule.kind == "drug":
            found = _drug_rule(rules, rule, episode, data, w0, w1, now)
        elif rule.kind == "documented":
            found = _event_rule(rules, rule, _documented(rule, data), w0, w1, now)
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


# ---- persistence and re-arming -------------------------------------------------------------------


@dataclass
class _Cluster:
    onset: int
    fired: int
    last_true: int
    severity: str
    rose_at: int | None


def _fired_runs(
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


def _clusters(
    levels: list[tuple[Level, npt.NDArray[np.bool_]]],
    known: npt.NDArray[np.bool_],
    rule: Rule,
    rearm: int,
) -> list[_Cluster]:
    any_true = np.zeros(len(known), dtype=bool)
    fired: list[tuple[int, int, str]] = []
    for level, cond in levels:
        any_true |= cond
        minutes = level.minutes or rule.minutes
        for s, f in _fired_runs(cond, known, minutes, max(rule.apart, minutes)):
            fired.append((s, f, level.severity))
    if not fired:
        return []
    fired.sort(key=lambda x: x[1])
    trues = np.flatnonzero(any_true)
    out: list[_Cluster] = []
    for s, f, sev in fired:
        if out and s - out[-1].last_true <= rearm:
            c = out[-1]  # same alert: not re-armed yet
            if severity_rank(sev) > severity_rank(c.severity):
                c.severity, c.rose_at = sev, f
        else:
            out.append(_Cluster(s, f, f, sev, None))
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
    for c in _clusters(levels, known | ~inside, rule, rules.rearm_minutes):
        values = {k: _at(env[k], c.fired) for k in sorted(env) if not k.startswith("target.")}
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
                _message(rule.message, values),
                values,
                tuple(obs),
                tuple(notes),
                severity_rose_at=None if c.rose_at is None else grid.start_of(c.rose_at + 1),
            )
        )
    return out


def _at(x: object, i: int) -> float | None:
    arr = np.asarray(x, dtype=float)
    v = float(arr) if arr.ndim == 0 else float(arr[i])
    return None if math.isnan(v) else round(v, 2)


_FIELD = re.compile(r"\{([A-Za-z0-9_.]+)\}")


_NO_BASE = re.compile(
    r"(?:the )?pre-dose \{(base\.[A-Za-z0-9_]+)\}(?:(?:/min| ?°C| ?mmHg| ?mL| ?%)(?=[\s,.;)]))?"
)


def _message(template: str, values: dict[str, object]) -> str:
    def no_base(m: re.Match[str]) -> str:
        return "no pre-dose value" if values.get(m.group(1)) is None else m.group(0)

    def sub(m: re.Match[str]) -> str:
        v = values.get(m.group(1))
        if v is None:
            return "no pre-dose value" if m.group(1).startswith("base") else "n/a"
        if isinstance(v, float):
            return f"{v:g}"
        return str(v)

    return _FIELD.sub(sub, _NO_BASE.sub(no_base, template))


# ---- lab and P/F rules ---------------------------------------------------------------------------


def _pf_points(rules: RuleSet, data: PatientData) -> list[LabPoint]:
    """P/F from each PaO2 and the FiO2 in force at the sample time (the last FiO2 in the 30 min before;
    derived, never stored). FiO2 is stored in %, P/F uses it as a fraction."""
    spec = rules.signals.get("fio2")
    if spec is None:
        return []
    samples = [s for p in spec.parameters for s in data.parameters.get(p, [])]
    if not samples:
        return []
    t = np.concatenate([s.times for s in samples])
    v = np.concatenate([s.values for s in samples]).astype(np.float64)
    ok = np.isfinite(v) & (v >= 21) & (v <= 100)
    t, v = t[ok], v[ok]
    order = np.argsort(t, kind="stable")
    t, v = t[order], v[order]
    out = []
    for p in data.labs.get("pao2", []):
        i = int(np.searchsorted(t, p.at, side="right")) - 1
        if i < 0 or p.at - t[i] > 30 * MINUTE:
            continue
        out.append(
            LabPoint(p.id, p.at, round(p.value / (v[i] / 100.0)), status=p.status, corrects=p.corrects)
        )
    return out


def _lab_rule(
    rules: RuleSet,
    rule: Rule,
    ep: InfusionEpisode,
    data: PatientData,
    signals: dict[str, MinuteSignal],
    grid: MinuteGrid,
    w0: float,
    w1: float,
    earlier: dict[str, Finding],
) -> list[Finding]:
    notes: list[str] = []
    unit = ""
    if rule.kind == "pf":
        points = _pf_points(rules, data)
    else:
        points, unit = _lab_points(rule, data, notes)
    stable = 1.0
    if rule.exclude_specimens:
        # A haemolysed sample's LDH is high because the sample is: neither a rise nor a baseline.
        kept = [p for p in points if not set(p.specimen.upper().split("~")) & set(rule.exclude_specimens)]
        if len(kept) < len(points):
            which = "/".join(rule.exclude_specimens)
            notes.append(f"{len(points) - len(kept)} result(s) from a {which} specimen not read")
        points = kept
    points = sorted(points, key=lambda p: p.at)
    if rule.kind == "pf":  # last ABG in [T0-6 h, T0]; unstable if P/F fell >= 20% in the 12 h before
        before = [p for p in points if ep.start - 6 * HOUR <= p.at <= ep.start]
        base = before[-1].value if before else math.nan
        prior = [p.value for p in points if ep.start - 12 * HOUR <= p.at <= ep.start]
        if before and prior and base <= 0.8 * max(prior):
            notes.append("baseline P/F unstable (fell >= 20% in the 12 h before the dose): lower confidence")
            stable = 0.0
    else:  # last result in [T0-24 h, T0], up to 72 h with a warning
        before = [p for p in points if ep.start - 24 * HOUR <= p.at <= ep.start]
        if not before:
            before = [p for p in points if ep.start - 72 * HOUR <= p.at <= ep.start]
            if before:
                notes.append("pre-dose result older than 24 h")
        base = before[-1].value if before else math.nan
    if math.isnan(base):
        notes.append(f"no pre-dose {rule.analyte}: absolute thresholds only")
    escalate = any(f.rule_id in rule.escalate_with for f in earlier.values())
    out = []
    open_: Finding | None = None
    for p in points:
        if not (w0 <= p.at <= w1):
            continue
        # `hours`: since the end of the infusion (negative while it runs); `stable`: a baseline that
        # did not fall >= 20% in the 12 h before (the TRALI 2019 test), 0 without a baseline.
        env = {
            "value": p.value,
            "base": base,
            "uln": p.upper_limit,
            "hours": (p.at - ep.end_or(p.at)) / HOUR,
            "stable": 0.0 if math.isnan(base) else stable,
        }
        met = [lv.severity for lv in rule.levels if bool(lv.when(env))]
        if not met:
            if open_ is not None:
                out.append(Finding(**{**open_.__dict__, "cleared": True}))
                open_ = None
            continue
        severity = max(met, key=severity_rank)
        extra = ()
        if escalate and severity_rank(severity) < 2:
            severity, extra = (
                "high",
                (f"raised to high: {', '.join(rule.escalate_with)} alert in this episode",),
            )
        values = {"value": p.value, "base": None if math.isnan(base) else base}
        values["uln"] = None if math.isnan(p.upper_limit) else p.upper_limit
        f = Finding(
            rule.id,
            severity,
            p.at,
            p.at,
            p.at,
            False,
            _message(rule.message, {**values, "unit": unit}),  # type: ignore[arg-type]
            values,  # type: ignore[arg-type]
            (f"lab:{p.id}",),
            tuple(notes) + extra,
        )
        if open_ is None:
            open_ = f
        else:  # the same open alert: the newer result keeps it open
            open_ = Finding(
                **{
                    **open_.__dict__,
                    "last_true": p.at,
                    "severity": max(open_.severity, severity, key=severity_rank),
                    "observations": open_.observations + f.observations,
                }
            )
    if open_ is not None:
        out.append(open_)
    return out


_LAB_UNITS = {"ddimer_feu": " mg/L FEU", "ddimer_ddu": " ng/mL DDU"}


def _lab_points(rule: Rule, data: PatientData, notes: list[str]) -> tuple[list[LabPoint], str]:
    """The results a lab rule reads, and the unit they are read in. Results of several bases of one
    measurand (D-dimer FEU and DDU) are never converted into each other (the factor is assay
    dependent): where they do not share one, each is read as a ratio to its own lab's upper limit."""
    analytes = rule.analytes or (rule.analyte,)
    present = {a: data.labs.get(a, []) for a in analytes if data.labs.get(a)}
    if len(present) <= 1:
        a, points = next(iter(present.items()), (rule.analyte, []))
        return list(points), _LAB_UNITS.get(a, "")
    out = []
    for points in present.values():
        for p in points:
            if math.isnan(p.upper_limit) or p.upper_limit <= 0:
                continue
            out.append(replace(p, value=round(p.value / p.upper_limit, 2), upper_limit=1.0))
    skipped = sum(len(x) for x in present.values()) - len(out)
    notes.append(f"results in {' and '.join(sorted(present))}: read as a ratio to the upper reference limit")
    if skipped:
        notes.append(f"{skipped} result(s) without an upper reference limit not read")
    return out, " ×ULN"


# ---- device alarms, drugs, composites, stale feeds -----------------------------------------------


def _event_rule(
    rules: RuleSet,
    rule: Rule,
    events: list[tuple[float, str, str]],
    w0: float,
    w1: float,
    now: float,
    severity: str = "",
) -> list[Finding]:
    wanted = {e.upper() for e in rule.events}
    out: list[Finding] = []
    for at, event, ref in sorted(events):
        if not (w0 <= at <= min(w1, now)) or (wanted and event.upper() not in wanted):
            continue
        if out and at - out[-1].last_true <= rules.rearm_minutes * MINUTE:
            prev = out[-1]
            tags = prev.tags
            if rule.confirm_minutes and at - prev.onset >= rule.confirm_minutes * MINUTE:
                tags = tags | {"confirmed"}  # the alarm kept coming back: not a one-off artefact
            out[-1] = Finding(
                **{**prev.__dict__, "last_true": at, "observations": (*prev.observations, ref), "tags": tags}
            )
            continue
        values = {"event": event}
        out.append(
            Finding(
                rule.id,
                severity or rule.levels[-1].severity,
                at,
                at,
                at,
                False,
                _message(rule.message, values),
                {},
                (ref,),
            )
        )
    return [
        Finding(**{**f.__dict__, "cleared": now - f.last_true > rules.rearm_minutes * MINUTE}) for f in out
    ]


# A negation reaches to the end of its clause: "no fever but urticaria on both arms" is urticaria.
_CLAUSE = re.compile(
    r"[.;,:!?\n]|\b(?:but|however|although|though|yet|whereas|while|then|now|later|and then)\b"
)
_NEGATION = re.compile(r"\b(no|not|without|denies|denied|nil|absent|negative for|free of|ruled out)\b")
_NEGATED_AFTER = re.compile(
    r"^\s*(?:is |was |were |are )?(?:absent|none|not seen|negative|resolved|ruled out)\b"
)


def _documented(rule: Rule, data: PatientData) -> list[tuple[float, str, str]]:
    """(time, the term, ref) for each documentation that names one of the rule's terms, not negated in
    its clause ("no urticaria", "urticaria: none" do not count)."""
    out = []
    for d in data.documented:
        text = d.text.lower()
        for term in rule.terms:
            pattern = re.compile(r"\b" + re.escape(term))
            hit = next((m for m in pattern.finditer(text) if not _negated(text, m.start(), m.end())), None)
            if hit is not None:
                out.append((d.at, term, d.ref))
                break
    return out


def _negated(text: str, start: int, end: int) -> bool:
    """Is the mention at text[start:end] negated within its own clause?"""
    breaks = [m.end() for m in _CLAUSE.finditer(text, 0, start)]
    clause_start = breaks[-1] if breaks else 0
    if _NEGATION.search(text, clause_start, start):
        return True
    after = text[end:]
    stop = _CLAUSE.search(after)
    return bool(_NEGATED_AFTER.search(after[: stop.start()] if stop else after))


def _drug_rule(
    rules: RuleSet, rule: Rule, ep: InfusionEpisode, data: PatientData, w0: float, w1: float, now: float
) -> list[Finding]:
    """A vasopressor agent started after the dose that was not running before it, an agent's dose
    risen to its START limit (`dose_limits`), or a third agent delivered at once (`third_agent`)."""
    agents = Agents(rule)
    labels = sorted(data.drugs, key=lambda d: d.at)
    in_force = {d.device: d for d in labels if d.at < ep.start}  # each pump's label at the start
    running_before = {agents.of(d.label) for d in labels if ep.start - 6 * HOUR <= d.at < ep.start}
    running_before |= {agents.of(d.label) for d in in_force.values()}
    events = []
    for d in labels:
        a = agents.of(d.label)
        if a is not None and a not in running_before:
            events.append((d.at, f"a pump started {d.label}", f"drug:{d.id}"))
    # A new agent below START's limits is worth a look, not a START event (its own severity, or none).
    out = (
        _event_rule(rules, rule, events, w0, w1, now, rule.new_agent_severity)
        if rule.new_agent_severity
        else []
    )
    rearm = rules.rearm_minutes * MINUTE

    def span(at: float, until: float, above_now: bool, event: str, values: dict, refs: tuple) -> Finding:  # type: ignore[type-arg]
        cleared = not above_now and now - until > rearm
        message = _message(rule.message, {"event": event})
        return Finding(rule.id, rule.levels[-1].severity, at, at, until, cleared, message, values, refs)

    for r in dose_rises(rule, data, ep.start, ep.weight_kg, w0, min(w1, now), rearm):
        x = r.limit
        event = (
            f"{r.agent} {r.peak:.3g} {x.unit} (START limit {x.at_least:g} {x.unit}; "
            f"{r.at_start:.2g} at the dose start)"
        )
        values = {"dose": round(r.peak, 4), "limit": x.at_least}
        out.append(span(r.at, r.until, r.above_now, event, values, r.refs))
    for a in third_agents(rule, data, ep.start, w0, min(w1, now), rearm):
        event = f"a third agent delivered at once ({', '.join(a.agents)})"
        out.append(span(a.at, a.until, a.above_now, event, {"agents": float(len(a.agents))}, a.refs))
    return _merge_same_onset(rule, out)


def _merge_same_onset(rule: Rule, found: list[Finding]) -> list[Finding]:
    """One finding per moment: a phenylephrine start that is also the third agent is one event, told
    both ways (findings are keyed by rule and onset)."""
    by_onset: dict[float, list[Finding]] = {}
    for f in found:
        by_onset.setdefault(f.onset, []).append(f)
    out = []
    for onset, group in sorted(by_onset.items()):
        if len(group) == 1:
            out.append(group[0])
            continue
        head, _, tail = rule.message.partition("{event}")
        told = [f.message.removeprefix(head).removesuffix(tail) for f in group]
        events = head + "; ".join(dict.fromkeys(told)) + tail
        out.append(
            Finding(
                rule.id,
                max((f.severity for f in group), key=severity_rank),
                onset,
                min(f.fired_at for f in group),
                max(f.last_true for f in group),
                all(f.cleared for f in group),
                events,
                {k: v for f in group for k, v in f.values.items()},
                tuple(dict.fromkeys(o for f in group for o in f.observations)),
            )
        )
    return out


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
    for c in _clusters(levels, known, rule, rules.rearm_minutes):
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
