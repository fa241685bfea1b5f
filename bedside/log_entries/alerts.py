"""Alert entries: raised, severity rose, escalated, folded, acknowledged, annotated, resolved, muted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.log_entries.base import LogEntry


@dataclass(frozen=True, kw_only=True)
class AlertRaised(LogEntry):
    kind: ClassVar[str] = "alert.raised"
    rule: str
    ruleset: str
    ruleset_digest: str
    grading: str
    severity: str
    onset: float
    fired_at: float
    message: str
    observations: Sequence[str]
    dose: int
    start_unconfirmed: bool

    def body(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "ruleset": self.ruleset,
            "ruleset_digest": self.ruleset_digest,
            "grading": self.grading,
            "severity": self.severity,
            "onset": self.onset,
            "fired_at": self.fired_at,
            "message": self.message,
            "observations": list(self.observations),
            "dose": self.dose,
            "start_unconfirmed": self.start_unconfirmed,
        }


@dataclass(frozen=True, kw_only=True)
class AlertSeverityRose(LogEntry):
    kind: ClassVar[str] = "alert.severity"
    rule: str
    severity: str
    at: float | None
    message: str

    def body(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "at": self.at, "message": self.message}


@dataclass(frozen=True, kw_only=True)
class AlertEscalated(LogEntry):
    kind: ClassVar[str] = "alert.escalated"
    after_minutes: float
    why: str = "not acknowledged in time"

    def body(self) -> dict[str, Any]:
        return {"after_minutes": self.after_minutes, "why": self.why}


@dataclass(frozen=True, kw_only=True)
class AlertFolded(LogEntry):
    kind: ClassVar[str] = "alert.folded"
    into: int
    rule: str
    why: str = "part of the reaction the composite alert names"

    def body(self) -> dict[str, Any]:
        return {"into": self.into, "rule": self.rule, "why": self.why}


@dataclass(frozen=True, kw_only=True)
class AlertAcknowledged(LogEntry):
    """`with_alert`: the alert this one was folded under and acknowledged with (None: itself)."""

    kind: ClassVar[str] = "alert.acknowledged"
    comment: str
    rule: str
    severity: str
    with_alert: int | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"comment": self.comment, "rule": self.rule, "severity": self.severity}
        if self.with_alert is not None:
            out["with"] = self.with_alert
        return out


@dataclass(frozen=True, kw_only=True)
class AlertAnnotated(LogEntry):
    kind: ClassVar[str] = "alert.annotated"
    text: str

    def body(self) -> dict[str, Any]:
        return {"text": self.text}


@dataclass(frozen=True, kw_only=True)
class AlertResolved(LogEntry):
    kind: ClassVar[str] = "alert.resolved"
    reason: str

    def body(self) -> dict[str, Any]:
        return {"reason": self.reason}


MUTE_SCOPE = "this screen's sound; the monitor and the pump keep the primary alarms"


@dataclass(frozen=True, kw_only=True)
class AlertsMuted(LogEntry):
    """The nurse's screen muted its sound from `at` to `until`, with these alerts open."""

    kind: ClassVar[str] = "alerts.muted"
    at: float
    until: float
    alert_ids: Sequence[int]
    reason: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "until": self.until,
            "minutes": round((self.until - self.at) / 60.0, 2),
            "alerts": sorted(self.alert_ids),
            "reason": self.reason,
            "scope": MUTE_SCOPE,
        }
