"""The safety log's entries, one class per shape of entry: what each kind of event writes.

Each entry knows its kind, who made it, the patient, dose (episode) and alert it is about, and its
payload: the JSON object that is hashed into the chain. The payloads are exactly what the log has
always held (a reviewer's tools and the report read them), so a field that an entry of one origin
never had stays absent rather than null. The database adapter appends an entry with its time.

One module per area (rule set, doses, alerts, clinicians' records, accounts, sessions), all
re-exported here: callers import `bedside.log_entries` and name the class.
"""

from __future__ import annotations

from bedside.log_entries.accounts import (
    ActionRefused,
    UserAdded,
    UserDisabled,
    UserPasswordChanged,
    password_digest,
)
from bedside.log_entries.alerts import (
    MUTE_SCOPE,
    AlertAcknowledged,
    AlertAnnotated,
    AlertEscalated,
    AlertFolded,
    AlertRaised,
    AlertResolved,
    AlertSeverityRose,
    AlertsMuted,
)
from bedside.log_entries.base import (
    ENGINE_ACTOR,
    Change,
    LogEntry,
    change_payload,
    snapshot,
)
from bedside.log_entries.doses import (
    CandidateAccepted,
    CandidateEpisode,
    CandidateStarted,
    DeviceStopped,
    DoseCancelled,
    DoseConfirmed,
    DoseEdited,
    DoseStarted,
    DoseStopped,
    TargetsSet,
)
from bedside.log_entries.records import (
    AdverseEventRecorded,
    AdverseEventReported,
    CheckSigned,
    CourseEventRecorded,
    DatasetsExported,
    DeathSaeNotNeeded,
    MedicationRecorded,
    OutcomeAesiNotNeeded,
    ReportExported,
    TablesExported,
    VitalsRecorded,
)
from bedside.log_entries.rules import (
    IngestStarted,
    RulesetLoaded,
)
from bedside.log_entries.sessions import (
    SessionLocked,
    SessionRefused,
    SessionSignedIn,
)

__all__ = [
    "ENGINE_ACTOR",
    "ENTRY_TYPES",
    "MUTE_SCOPE",
    "ActionRefused",
    "AdverseEventRecorded",
    "AdverseEventReported",
    "AlertAcknowledged",
    "AlertAnnotated",
    "AlertEscalated",
    "AlertFolded",
    "AlertRaised",
    "AlertResolved",
    "AlertSeverityRose",
    "AlertsMuted",
    "CandidateAccepted",
    "CandidateEpisode",
    "CandidateStarted",
    "Change",
    "CheckSigned",
    "CourseEventRecorded",
    "DatasetsExported",
    "DeathSaeNotNeeded",
    "DeviceStopped",
    "DoseCancelled",
    "DoseConfirmed",
    "DoseEdited",
    "DoseStarted",
    "DoseStopped",
    "IngestStarted",
    "LogEntry",
    "MedicationRecorded",
    "OutcomeAesiNotNeeded",
    "ReportExported",
    "RulesetLoaded",
    "SessionLocked",
    "SessionRefused",
    "SessionSignedIn",
    "TablesExported",
    "TargetsSet",
    "UserAdded",
    "UserDisabled",
    "UserPasswordChanged",
    "VitalsRecorded",
    "change_payload",
    "password_digest",
    "snapshot",
]

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
    DeathSaeNotNeeded,
    OutcomeAesiNotNeeded,
    CheckSigned,
    CourseEventRecorded,
    ReportExported,
    TablesExported,
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
