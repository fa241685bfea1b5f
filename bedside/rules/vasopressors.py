"""B3's vasopressor doses: each pump channel's rate × drug concentration, summed per agent.

START counts a rise within 6 h of the dose to norepinephrine >= 10 µg/min, epinephrine >= 0.1 µg/kg/min,
dopamine >= 10 µg/kg/min or phenylephrine >= 100 µg/min (START, NCT02097641; Liu et al., Ann Intensive
Care 2014;4:22; rule B3 in resources/rules/infusion-reaction.toml). A pump
reports its rate (MDC_FLOW_FLUID_PUMP_CURRENT, else the programmed MDC_FLOW_FLUID_PUMP, mL/h), the
drug's concentration (MDC_CONC_DRUG 157760, µg/mL) and its drug-library label, which names the agent.
A concentration reported before the label in force belongs to the previous syringe and is not used; the
label's own "4 mg/50 mL" is read instead. With neither, the channel's dose is unknown: never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bedside.clock import to_ms
from bedside.rules.data import DrugStart, PatientData, Samples
from bedside.rules.ruleset import DoseLimit, Rule

RATE_PARAMETERS = ("pump_rate_current", "pump_rate")
"""The pump's delivered rate first: the programmed one differs during a bolus or a hold."""
CONCENTRATION = "pump_drug_conc"
PUMP_PARAMETERS = (*RATE_PARAMETERS, CONCENTRATION)


class Agents:
    """Which vasopressor a drug-library label names: whole words, the longest name first (so that
    "norepinephrine" is not read as "epinephrine"), other names mapped to one agent."""

    def __init__(self, rule: Rule) -> None:
        self._canonical = {a: a for a in rule.agents} | dict(rule.synonyms)
        names = sorted(self._canonical, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![a-z])(" + "|".join(map(re.escape, names)) + r")(?![a-z])")

    def of(self, label: str) -> str | None:
        m = self._pattern.search(label.lower())
        return self._canonical[m.group(1)] if m else None


_LABEL_CONCENTRATION = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(mg|mcg|µg|ug|micrograms?|milligrams?)\s*(?:/|in|per)\s*(\d+(?:[.,]\d+)?)?\s*ml\b",
    re.IGNORECASE,
)


def label_concentration(label: str) -> float | None:
    """µg/mL from a label such as "Noradrenaline 4 mg/50 mL" (80) or "Phenylephrine 100 mcg/mL"."""
    m = _LABEL_CONCENTRATION.search(label)
    if m is None:
        return None
    amount = float(m[1].replace(",", "."))
    if m[2].lower().startswith(("mg", "milli")):
        amount *= 1000.0
    volume = float(m[3].replace(",", ".")) if m[3] else 1.0
    return amount / volume if volume > 0 else None


@dataclass(frozen=True)
class DoseRise:
    """An agent's total dose at or above its limit after the start, having been below it at the start."""

    agent: str
    limit: DoseLimit
    at: float
    until: float
    """The last moment at or above the limit (the window's end while it still is)."""
    above_now: bool
    peak: float
    at_start: float
    refs: tuple[str, ...]
    """The rate and concentration samples in force when it first reached the limit."""


@dataclass(frozen=True)
class _Channel:
    rate: Samples
    concentration: Samples | None


def _channels(data: PatientData) -> dict[tuple[str, str], _Channel]:
    out: dict[tuple[str, str], _Channel] = {}
    concentrations = {(s.device, s.channel): s for s in data.parameters.get(CONCENTRATION, [])}
    for parameter in reversed(RATE_PARAMETERS):  # the delivered rate replaces the programmed one
        for s in data.parameters.get(parameter, []):
            key = (s.device, s.channel)
            out[key] = _Channel(s, concentrations.get(key))
    return out


def _at(times: npt.NDArray[np.float64], when: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Index of the sample in force at each of `when` (-1 before the first)."""
    return np.searchsorted(times, when, side="right") - 1


class _Doses:
    """Each channel's agent and dose (µg/min, NaN unknown) at a set of times."""

    def __init__(self, agents: Agents, data: PatientData, when: npt.NDArray[np.float64]) -> None:
        labels: dict[str, list[DrugStart]] = {}
        for d in sorted(data.drugs, key=lambda d: d.at):
            labels.setdefault(d.device, []).append(d)
        self.channels: list[
            tuple[_Channel, npt.NDArray[np.object_], npt.NDArray[np.float64], npt.NDArray[np.float64]]
        ] = []
        for (device, _), ch in sorted(_channels(data).items()):
            starts = labels.get(device, [])
            if not starts:
                continue  # no label: which drug runs is unknown
            label_at = np.array([d.at for d in starts])
            names = np.array([agents.of(d.label) for d in starts] + [None], dtype=object)
            from_label = np.array([label_concentration(d.label) or np.nan for d in starts] + [np.nan])
            li = _at(label_at, when)  # -1 picks the trailing None / NaN
            agent = names[li]
            conc = from_label[li]
            if ch.concentration is not None and len(ch.concentration.times):
                ci = _at(ch.concentration.times, when)
                sent = ch.concentration.times[np.maximum(ci, 0)]
                # Sent with or after the label in force (the same message carries both).
                fresh = (ci >= 0) & (li >= 0) & (sent >= label_at[np.maximum(li, 0)] - 1.0)
                conc = np.where(fresh, ch.concentration.values[np.maximum(ci, 0)], conc)
            ri = _at(ch.rate.times, when)
            rate = np.where(ri >= 0, ch.rate.values[np.maximum(ri, 0)].astype(np.float64), np.nan)
            dose = np.where(rate <= 0, 0.0, rate * conc / 60.0)  # mL/h × µg/mL → µg/min
            self.channels.append((ch, agent, dose, rate))
        self.when = when

    def total(self, agent: str) -> npt.NDArray[np.float64]:
        out = np.zeros(len(self.when))
        for _, names, dose, _rate in self.channels:
            out += np.where((names == agent) & ~np.isnan(dose), dose, 0.0)
        return out

    def running(self, agents: tuple[str, ...]) -> tuple[npt.NDArray[np.float64], list[set[str]]]:
        """How many of `agents` some channel delivers (rate > 0) at each time, and which."""
        which: list[set[str]] = [set() for _ in self.when]
        for _, names, _dose, rate in self.channels:
            for i in np.flatnonzero(rate > 0):
                if names[i] in agents:
                    which[i].add(names[i])
        return np.array([len(w) for w in which], dtype=np.float64), which

    def refs(self, agent: str, i: int, rate_only: bool = False) -> tuple[str, ...]:
        """The samples in force at `when[i]` on the agent's delivering channels: rate and
        concentration of those with a known dose, or (`rate_only`) the rate of any running one."""
        out = []
        for ch, names, dose, rate in self.channels:
            if names[i] != agent or not (rate[i] > 0 if rate_only else dose[i] > 0):
                continue
            for s in (ch.rate,) if rate_only else (ch.rate, ch.concentration):
                if s is not None and len(s.times):
                    j = int(_at(s.times, self.when[i : i + 1])[0])
                    if j >= 0:
                        out.append(f"obs:{s.series_id}:{to_ms(float(s.times[j]))}")
        return tuple(out)


def dose_rises(
    rule: Rule,
    data: PatientData,
    start: float,
    weight_kg: float | None,
    w0: float,
    w1: float,
    rearm_seconds: float,
) -> list[DoseRise]:
    """Rises of each agent's total dose to its limit within [w0, w1] (w1 no later than now). An agent
    already at its limit at the start has not risen to it; a limit in µg/kg/min needs the weight."""
    limits = [x for x in rule.dose_limits if not x.per_kg or weight_kg]
    if not limits or w1 < w0:
        return []
    when = _times(data, start, w0, w1)
    doses = _Doses(Agents(rule), data, when)
    if not doses.channels:
        return []
    i0 = int(np.searchsorted(when, w0))
    out = []
    for limit in limits:
        total = doses.total(limit.agent)
        if limit.per_kg:
            total = total / float(weight_kg or 1.0)
        at_start = float(total[int(np.searchsorted(when, start))])
        if at_start >= limit.at_least:
            continue
        out += _rises(limit, when[i0:], total[i0:], at_start, w1, rearm_seconds, doses, i0)
    return out


def _spans(
    values: npt.NDArray[np.float64], at_least: float, when: npt.NDArray[np.float64], end: float, rearm: float
) -> list[tuple[int, float, bool]]:
    """(first index, until, still at or above) of each span of `values` >= `at_least`; a fall shorter
    than the re-arm period does not end a span."""
    above = values >= at_least
    out: list[list] = []  # type: ignore[type-arg]
    for i in np.flatnonzero(np.diff(np.concatenate(([False], above, [False])).astype(np.int8))):
        if i < len(when) and above[i]:  # a rise
            if out and not out[-1][2] and when[i] - out[-1][1] <= rearm:
                out[-1][2] = True  # back up before re-arming: the same span
            else:
                out.append([int(i), float(when[i]), True])
        elif out:  # a fall, or the window's end while still above
            out[-1][2] = i >= len(when)
            out[-1][1] = float(end) if i >= len(when) else float(when[i])
    return [(a, b, c) for a, b, c in out]


def _rises(
    limit: DoseLimit,
    when: npt.NDArray[np.float64],
    total: npt.NDArray[np.float64],
    at_start: float,
    end: float,
    rearm_seconds: float,
    doses: _Doses,
    offset: int,
) -> Iterable[DoseRise]:
    rises = []
    for first, until, above in _spans(total, limit.at_least, when, end, rearm_seconds):
        span = (when >= when[first]) & (when <= until)
        rises.append(
            DoseRise(
                limit.agent,
                limit,
                float(when[first]),
                until,
                above,
                float(np.max(total[span])),
                at_start,
                doses.refs(limit.agent, first + offset),
            )
        )
    return rises


@dataclass(frozen=True)
class ThirdAgent:
    """A third vasopressor agent delivered at once, when fewer ran at the start."""

    at: float
    until: float
    above_now: bool
    agents: tuple[str, ...]
    refs: tuple[str, ...]


def third_agents(
    rule: Rule, data: PatientData, start: float, w0: float, w1: float, rearm_seconds: float
) -> list[ThirdAgent]:
    """START's "or a 3rd vasopressor": three agents delivered by pumps (rate > 0) at the same time.
    Usually also a new agent; not when the third one had run in the 6 h before the dose."""
    if not rule.third_agent or w1 < w0:
        return []
    when = _times(data, start, w0, w1)
    doses = _Doses(Agents(rule), data, when)
    count, which = doses.running(rule.agents)
    if not doses.channels or count[int(np.searchsorted(when, start))] >= 3:
        return []
    i0 = int(np.searchsorted(when, w0))
    out = []
    for first, until, above in _spans(count[i0:], 3, when[i0:], w1, rearm_seconds):
        i = first + i0
        refs = tuple(r for agent in sorted(which[i]) for r in doses.refs(agent, i, rate_only=True))
        out.append(ThirdAgent(float(when[i]), until, above, tuple(sorted(which[i])), refs))
    return out


def _times(data: PatientData, start: float, w0: float, w1: float) -> npt.NDArray[np.float64]:
    """The moments a dose can change: each pump report and label change in the window, and the start."""
    times = [np.array([start, w0])]
    for parameter in PUMP_PARAMETERS:
        times += [s.times[(s.times >= w0) & (s.times <= w1)] for s in data.parameters.get(parameter, [])]
    times.append(np.array([d.at for d in data.drugs if w0 <= d.at <= w1]))
    return np.unique(np.concatenate(times))
