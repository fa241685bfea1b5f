"""What the nurse's screen knows about one patient besides the numeric trends: doses with their
baselines, alerts, signed checks, lab results. Filled by the database adapter, drawn by the UI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bedside.adverse_events import AdverseEventVersion
from bedside.alerts import Alert
from bedside.checks import Signature
from bedside.rules.engine import Baseline
from bedside.rules.messages import shown_message, shown_title
from bedside.rules.ruleset import RuleSet


@dataclass(frozen=True)
class DoseInfo:
    id: int
    dose: int
    start: float
    end: float | None
    state: str
    source: str
    product: str = ""
    cells_per_kg: float | None = None
    weight_kg: float | None = None
    course_doses: int | None = None
    confirmed_by: str = ""
    baselines: dict[str, Baseline] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    """The intensivist's own SpO2 / MAP limits for this dose (unset ones derive from the baseline)."""

    @property
    def running(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class SignedBy:
    """An electronic signature as the safety log keeps it in the entry of the record it signs:
    printed name, role, meaning and time (the username is the entry's actor)."""

    name: str
    role: str
    meaning: str
    at: float

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> SignedBy | None:
        """The signature of a log entry's payload (None: the entry was not signed)."""
        sig = payload.get("signature")
        if not isinstance(sig, Mapping):
            return None
        return cls(
            str(sig.get("name", "")), str(sig.get("role", "")), str(sig.get("meaning", "")), float(sig["at"])
        )


@dataclass(frozen=True)
class AlertInfo:
    """What the screens show of an alert: a read-only view of `bedside.alerts.Alert` (`of`)."""

    id: int
    episode_id: int
    rule_id: str
    title: str
    severity: str
    state: str
    fired_at: float
    message: str
    escalated: bool = False
    acked_by: str = ""
    acked_at: float | None = None
    ack_comment: str = ""
    resolved_at: float | None = None
    start_unconfirmed: bool = False
    folded_into: int | None = None
    """The composite alert (one reaction, one problem) this alert is shown under and acknowledged with."""
    components: tuple[str, ...] = ()
    ack_signature: SignedBy | None = None
    """The acknowledger's signature, from the safety log (None: not acknowledged, or before
    acknowledgements were signed)."""

    def title_text(self, rules: RuleSet) -> str:
        """The title a person reads, in the screen's language (what is stored is English)."""
        return shown_title(rules, self.rule_id, self.title)

    def message_text(self, rules: RuleSet) -> str:
        """The message a person reads, in the screen's language and its decimal separator."""
        return shown_message(rules, self.rule_id, self.message)

    @classmethod
    def of(cls, a: Alert) -> AlertInfo:
        return cls(
            a.id,
            a.episode_id,
            a.rule_id,
            a.title,
            a.severity,
            a.state.value,
            a.fired_at,
            a.message,
            a.escalated,
            a.acked_by,
            a.acked_at,
            a.ack_comment,
            a.resolved_at,
            a.start_unconfirmed,
            a.folded_into,
            tuple(str(c) for c in a.components),
        )


@dataclass(frozen=True)
class LabValue:
    analyte: str
    at: float
    value: float
    unit: str
    reference_range: str
    status: str


UNDELIVERED_SHOWN_FOR = 24 * 3600.0
"""How long an alert the alarm manager never acknowledged stays in the screen's notices."""


@dataclass(frozen=True)
class PatientStatus:
    beat: float | None
    """The rule engine's last heartbeat (None: it never ran on this database)."""
    ruleset: str
    alerts: tuple[AlertInfo, ...]
    """Open (raised or acknowledged), highest severity first, then newest."""
    recent: tuple[AlertInfo, ...]
    """Resolved in the last 24 h."""
    doses: tuple[DoseInfo, ...]
    signatures: dict[int, list[Signature]]
    """Episode id → the checks signed for it (from the safety log)."""
    labs: dict[str, list[LabValue]]
    holder: str = ""
    """The ingest service (node) whose engine holds the alerting lease ("": none yet)."""
    undelivered: int = 0
    """Alerts the alarm manager never acknowledged in the last UNDELIVERED_SHOWN_FOR seconds (any
    patient's: the link to the alarm manager is the ward's)."""
    undelivered_at: float | None = None
    """When the newest of them was given up."""
    adverse_events: tuple[AdverseEventVersion, ...] = ()
    """The patient's adverse events, the latest version of each (their SAE report clocks)."""
    deceased_at: float | None = None
    """When the patient's recorded death happened, as its last entry says (None: no death recorded)."""

    @property
    def current_dose(self) -> DoseInfo | None:
        """The running dose, else the latest one (its post-dose windows are what matters now)."""
        running = [d for d in self.doses if d.running]
        if running:
            return running[-1]
        return self.doses[-1] if self.doses else None


EMPTY_STATUS = PatientStatus(None, "", (), (), (), {}, {})
