"""The alerting engine's own entries: ingest started, the rule set it loaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.log_entries.base import LogEntry


@dataclass(frozen=True, kw_only=True)
class IngestStarted(LogEntry):
    """A `bedside-ingest` service started on this database: every database that received a message has
    at least this entry, so a log found empty beside stored messages was emptied."""

    kind: ClassVar[str] = "ingest.started"
    node: str
    version: str
    alerting: bool
    listen: Sequence[str]

    def body(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "version": self.version,
            "alerting": self.alerting,
            "listen": list(self.listen),
        }


@dataclass(frozen=True, kw_only=True)
class RulesetLoaded(LogEntry):
    """The alerting process took the lead with this rule set."""

    kind: ClassVar[str] = "ruleset.loaded"
    ruleset: str
    digest: str
    grading: str
    path: str | None
    instance: str
    rearm_minutes: float
    escalation_minutes: Mapping[str, float]
    candidate_confirm_minutes: float

    def body(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset,
            "digest": self.digest,
            "grading": self.grading,
            "path": self.path,
            "instance": self.instance,
            "rearm_minutes": self.rearm_minutes,
            "escalation_minutes": self.escalation_minutes,
            "candidate_confirm_minutes": self.candidate_confirm_minutes,
        }
