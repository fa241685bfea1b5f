"""The safety log's entries, one class per shape of entry: what each kind of event writes.

Each entry knows its kind, who made it, the patient, dose (episode) and alert it is about, and its
payload: the JSON object that is hashed into the chain. The payloads are exactly what the log has
always held (a reviewer's tools and the report read them), so a field that an entry of one origin
never had stays absent rather than null. The database adapter appends an entry with its time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.clock import to_ms
from bedside.episodes import InfusionEpisode
from bedside.users import Signature
from bedside.vitals import ManualValue, describe

ENGINE_ACTOR = "bedside-rules"
"""Who the alerting engine's own entries name."""


@dataclass(frozen=True, kw_only=True)
class LogEntry:
    """What every entry carries besides its payload."""

    kind: ClassVar[str]
    actor: str
    patient_ref: str = ""
    episode_id: int | None = None
    alert_id: int | None = None
    signature: Signature | None = None
    """The actor's electronic signature, for the actions that are signatures."""

    def payload(self) -> dict[str, Any]:
        """The entry's own fields, with the signature (printed name, role, meaning, time) when it
        was signed: what the review and the report show beside the record."""
        out = self.body()
        if self.signature is not None:
            out["signature"] = self.signature.payload()
        return out

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


Change = tuple[float | None, float | None]
"""A time before and after an edit: (from, to)."""


def snapshot(ep: InfusionEpisode) -> dict[str, Any]:
    """A dose as it stood, for the entries that keep what a change replaced."""
    return {
        "dose": ep.dose_number,
        "start": ep.start,
        "end": ep.end,
        "start_source": ep.start_source,
        "end_source": ep.end_source,
        "state": ep.state.value,
        "product": ep.product,
        "cells_per_kg": ep.cells_per_kg,
    }


def _change(change: Change) -> dict[str, float | None]:
    return {"from": change[0], "to": change[1]}


# Rule set


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


# Doses (infusion episodes)


@dataclass(frozen=True, kw_only=True)
class CandidateEpisode(LogEntry):
    """A device or eMAR start that is not yet a confirmed dose."""

    kind: ClassVar[str] = "episode.candidate"
    dose: int
    start: float
    source: str
    product: str | None
    device: str | None

    def body(self) -> dict[str, Any]:
        return {
            "dose": self.dose,
            "start": self.start,
            "source": self.source,
            "product": self.product,
            "device": self.device,
        }


@dataclass(frozen=True, kw_only=True)
class DoseStarted(LogEntry):
    """A dose a clinician entered that no device had reported: the dose as created."""

    kind: ClassVar[str] = "episode.start"
    episode: InfusionEpisode

    def body(self) -> dict[str, Any]:
        return snapshot(self.episode)


@dataclass(frozen=True, kw_only=True)
class DoseStopped(LogEntry):
    """A clinician's end of a dose; `was` is the end it replaced (None: it was running)."""

    kind: ClassVar[str] = "episode.stop"
    dose: int
    end: float
    was: float | None

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "end": self.end, "was": self.was}


@dataclass(frozen=True, kw_only=True)
class DeviceStopped(LogEntry):
    """A device's or the eMAR's end of a dose."""

    kind: ClassVar[str] = "episode.stop"
    dose: int
    end: float
    source: str
    reason: str | None

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "end": self.end, "source": self.source, "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class CandidateStarted(LogEntry):
    """The nurse's "infusion started" on a dose a device had reported: `was` is that dose as it stood."""

    kind: ClassVar[str] = "episode.confirm"
    dose: int
    start: float
    was: InfusionEpisode

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "start": self.start, "was": snapshot(self.was)}


@dataclass(frozen=True, kw_only=True)
class DoseConfirmed(LogEntry):
    """A clinician confirmed a dose's start (`source`: where the start it confirmed came from)."""

    kind: ClassVar[str] = "episode.confirm"
    dose: int
    start: float
    source: str

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "start": self.start, "source": self.source}


@dataclass(frozen=True, kw_only=True)
class DoseEdited(LogEntry):
    """A dose's start or end moved. The optional fields appear in the payload only when given:
    `reason` for a clinician's correction, `why` for a re-anchoring start, `source` for a device's
    better time."""

    kind: ClassVar[str] = "episode.edit"
    dose: int
    start: Change | None = None
    end: Change | None = None
    reason: str | None = None
    why: str | None = None
    source: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dose": self.dose}
        if self.reason is not None:
            out["reason"] = self.reason
        if self.start is not None:
            out["start"] = _change(self.start)
        if self.end is not None:
            out["end"] = _change(self.end)
        if self.why is not None:
            out["why"] = self.why
        if self.source is not None:
            out["source"] = self.source
        return out


@dataclass(frozen=True, kw_only=True)
class TargetsSet(LogEntry):
    """The intensivist's own limits for a dose, before and after."""

    kind: ClassVar[str] = "episode.targets"
    dose: int
    before: Mapping[str, float]
    after: Mapping[str, float]
    reason: str

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "from": dict(self.before), "to": dict(self.after), "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class DoseCancelled(LogEntry):
    """A dose entered in error: `was` is the dose as it stood."""

    kind: ClassVar[str] = "episode.cancel"
    dose: int
    reason: str
    was: InfusionEpisode

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "reason": self.reason, "was": snapshot(self.was)}


@dataclass(frozen=True, kw_only=True)
class CandidateAccepted(LogEntry):
    """A device start nobody confirmed in time, accepted as the dose."""

    kind: ClassVar[str] = "episode.accepted"
    dose: int
    start: float
    source: str
    why: str

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "start": self.start, "source": self.source, "why": self.why}


# Alerts


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


# Clinicians' records


@dataclass(frozen=True, kw_only=True)
class AdverseEventRecorded(LogEntry):
    kind: ClassVar[str] = "adverse_event.recorded"
    id: int
    term: str
    grade: int
    relatedness: str
    onset: float | None
    alert_ids: Sequence[int]
    notes: str
    reported_by: str
    reporting: Mapping[str, Any] | None = None
    """What expedited reporting needs (event and version, seriousness, expectedness and the RSI it
    was judged against, the derived SUSAR flag, outcome, action taken, CTCAE term and version,
    causality's assessor, awareness): absent from entries written before it was recorded."""

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "episode_id": self.episode_id,
            "term": self.term,
            "grade": self.grade,
            "relatedness": self.relatedness,
            "onset": self.onset,
            "alert_ids": list(self.alert_ids),
            "notes": self.notes,
            "reported_by": self.reported_by,
            **(self.reporting or {}),
        }


@dataclass(frozen=True, kw_only=True)
class AdverseEventReported(LogEntry):
    """A serious adverse event reported to the sponsor at `sent_at` (version `version` of event
    `event`, the id of its first version)."""

    kind: ClassVar[str] = "adverse_event.reported"
    id: int
    event: int
    version: int
    sent_at: float

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "event": self.event, "version": self.version, "sent_at": self.sent_at}


@dataclass(frozen=True, kw_only=True)
class CheckSigned(LogEntry):
    """A bedside check done and signed, with the values and findings the nurse saw."""

    kind: ClassVar[str] = "check.done"
    check: str
    label: str
    values: str
    findings: str

    def body(self) -> dict[str, Any]:
        return {"check": self.check, "label": self.label, "values": self.values, "findings": self.findings}


@dataclass(frozen=True, kw_only=True)
class CourseEventRecorded(LogEntry):
    """`event`: the course event's kind (intubation, death, a radiology note …)."""

    kind: ClassVar[str] = "course.event"
    id: int
    event: str
    at: float
    text: str
    source: str

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.event, "at": self.at, "text": self.text, "source": self.source}


@dataclass(frozen=True, kw_only=True)
class ReportExported(LogEntry):
    """A review report written to a file. The CLI exports the tables with the PDF and logs their row
    count (None when none were asked: `with_tables`); the screen exports tables separately."""

    kind: ClassVar[str] = "report.exported"
    file: str
    pages: int
    sha256: str
    log_head: object
    with_tables: bool = False
    csv_rows: int | None = None

    def body(self) -> dict[str, Any]:
        out = {"file": self.file, "pages": self.pages, "sha256": self.sha256, "log_head": self.log_head}
        if self.with_tables:
            out["csv_rows"] = self.csv_rows
        return out


@dataclass(frozen=True, kw_only=True)
class DatasetsExported(LogEntry):
    """The trial's datasets written to a directory (`bedside-cli export sdtm`): the patients, each
    file's SHA-256 and each dataset's row count, so a file handed to data management can be matched
    to the record it came from."""

    kind: ClassVar[str] = "datasets.exported"
    directory: str
    patients: Sequence[str]
    files: Mapping[str, str]
    rows: Mapping[str, int]

    def body(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "patients": list(self.patients),
            "files": dict(sorted(self.files.items())),
            "rows": dict(sorted(self.rows.items())),
        }


@dataclass(frozen=True, kw_only=True)
class VitalsRecorded(LogEntry):
    """Vital signs entered by hand, with the series each value went into (in order)."""

    kind: ClassVar[str] = "vitals.recorded"
    observed_at: float
    values: Sequence[ManualValue]
    series_ids: Sequence[int]

    def body(self) -> dict[str, Any]:
        at_ms = to_ms(self.observed_at)
        return {
            "observed_at": self.observed_at,
            "values": {v.parameter: v.value for v in self.values},
            "units": {v.parameter: v.unit for v in self.values},
            "temp_site": next((v.instance for v in self.values if v.parameter.startswith("temp")), None),
            "mean_computed": any(v.computed for v in self.values),
            "observations": [f"obs:{sid}:{at_ms}" for sid in self.series_ids],
            "text": describe(tuple(self.values)),
        }


# Who may act


@dataclass(frozen=True, kw_only=True)
class MedicationRecorded(LogEntry):
    """A co-medication entered by a clinician (not from the eMAR): what, how much, how, when."""

    kind: ClassVar[str] = "medication.recorded"
    id: int
    drug: str
    drug_class: str
    dose: float
    unit: str
    route: str
    start: float
    end: float | None

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "drug": self.drug,
            "class": self.drug_class,
            "dose": self.dose,
            "unit": self.unit,
            "route": self.route,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, kw_only=True)
class ActionRefused(LogEntry):
    """An action the actor's role may not take, refused before anything was written."""

    kind: ClassVar[str] = "action.refused"
    action: str
    role: str
    reason: str
    alert_ids: Sequence[int] = ()
    """The alerts an acknowledgement named (an acknowledgement names no patient)."""

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "role": self.role, "reason": self.reason}
        if self.alert_ids:
            out["alerts"] = list(self.alert_ids)
        return out


def password_digest(password_hash: str) -> str:
    """What a user.* entry says of an account's stored password hash: its SHA-256, enough to see the
    hash replaced in the table and nothing to crack."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class UserAdded(LogEntry):
    """An account created (`actor`: the admin who created it, or the first admin creating itself).
    `password_digest`: the SHA-256 of the stored password hash (never the hash), so `verify-log` sees
    a hash replaced in the table."""

    kind: ClassVar[str] = "user.added"
    username: str
    full_name: str
    role: str
    active: bool = True
    password_digest: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role,
            "active": self.active,
            "password_digest": self.password_digest,
        }


@dataclass(frozen=True, kw_only=True)
class UserDisabled(LogEntry):
    """An account that may no longer sign in; kept, so the record's names still resolve. With the
    account as it then stands (role, active, password digest), for `verify-log`."""

    kind: ClassVar[str] = "user.disabled"
    username: str
    reason: str = ""
    role: str = ""
    password_digest: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "reason": self.reason,
            "role": self.role,
            "active": False,
            "password_digest": self.password_digest,
        }


@dataclass(frozen=True, kw_only=True)
class UserPasswordChanged(LogEntry):
    """A password set anew: the SHA-256 of its new stored hash (never the password or the hash),
    with the account as it stands (role, active), for `verify-log`."""

    kind: ClassVar[str] = "user.password_changed"
    username: str
    role: str = ""
    active: bool = True
    password_digest: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "active": self.active,
            "password_digest": self.password_digest,
        }


# Screens' sessions


@dataclass(frozen=True, kw_only=True)
class SessionSignedIn(LogEntry):
    """Someone signed in at a screen (`actor`: their username)."""

    kind: ClassVar[str] = "session.signed_in"
    name: str
    role: str
    screen: str
    """The computer the screen runs on."""

    def body(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "screen": self.screen}


@dataclass(frozen=True, kw_only=True)
class SessionLocked(LogEntry):
    """A screen's session ended: locked by its user, when idle, on a switch of user, or after wrong
    passwords at a signature."""

    kind: ClassVar[str] = "session.locked"
    reason: str
    screen: str

    def body(self) -> dict[str, Any]:
        return {"reason": self.reason, "screen": self.screen}


@dataclass(frozen=True, kw_only=True)
class SessionRefused(LogEntry):
    """A sign-in or a signature refused (`actor`: the username given; never the password)."""

    kind: ClassVar[str] = "session.refused"
    at_signature: bool
    screen: str
    reason: str = ""
    """What kind of refusal (unknown user, wrong password, disabled account, a credentials file
    refused); empty where the screen refuses them alike."""

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"at": "signature" if self.at_signature else "sign-in", "screen": self.screen}
        if self.reason:
            body["reason"] = self.reason
        return body


ENTRY_TYPES: tuple[type[LogEntry], ...] = (
    IngestStarted,
    RulesetLoaded,
    CandidateEpisode,
    DoseStarted,
    DoseStopped,
    DeviceStopped,
    CandidateStarted,
    DoseConfirmed,
    DoseEdited,
    TargetsSet,
    DoseCancelled,
    CandidateAccepted,
    AlertRaised,
    AlertSeverityRose,
    AlertEscalated,
    AlertFolded,
    AlertAcknowledged,
    AlertAnnotated,
    AlertResolved,
    AlertsMuted,
    AdverseEventRecorded,
    AdverseEventReported,
    CheckSigned,
    CourseEventRecorded,
    ReportExported,
    DatasetsExported,
    VitalsRecorded,
    MedicationRecorded,
    ActionRefused,
    UserAdded,
    UserDisabled,
    UserPasswordChanged,
    SessionSignedIn,
    SessionLocked,
    SessionRefused,
)
"""Every entry class; each kind of `bedside.safety_log.KINDS` has at least one."""
