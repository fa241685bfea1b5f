"""Rules on events: device alarms, what clinicians wrote down, vasopressor pumps."""

from __future__ import annotations

import re

from bedside.episodes import InfusionEpisode
from bedside.rules.data import PatientData
from bedside.rules.findings import Finding
from bedside.rules.messages import message
from bedside.rules.ruleset import Rule, RuleSet, severity_rank
from bedside.rules.vasopressors import Agents, dose_rises, third_agents

MINUTE = 60.0
HOUR = 3600.0


def event_rule(
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
                message(rule.message, values),
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


def documented_events(rule: Rule, data: PatientData) -> list[tuple[float, str, str]]:
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


def drug_rule(
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
        event_rule(rules, rule, events, w0, w1, now, rule.new_agent_severity)
        if rule.new_agent_severity
        else []
    )
    rearm = rules.rearm_minutes * MINUTE

    def span(at: float, until: float, above_now: bool, event: str, values: dict, refs: tuple) -> Finding:  # type: ignore[type-arg]
        cleared = not above_now and now - until > rearm
        text = message(rule.message, {"event": event})
        return Finding(rule.id, rule.levels[-1].severity, at, at, until, cleared, text, values, refs)

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
    return merge_same_onset(rule, out)


def merge_same_onset(rule: Rule, found: list[Finding]) -> list[Finding]:
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
