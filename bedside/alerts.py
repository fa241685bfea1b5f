"""Alerts: what an evaluation's findings mean for the alerts already raised.

An alert goes raised → acknowledged (who, when, comment) → resolved. There is never a second open alert
for the same rule and episode; a rule that has re-armed (30 min below threshold) may raise a new one.
Alerts are never deleted: when a re-evaluation (a corrected lab result, an edited start time) no longer
supports one, it is annotated and resolved, and the safety log says why.

One reaction is one clinical problem: a composite alert (anaphylaxis-like, CRS-like, START event)
carries its components, and the alerts of the same episode that belong to the reaction are folded
under it (`fold`), so a nurse acknowledges the problem once and still sees every part of it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bedside.model import PatientRef
from bedside.rules.engine import Finding
from bedside.rules.messages import shown_message, shown_title
from bedside.rules.ruleset import RuleSet, severity_rank
from bedside.users import SignedBy


class AlertState(enum.StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


NOT_STORED = 0
"""The id of an alert decided but not stored yet (the store's ids start at 1)."""


@dataclass(frozen=True)
class Alert:
    """An alert: the one shape of it. What reconciliation and escalation decide on, what a change
    raises (`bedside.alert_changes.RaiseAlert`, its id `NOT_STORED` until the store gives it one),
    what the screens show, what the CLI lists (`as_json`) and what an alarm manager is sent."""

    id: int
    episode_id: int
    rule_id: str
    severity: str
    state: AlertState
    onset: float
    fired_at: float
    last_true: float
    raised_at: float
    """Wall-clock time it was raised (data time for an import)."""
    observations: tuple[str, ...] = ()
    escalated_at: float | None = None
    on_import: bool = False
    components: tuple[str, ...] = ()
    """A composite's component rules (empty for a rule of its own)."""
    acked_at: float | None = None
    folded_into: int | None = None
    acked_by: str = ""
    patient: PatientRef | None = None
    """The patient it was raised for."""
    dose: int = 0
    """The dose number of its episode."""
    title: str = ""
    message: str = ""
    ruleset: str = ""
    ruleset_digest: str = ""
    grading: str = ""
    start_unconfirmed: bool = False
    """Raised while the dose's start time was not confirmed (the message says so)."""
    detail: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """The finding's values and notes as raised (JSON)."""
    annotation: str = ""
    ack_comment: str = ""
    resolved_at: float | None = None
    resolved_reason: str = ""
    latency_ms: float | None = None
    """Commit of the triggering message to this alert's log entry (diagnostics)."""
    ack_signature: SignedBy | None = None
    """The acknowledger's signature, from the safety log, where a screen read it (None: not
    acknowledged, not read, or acknowledged before acknowledgements were signed)."""

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None

    def title_text(self, rules: RuleSet) -> str:
        """The title a person reads, in the screen's language (what is stored is English)."""
        return shown_title(rules, self.rule_id, self.title)

    def message_text(self, rules: RuleSet) -> str:
        """The message a person reads, in the screen's language and its decimal separator."""
        return shown_message(rules, self.rule_id, self.message)

    def as_json(self) -> dict[str, Any]:
        """The alert as `bedside-cli alerts` prints it (JSON) and the validation report reads it."""
        a = self
        return {
            "id": a.id,
            "patient": str(a.patient) if a.patient is not None else "",
            "episode_id": a.episode_id,
            "dose": a.dose,
            "rule_id": a.rule_id,
            "title": a.title,
            "ruleset": a.ruleset,
            "ruleset_digest": a.ruleset_digest,
            "grading": a.grading,
            "severity": a.severity,
            "state": a.state.value,
            "onset": a.onset,
            "fired_at": a.fired_at,
            "last_true": a.last_true,
            "raised_at": a.raised_at,
            "message": a.message,
            "start_unconfirmed": a.start_unconfirmed,
            "raised_on_import": a.on_import,
            "observations": list(a.observations),
            "detail": dict(a.detail),
            "annotation": a.annotation or None,
            "acknowledged_by": a.acked_by or None,
            "acknowledged_at": a.acked_at,
            "ack_comment": a.ack_comment or None,
            "escalated_at": a.escalated_at,
            "resolved_at": a.resolved_at,
            "resolved_reason": a.resolved_reason or None,
            "latency_ms": a.latency_ms,
            "folded_into": a.folded_into,
            "components": list(a.components),
        }


@dataclass(frozen=True)
class Raise:
    finding: Finding


@dataclass(frozen=True)
class Update:
    alert_id: int
    finding: Finding
    severity_rose: bool = False


@dataclass(frozen=True)
class Resolve:
    alert_id: int
    reason: str


@dataclass(frozen=True)
class Annotate:
    alert_id: int
    text: str


@dataclass(frozen=True)
class Escalate:
    alert_id: int
    minutes: float


Action = Raise | Update | Resolve | Annotate | Escalate


@dataclass
class _Match:
    alert: Alert
    findings: list[Finding] = field(default_factory=list)


def _overlaps(a: Alert, f: Finding, slack: float) -> bool:
    if set(a.observations) & set(f.observations) and any(o.startswith("lab:") for o in f.observations):
        return True
    return a.onset <= f.last_true + slack and f.onset <= a.last_true + slack


def reconcile(
    existing: list[Alert],
    findings: list[Finding],
    now: float,
    rearm_seconds: float,
    escalation_minutes: dict[str, float],
    current_labs: set[str] | None = None,
) -> list[Action]:
    """The actions that bring the stored alerts of one episode in line with a fresh evaluation.

    `current_labs` (lab:<id> of every current result version) tells which lab observations an alert was
    raised on have since been corrected, so the alert can be annotated with what changed.
    """
    actions: list[Action] = []
    matched: set[int] = set()
    by_rule: dict[str, list[Alert]] = {}
    for a in sorted(existing, key=lambda a: a.onset):
        by_rule.setdefault(a.rule_id, []).append(a)
    for f in findings:
        candidates = [a for a in by_rule.get(f.rule_id, []) if _overlaps(a, f, slack=60.0)]
        if not candidates:
            # No duplicate while one is open: an open alert of this rule that this finding does not
            # continue has re-armed, so it is resolved before the new one is raised.
            for a in by_rule.get(f.rule_id, []):
                if a.state is not AlertState.RESOLVED and a.id not in matched and a.last_true < f.onset:
                    actions.append(Resolve(a.id, "condition cleared (re-armed)"))
                    matched.add(a.id)
            actions.append(Raise(f))
            continue
        a = candidates[-1]
        matched.update(c.id for c in candidates)
        rose = severity_rank(f.severity) > severity_rank(a.severity)
        corrected = _corrected(a, current_labs)
        if corrected:
            actions.append(
                Annotate(
                    a.id,
                    f"re-evaluated after a lab correction (OBX-11 C): still meets {f.rule_id}; {f.message}",
                )
            )
        if rose or f.last_true != a.last_true or set(f.observations) != set(a.observations):
            actions.append(Update(a.id, f, severity_rose=rose))
        if f.cleared and a.state is not AlertState.RESOLVED:
            reason = "feed back" if f.rule_id == "STALE" else "condition cleared for the re-arm period"
            actions.append(Resolve(a.id, reason))
    for rule_alerts in by_rule.values():
        for a in rule_alerts:
            if a.id in matched or a.state is AlertState.RESOLVED:
                continue
            if _corrected(a, current_labs):
                actions.append(
                    Annotate(a.id, "re-evaluated after a lab correction (OBX-11 C): no longer meets the rule")
                )
                actions.append(Resolve(a.id, "corrected result no longer meets the rule"))
            else:
                actions.append(Annotate(a.id, "no longer met on re-evaluation (start time or data changed)"))
                actions.append(Resolve(a.id, "not supported on re-evaluation"))
    resolved = {x.alert_id for x in actions if isinstance(x, Resolve)}
    actions += escalations((a for a in existing if a.id not in resolved), now, escalation_minutes)
    return actions


def escalations(
    alerts: Iterable[Alert], now: float, escalation_minutes: Mapping[str, float]
) -> list[Escalate]:
    """The alerts due for escalation: raised live, still unacknowledged past their severity's limit,
    and not escalated yet. The one decision for both places that escalate: an evaluation of the
    episode (`reconcile`) and the runner's tick, which escalates without evaluating any data."""
    out = []
    for a in alerts:
        limit = escalation_minutes.get(a.severity)
        if (
            limit is not None
            and a.state is AlertState.RAISED
            and a.escalated_at is None
            and a.folded_into is None  # a folded alert escalates with its problem
            and not a.on_import
            and now - a.raised_at >= limit * 60.0
        ):
            out.append(Escalate(a.id, limit))
    return out


def _corrected(a: Alert, current_labs: set[str] | None) -> bool:
    if current_labs is None:
        return False
    return any(o.startswith("lab:") and o not in current_labs for o in a.observations)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> bool:
    return a0 <= b1 and b0 <= a1


@dataclass
class _Problem:
    root: Alert
    onset: float
    last_true: float
    components: set[str]


def fold(alerts: list[Alert], foldable: set[str]) -> dict[int, int | None]:
    """Which problem (the id of its first composite alert) each alert of one episode is folded under.

    A composite starts a problem; a later composite that shares a component with it, is one of its
    components or overlaps it in time joins it (C1 inside C3, CRS-like beside the START event: one
    reaction). Any other alert of a `foldable` rule (not technical, not a lab result) folds under the
    earliest problem whose components name its rule or whose time it overlaps. An alert raised after
    the problem was acknowledged is never folded under it: something new needs its own acknowledgement.
    """
    out: dict[int, int | None] = {a.id: None for a in alerts}
    problems: list[_Problem] = []

    def joins(a: Alert, p: _Problem) -> bool:
        if p.root.acked_at is not None and a.raised_at > p.root.acked_at:
            return False
        named = a.rule_id in p.components or bool(set(a.components) & (p.components | {p.root.rule_id}))
        return named or _overlap(a.onset, a.last_true, p.onset, p.last_true)

    for a in sorted((x for x in alerts if x.components), key=lambda x: x.id):
        p = next((p for p in problems if joins(a, p)), None)
        if p is None:
            problems.append(_Problem(a, a.onset, a.last_true, set(a.components)))
            continue
        out[a.id] = p.root.id
        p.onset, p.last_true = min(p.onset, a.onset), max(p.last_true, a.last_true)
        p.components |= {a.rule_id, *a.components}
    for a in alerts:
        if a.components or a.rule_id not in foldable:
            continue
        p = next((p for p in problems if joins(a, p)), None)
        if p is not None:
            out[a.id] = p.root.id
    return out
