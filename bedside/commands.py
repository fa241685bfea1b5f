"""What a clinician asks Bedside to record, as data: who asks (`by`, the authenticated username, and
`role`, theirs), when (`recorded_at`, the clock of the screen or command line that asks), what, and
for the actions that are signatures (`bedside.users.SIGNED`) the signer's `signature`. The screens
and the command line build these; the handlers in `bedside.handlers` check the role and the
signature, validate them, change the record and choose the safety-log entry.

A patient is a `bedside.model.PatientRef`, read from text where text comes in (a command line's
argument, a list's entry): one without an authority is an MRN the handler resolves to the stored
patient (refused when several authorities know it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bedside.i18n import N_, _
from bedside.model import PatientRef
from bedside.refusals import Refused
from bedside.users import Role, Signature

NOT_ASSESSED = "not yet assessed"
"""The relatedness of an adverse event documented by someone who may not assess it (a nurse): an
intensivist or investigator assesses it later."""

RELATEDNESS = ("unrelated", "unlikely", "possible", "probable", "definite", NOT_ASSESSED)
"""How related to the infusion a clinician judges an adverse event (or that nobody has yet)."""

COURSE_EVENT_KINDS = (
    "intubation",
    "extubation",
    "icu_discharge",
    "death",
    "alive",
    "radiology",
    "symptom_onset",
    "tracheostomy",
    "ecmo_start",
    "ecmo_end",
    "rrt_start",
    "rrt_end",
    "thrombosis",
    "infection",
)
"""`alive`: a follow-up that found the patient alive (the day-28 outcome needs evidence, not silence).
The outcome set (bedside.outcomes) reads every kind but radiology."""

COURSE_EVENT_NAMES = {
    "intubation": N_("intubation"),
    "extubation": N_("extubation"),
    "icu_discharge": N_("ICU discharge"),
    "death": N_("death"),
    "alive": N_("alive at follow-up"),
    "radiology": N_("radiology"),
    "symptom_onset": N_("symptom onset"),
    "tracheostomy": N_("tracheostomy"),
    "ecmo_start": N_("ECMO start"),
    "ecmo_end": N_("ECMO end"),
    "rrt_start": N_("renal replacement therapy start"),
    "rrt_end": N_("renal replacement therapy end"),
    "thrombosis": N_("thrombosis"),
    "infection": N_("infection"),
}
RELATEDNESS_NAMES = {
    "unrelated": N_("unrelated"),
    "unlikely": N_("unlikely"),
    "possible": N_("possible"),
    "probable": N_("probable"),
    "definite": N_("definite"),
    NOT_ASSESSED: N_("not yet assessed"),
}


def course_event_name(kind: str) -> str:
    """A course event's kind (as stored: "icu_discharge") as a person reads it, in the screen's
    language; an unknown kind as stored."""
    return _(COURSE_EVENT_NAMES[kind]) if kind in COURSE_EVENT_NAMES else kind


def relatedness_name(relatedness: str) -> str:
    """A relatedness (as stored) as a person reads it, in the screen's language."""
    return _(RELATEDNESS_NAMES[relatedness]) if relatedness in RELATEDNESS_NAMES else relatedness


class PatientError(Refused):
    pass


class EpisodeError(Refused):
    """A dose (infusion episode) request the record cannot take."""


class AlertError(Refused):
    pass


class AdverseEventError(Refused):
    pass


class CourseEventError(Refused):
    pass


class CheckError(Refused):
    pass


class MedicationError(Refused):
    pass


class VitalsError(Refused):
    """Vital signs that cannot be stored."""


class ActionError(Refused):
    """A mute or a report export that cannot be recorded."""


# Doses


@dataclass(frozen=True, kw_only=True)
class StartDose:
    """The nurse's "infusion started": confirms a device's candidate at about that time, or creates
    the dose (gravity and syringe doses have no smart pump)."""

    patient: PatientRef
    dose: int
    start: float
    by: str
    recorded_at: float
    role: Role
    product: str = ""
    cells_per_kg: float | None = None
    cells: float | None = None
    weight_kg: float | None = None
    planned: float | None = None
    course_doses: int | None = None
    """Doses the course plans (the screen shows 'Dose 2 of 3')."""


@dataclass(frozen=True, kw_only=True)
class StopDose:
    patient: PatientRef
    dose: int
    end: float
    by: str
    recorded_at: float
    role: Role


@dataclass(frozen=True, kw_only=True)
class ConfirmDose:
    """Confirm a dose's start; `start` corrects it when the device's is wrong (re-anchors the rules)."""

    patient: PatientRef
    dose: int
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None
    start: float | None = None


@dataclass(frozen=True, kw_only=True)
class EditDose:
    """Correct a dose's start or end time (None: leave it)."""

    patient: PatientRef
    dose: int
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None
    start: float | None = None
    end: float | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class SetTargets:
    """The intensivist's own SpO2 / MAP limits for a dose; None clears one (derived from the
    baseline again)."""

    patient: PatientRef
    dose: int
    by: str
    recorded_at: float
    role: Role
    targets: Mapping[str, float | None]
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class CancelDose:
    """A dose entered in error: kept and logged, no longer alerted on."""

    patient: PatientRef
    dose: int
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None
    reason: str = ""


# Alerts


@dataclass(frozen=True, kw_only=True)
class AcknowledgeAlert:
    """One alert (the banner's, the command line's) or several (the Alerts list). Of several, one that
    can no longer be acknowledged is skipped so the others are not lost; only when none can be is
    the command refused."""

    alert_ids: tuple[int, ...]
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class MuteAlerts:
    """The nurse's screen muting its own sound from `recorded_at` to `until` while these alerts are
    open (the monitor and the pump keep the primary alarms)."""

    patient: PatientRef
    by: str
    recorded_at: float
    role: Role
    until: float
    alert_ids: tuple[int, ...] = ()
    reason: str = ""


# Clinicians' records


@dataclass(frozen=True, kw_only=True)
class RecordAdverseEvent:
    """An adverse event, or (`follows`: the id of any earlier version) a follow-up of one: a new
    version, never an overwrite. A follow-up restates only what changed: what it leaves unset (None,
    or "" for text) is carried from the version before.

    The dose it follows is named by its number (`dose`, as typed) or by the episode the screen shows
    (`episode_id`). Grade, relatedness and onset are required choices with no default (None and ""
    are "not chosen"). `seriousness`: the ICH E2A criteria that apply (empty: not serious; None: not
    assessed). Expectedness, the CTCAE term, the special interest and the SUSAR flag are derived."""

    patient: PatientRef
    term: str
    grade: int | None
    relatedness: str
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None
    dose: int | None = None
    episode_id: int | None = None
    onset: float | None = None
    alert_ids: tuple[int, ...] = ()
    notes: str = ""
    seriousness: tuple[str, ...] | None = None
    outcome: str | None = None
    end: float | None = None
    action_taken: str | None = None
    treatment: str = ""
    awareness: float | None = None
    """When the team became aware of the event (the 24-hour SAE clock runs from it)."""
    meddra_code: str = ""
    follows: int | None = None
    awareness_reason: str = ""
    """Why a follow-up corrects the awareness time (required when it does; the clock still runs
    from the earliest awareness recorded)."""


@dataclass(frozen=True, kw_only=True)
class ReportAdverseEvent:
    """That a serious adverse event was reported to the sponsor, and when (`sent_at`): stops its
    24-hour clock."""

    patient: PatientRef
    event: int
    sent_at: float
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None


@dataclass(frozen=True, kw_only=True)
class ExplainNoDeathSae:
    """An investigator's signed reason why the patient's recorded death needs no serious adverse
    event report (the death unrelated to the study product and reported otherwise, for instance)."""

    patient: PatientRef
    reason: str
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None


@dataclass(frozen=True, kw_only=True)
class ExplainNoOutcomeAesi:
    """An intensivist's or investigator's signed reason why an outcome recorded as a course event (a
    thrombosis, a secondary infection) needs no adverse event of special interest: the one at `at`
    (None: the latest of its kind)."""

    patient: PatientRef
    outcome: str
    """The course event's kind: one of `bedside.adverse_events_outcomes.OUTCOME_AESI`."""
    reason: str
    by: str
    recorded_at: float
    role: Role
    at: float | None = None
    signature: Signature | None = None


@dataclass(frozen=True, kw_only=True)
class SignCheck:
    """A bedside check done for a dose, with the values and findings the nurse saw when signing."""

    patient: PatientRef
    episode_id: int
    check: str
    label: str
    values: str
    findings: str
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None


@dataclass(frozen=True, kw_only=True)
class RecordCourseEvent:
    """Intubation, a confirmed extubation, ICU discharge, death, a follow-up alive, a radiology note,
    symptom onset, tracheostomy, ECMO or renal replacement started or ended, a thrombosis, a
    secondary infection."""

    patient: PatientRef
    kind: str
    at: float
    by: str
    recorded_at: float
    role: Role
    text: str = ""
    source: str = "clinician"
    signature: Signature | None = None
    """Given, the record is signed with it (the signer's own, with a meaning that says something)
    and the entry carries it; the screens do not sign course events yet."""


@dataclass(frozen=True)
class ConfirmReportedDeath:
    """An investigator's confirmation, as the patient's death, of a death an ADT message reported
    (PV1-36 or PID-30): a death course event at the time the message gave, its note saying how ADT
    reported it. `at`: the reported time the screen showed and the signature names; None: the last
    death ADT reported for the patient (the command line names only the patient)."""

    patient: PatientRef
    at: float | None
    by: str
    recorded_at: float
    role: Role
    signature: Signature | None = None


@dataclass(frozen=True)
class RecordVitals:
    """One set of vital signs entered by hand. Every value is optional, but at least one is given.
    The entry form builds it; `recorded_at` is stamped when it is handed over to be recorded."""

    patient: PatientRef
    at: float
    """When it was measured (epoch s); may be earlier than when it is entered."""
    by: str
    temp: float | None = None
    temp_site: str | None = None
    sys: float | None = None
    dia: float | None = None
    mean: float | None = None
    spo2: float | None = None
    hr: float | None = None
    rr: float | None = None
    recorded_at: float | None = None
    """When it is entered: the time the entry is checked against (None until handed over)."""
    role: Role | None = field(default=None, kw_only=True)
    """The role of who enters it, set when it is handed over, like `recorded_at`."""


@dataclass(frozen=True, kw_only=True)
class RecordMedication:
    """A co-medication a clinician records (one the eMAR did not send): the drug as named, its
    class, route and unit chosen (never defaulted), the dose, and when it was given (`end` for an
    infusion or a period)."""

    patient: PatientRef
    drug: str
    drug_class: str
    dose: float
    unit: str
    route: str
    start: float
    by: str
    recorded_at: float
    role: Role
    end: float | None = None
    signature: Signature | None = None
    """Given, the record is signed with it and the entry carries it (as `RecordCourseEvent`'s)."""


@dataclass(frozen=True, kw_only=True)
class ExportReport:
    """A review report written to a file: recorded with what identifies it (its hash, its pages and
    the safety-log head it shows). `with_tables`: the export also wrote the tables and names their
    rows (None when none were asked); the review screen's CSV alone has no pages and no log head."""

    patient: PatientRef
    file: str
    pages: int
    sha256: str
    log_head: tuple[int, str] | None
    """The safety log's head the report shows (its last entry's sequence number and hash, so a
    reader can check the log the report was made from); None where it shows none (the tables alone,
    or an empty log)."""
    by: str
    recorded_at: float
    role: Role
    with_tables: bool = False
    csv_rows: int | None = None


@dataclass(frozen=True, kw_only=True)
class ExportDatasets:
    """The trial's datasets (CDISC SDTM-style, `bedside-cli export sdtm`) written to a directory:
    recorded with what identifies them (each file's SHA-256 and each dataset's rows). `patients`:
    the patients exported (one when the export names a patient, else every treated patient)."""

    patient: PatientRef | None
    patients: tuple[PatientRef, ...]
    directory: str
    files: Mapping[str, str]
    """Each file's name and its SHA-256."""
    rows: Mapping[str, int]
    """Each dataset's row count."""
    by: str
    recorded_at: float
    role: Role


Command = (
    StartDose
    | StopDose
    | ConfirmDose
    | EditDose
    | SetTargets
    | CancelDose
    | AcknowledgeAlert
    | MuteAlerts
    | RecordAdverseEvent
    | ReportAdverseEvent
    | SignCheck
    | RecordCourseEvent
    | RecordVitals
    | RecordMedication
    | ExportReport
    | ExportDatasets
)
