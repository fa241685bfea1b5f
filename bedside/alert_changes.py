"""What reconciling an episode's alerts changes in the store, and what the safety log says about each
change. `reconcile` decides which alerts are raised, updated, resolved, annotated or escalated; this
module decides how: the times, the texts, the new alert's row, the folding under a composite, and the
typed log entry of every change. The database adapter only writes them, in the order given, each
with its entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bedside.alerts import (
    NOT_STORED,
    Action,
    Alert,
    AlertState,
    Annotate,
    Escalate,
    Raise,
    Resolve,
    Update,
    escalations,
    fold,
)
from bedside.episodes import InfusionEpisode
from bedside.log_entries import (
    ENGINE_ACTOR,
    AlertAnnotated,
    AlertEscalated,
    AlertFolded,
    AlertRaised,
    AlertResolved,
    AlertSeverityRose,
    LogEntry,
)
from bedside.model import PatientRef
from bedside.rules.engine import Finding
from bedside.rules.messages import UNCONFIRMED_SUFFIX
from bedside.rules.ruleset import RuleSet
from bedside.rules.technical import LABELS, is_technical

UNCONFIRMED = UNCONFIRMED_SUFFIX
"""Said by every alert of a dose whose start nobody has confirmed."""


@dataclass(frozen=True)
class Logged:
    entry: LogEntry
    at: float


@dataclass(frozen=True)
class RaiseAlert:
    """An alert to store: `alert` as decided, its id `NOT_STORED` (the store gives it one, and its
    log entries, which name no alert yet, the new id)."""

    alert: Alert
    resolved: tuple[float, str] | None
    """(when, why) for a finding seen only after it was over (an import, an outage): raised, then
    resolved at once."""
    log: tuple[Logged, ...]


@dataclass(frozen=True)
class Refreshed:
    """An open alert's finding goes on: its last true time, observations and message; its severity
    when it rose."""

    alert_id: int
    last_true: float
    observations: tuple[str, ...]
    message: str
    severity: str | None
    log: tuple[Logged, ...]


@dataclass(frozen=True)
class Resolved:
    alert_id: int
    at: float
    reason: str
    log: tuple[Logged, ...]


@dataclass(frozen=True)
class Annotated:
    """A line added to the alert's annotation."""

    alert_id: int
    text: str
    log: tuple[Logged, ...]


@dataclass(frozen=True)
class Escalated:
    alert_id: int
    at: float
    log: tuple[Logged, ...]


@dataclass(frozen=True)
class Folded:
    alert_id: int
    into: int
    log: tuple[Logged, ...]


AlertChange = RaiseAlert | Refreshed | Resolved | Annotated | Escalated | Folded


def alert_title(rules: RuleSet, rule_id: str) -> str:
    if rule_id == "STALE":
        return "Feed stopped"
    if is_technical(rule_id):
        signal = rule_id.removeprefix("TECH_").lower()
        return f"Check the {LABELS.get(signal, signal)} sensor"
    return rules.rule(rule_id).title


def changes(
    actions: Sequence[Action], episode: InfusionEpisode, rules: RuleSet, now: float, on_import: bool = False
) -> list[AlertChange]:
    """The changes that carry out `reconcile`'s actions for one episode, in their order."""
    refs = {"actor": ENGINE_ACTOR, "patient_ref": episode.patient, "episode_id": episode.id}
    out: list[AlertChange] = []
    for act in actions:
        if isinstance(act, Raise):
            out.append(_new_alert(act.finding, episode, rules, now, on_import))
        elif isinstance(act, Update):
            f = act.finding
            rose: tuple[Logged, ...] = ()
            if act.severity_rose:
                entry = AlertSeverityRose(
                    **refs,
                    alert_id=act.alert_id,
                    rule=f.rule_id,
                    severity=f.severity,
                    at=f.severity_rose_at,
                    message=f.message,
                )
                rose = (Logged(entry, now),)
            severity = f.severity if act.severity_rose else None
            message = f.message + _suffix(episode)
            out.append(Refreshed(act.alert_id, f.last_true, tuple(f.observations), message, severity, rose))
        elif isinstance(act, Resolve):
            entry = AlertResolved(**refs, alert_id=act.alert_id, reason=act.reason)
            out.append(Resolved(act.alert_id, now, act.reason, (Logged(entry, now),)))
        elif isinstance(act, Annotate):
            entry = AlertAnnotated(**refs, alert_id=act.alert_id, text=act.text)
            out.append(Annotated(act.alert_id, act.text, (Logged(entry, now),)))
        elif isinstance(act, Escalate):
            out.append(_escalated(act, episode.patient, episode.id, now))
    return out


def refolds(actions: Sequence[Action]) -> bool:
    """Whether the episode's folding must be looked at again after these actions: an alert was raised
    or updated (a composite's time grew, a new part appeared)."""
    return any(isinstance(act, Raise | Update) for act in actions)


def folds(alerts: Sequence[Alert], episode: InfusionEpisode, rules: RuleSet, now: float) -> list[Folded]:
    """Alerts of one episode newly folded under their problem (`bedside.alerts.fold`). Once folded, an
    alert stays where the nurse saw it."""
    parents = fold(list(alerts), foldable(rules))
    out = []
    for a in alerts:
        parent = parents[a.id]
        if a.folded_into is not None or parent is None:
            continue
        entry = AlertFolded(
            actor=ENGINE_ACTOR,
            patient_ref=episode.patient,
            episode_id=episode.id,
            alert_id=a.id,
            into=parent,
            rule=a.rule_id,
        )
        out.append(Folded(a.id, parent, (Logged(entry, now),)))
    return out


def foldable(rules: RuleSet) -> set[str]:
    """Rules whose alerts belong to a reaction: everything but lab results and technical alerts."""
    return {r.id for r in rules.rules if r.kind not in ("lab", "pf")}


def escalations_due(
    alerts: Iterable[Alert], now: float, escalation_minutes: Mapping[str, float]
) -> list[Escalated]:
    """The runner's tick: the alerts due for escalation (`bedside.alerts.escalations`, the rule an
    evaluation also applies), each with its log entry."""
    by_id = {a.id: a for a in alerts}
    due = escalations(by_id.values(), now, escalation_minutes)
    return [_escalated(act, by_id[act.alert_id].patient, by_id[act.alert_id].episode_id, now) for act in due]


def _escalated(act: Escalate, patient: PatientRef | None, episode_id: int, now: float) -> Escalated:
    entry = AlertEscalated(
        actor=ENGINE_ACTOR,
        patient_ref=patient,
        episode_id=episode_id,
        alert_id=act.alert_id,
        after_minutes=act.minutes,
    )
    return Escalated(act.alert_id, now, (Logged(entry, now),))


def _new_alert(
    f: Finding, episode: InfusionEpisode, rules: RuleSet, now: float, on_import: bool
) -> RaiseAlert:
    raised_at = f.fired_at if on_import else now
    actor = ENGINE_ACTOR + (" (import)" if on_import else "")
    raised = AlertRaised(
        actor=actor,
        patient_ref=episode.patient,
        episode_id=episode.id,
        rule=f.rule_id,
        ruleset=rules.label,
        ruleset_digest=rules.digest,
        grading=rules.grading,
        severity=f.severity,
        onset=f.onset,
        fired_at=f.fired_at,
        message=f.message,
        observations=list(f.observations),
        dose=episode.dose_number,
        start_unconfirmed=not episode.confirmed,
    )
    log = [Logged(raised, raised_at)]
    resolved = None
    if f.cleared:
        at = f.last_true + rules.rearm_minutes * 60.0 if on_import else now
        reason = "feed back" if f.rule_id == "STALE" else "condition cleared for the re-arm period"
        resolved = (at, reason)
        entry = AlertResolved(
            actor=ENGINE_ACTOR, patient_ref=episode.patient, episode_id=episode.id, reason=reason
        )
        log.append(Logged(entry, at))
    alert = Alert(
        id=NOT_STORED,
        episode_id=episode.id,
        rule_id=f.rule_id,
        severity=f.severity,
        state=AlertState.RAISED,
        onset=f.onset,
        fired_at=f.fired_at,
        last_true=f.last_true,
        raised_at=raised_at,
        observations=tuple(f.observations),
        on_import=on_import,
        components=tuple(f.components),
        patient=episode.patient,
        dose=episode.dose_number,
        title=alert_title(rules, f.rule_id),
        message=f.message + _suffix(episode),
        ruleset=rules.label,
        ruleset_digest=rules.digest,
        grading=rules.grading,
        start_unconfirmed=not episode.confirmed,
        detail={
            "values": f.values,
            "notes": list(f.notes),
            "severity_rose_at": f.severity_rose_at,
            "components": list(f.components),
        },
    )
    return RaiseAlert(alert, resolved, tuple(log))


def _suffix(episode: InfusionEpisode) -> str:
    return "" if episode.confirmed else UNCONFIRMED
