"""Clinicians' records: adverse events, signed checks, course events, exports, and vitals and
co-medications entered by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.clock import to_ms
from bedside.log_entries.base import LogEntry
from bedside.model import PatientRef
from bedside.vitals import ManualValue, describe


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
class DeathSaeNotNeeded(LogEntry):
    """An investigator's signed reason why the patient's death (at `death_at`) needs no serious
    adverse event report (ICH E2A counts a death as serious): unrelated and reported otherwise, for
    instance. It is the record: nothing else stores it."""

    kind: ClassVar[str] = "death.no_sae"
    death_at: float
    reason: str

    def body(self) -> dict[str, Any]:
        return {"death_at": self.death_at, "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class OutcomeAesiNotNeeded(LogEntry):
    """A signed reason why an outcome recorded as a course event (`outcome`, its kind, at `at`)
    needs no adverse event of special interest: judged unrelated and followed otherwise, for
    instance. It is the record: nothing else stores it."""

    kind: ClassVar[str] = "outcome.no_aesi"
    outcome: str
    at: float
    reason: str

    def body(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "at": self.at, "reason": self.reason}


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
    """A review report written to a file (its tables as CSV are a `tables.exported` entry of their
    own). `with_tables`, `csv_rows`: what entries written before that held of the tables."""

    kind: ClassVar[str] = "report.exported"
    file: str
    pages: int
    sha256: str
    log_head: tuple[int, str] | None
    """The safety log's head the report was read at (sequence number, hash); None: the log was empty."""
    with_tables: bool = False
    csv_rows: int | None = None

    def body(self) -> dict[str, Any]:
        out = {"file": self.file, "pages": self.pages, "sha256": self.sha256, "log_head": self.log_head}
        if self.with_tables:
            out["csv_rows"] = self.csv_rows
        return out


@dataclass(frozen=True, kw_only=True)
class TablesExported(LogEntry):
    """The review's tables written to a CSV file (`bedside-cli report --csv`, the review's Export
    tables): a data export, logged as one, not as a report: the file, its SHA-256 and its row count,
    so a file handed on can be matched to its entry."""

    kind: ClassVar[str] = "tables.exported"
    file: str
    sha256: str
    rows: int

    def body(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "rows": self.rows}


@dataclass(frozen=True, kw_only=True)
class DatasetsExported(LogEntry):
    """The trial's datasets written to a directory (`bedside-cli export sdtm`): the patients, each
    file's SHA-256 and each dataset's row count, so a file handed to data management can be matched
    to the record it came from."""

    kind: ClassVar[str] = "datasets.exported"
    directory: str
    patients: Sequence[PatientRef]
    files: Mapping[str, str]
    rows: Mapping[str, int]

    def body(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "patients": [str(p) for p in self.patients],
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
