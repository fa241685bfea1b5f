"""The unit of work: what a clinician action's handler reads and changes, as one transaction.

A handler opens the unit (`with uow:`), reads through its repositories, decides, writes the changes and
their safety-log entries, and commits; leaving the block without `commit()` undoes everything, so a
refused or failed action leaves no trace. The database adapter implements it with one database
transaction (`bedside_adapters.db.unit_of_work`); the unit tests with plain dictionaries.

The repositories load and persist. What may change, and what the log says about it, is decided by
the handlers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from bedside.adverse_events import AdverseEventVersion
from bedside.alerts import Alert, AlertState
from bedside.co_medication import MedicationAdministration
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.i18n import _
from bedside.log_entries import LogEntry
from bedside.model import PatientRef
from bedside.refusals import Refused
from bedside.users import StoredAccount, User
from bedside.vitals import ManualValue


class ChangedMeanwhile(Refused):
    """The row an action read changed before the action wrote it (another screen, or the alerting
    process, wrote first). A repository writes only over the state the handler decided on, so the
    later writer is refused instead of overwriting the earlier: nothing is recorded."""


def alert_changed(alert_id: int) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        _("alert {alert_id} changed meanwhile: nothing was recorded; look again").format(alert_id=alert_id)
    )


def dose_changed(episode_id: int) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        _("the dose (record {episode_id}) changed meanwhile: nothing was recorded; look again").format(
            episode_id=episode_id
        )
    )


@dataclass(frozen=True, kw_only=True)
class DoseFields:
    """Values of a dose to store; None leaves a value as it is (a new dose: as the store's default)."""

    dose_number: int | None = None
    start: float | None = None
    start_source: str | None = None
    end: float | None = None
    end_source: str | None = None
    state: EpisodeState | None = None
    confirmed_by: str | None = None
    confirmed_at: float | None = None
    product: str | None = None
    cells_per_kg: float | None = None
    cells: float | None = None
    weight_kg: float | None = None
    planned_start: float | None = None
    course_doses: int | None = None
    targets: Mapping[str, float] | None = None


class Patients(Protocol):
    def registered(self, patient: PatientRef, *, any_authority: bool = False) -> list[PatientRef]:
        """The stored patients a feed brought with this MRN and authority (with any authority when
        `any_authority`)."""
        ...

    def dosed(self, patient: PatientRef) -> list[PatientRef]:
        """The patients with a dose recorded under this patient's MRN, whatever the authority."""
        ...


class Episodes(Protocol):
    def of_patient(self, patient: PatientRef) -> list[InfusionEpisode]:
        """The patient's doses in order of their start."""
        ...

    def get(self, patient: PatientRef, dose: int) -> InfusionEpisode | None: ...

    def by_id(self, episode_id: int) -> InfusionEpisode | None: ...

    def add(self, patient: PatientRef, fields: DoseFields, now: float) -> InfusionEpisode:
        """A new dose (`fields` gives at least its number, start, start source and state)."""
        ...

    def update(
        self, episode_id: int, fields: DoseFields, now: float, *, expected: EpisodeState | None = None
    ) -> InfusionEpisode:
        """Store `fields`; with `expected`, only while the dose is still in that state
        (`ChangedMeanwhile` otherwise, nothing written)."""
        ...


class Alerts(Protocol):
    def get(self, alert_id: int) -> Alert | None: ...

    def folded_under(self, alert_id: int) -> list[Alert]:
        """The alerts folded under this one (the parts of the problem it names)."""
        ...

    def acknowledge(
        self, alert_id: int, *, expected: AlertState, state: AlertState, by: str, at: float, comment: str
    ) -> None:
        """Store the acknowledgement only while the alert is still in the `expected` state and
        unacknowledged (`ChangedMeanwhile` otherwise, nothing written)."""
        ...


class AdverseEvents(Protocol):
    def add(self, version: AdverseEventVersion) -> int:
        """Store a new version of an event (a new row, whatever its version); returns its id."""
        ...

    def latest(self, any_id: int) -> AdverseEventVersion | None:
        """The newest version of the event that the version with this id belongs to, with when the
        event was first reported to the sponsor."""
        ...

    def of_patient(self, patient: PatientRef) -> list[AdverseEventVersion]:
        """The newest version of each of the patient's events, in the order they were first recorded."""
        ...

    def add_report(
        self,
        *,
        event: int,
        version: int,
        patient_ref: PatientRef,
        sent_at: float,
        recorded_by: str,
        recorded_at: float,
    ) -> int:
        """That the event (version 1's id) was reported to the sponsor; returns the report's id."""
        ...


class CourseEvents(Protocol):
    def add(
        self,
        *,
        patient_ref: PatientRef,
        kind: str,
        at: float,
        text: str,
        source: str,
        entered_by: str,
        entered_at: float,
    ) -> int:
        """Store the event; returns its id."""
        ...

    def deaths(self, patient: PatientRef) -> list[float]:
        """When the patient's recorded deaths happened (course events of kind death), in the order
        they were entered: the last one entered corrects those before it."""
        ...

    def times(self, patient: PatientRef, kind: str) -> list[float]:
        """When the patient's recorded course events of this kind happened, in the order entered."""
        ...

    def reported_deaths(self, patient: PatientRef) -> list[tuple[float, str]]:
        """The deaths ADT messages reported for the patient and did not cancel, oldest first: (when,
        how: "PV1-36" or "PID-30"). Only offered to be confirmed: never a death until it is."""
        ...


class ManualVitals(Protocol):
    def add(
        self, patient: PatientRef, values: Sequence[ManualValue], at: float, now: float
    ) -> tuple[int, ...]:
        """Store each value as an observation of the patient's manual series for it (created when
        missing); returns the series ids, in the order of `values`."""
        ...

    def last_at(self, patient: PatientRef) -> float | None:
        """When the patient's latest hand-entered value was taken; None when there is none."""
        ...


class CoMedication(Protocol):
    def add(self, administration: MedicationAdministration, entered_by: str, recorded_at: float) -> int:
        """Store one administration; returns its id."""
        ...

    def of_patient(
        self, patient: PatientRef, since: float | None = None, until: float | None = None
    ) -> list[MedicationAdministration]:
        """The patient's co-medication starting in [since, until] (or running into it), by start."""
        ...


class Users(Protocol):
    """Bedside's own accounts."""

    def find(self, username: str) -> StoredAccount | None: ...

    def count(self) -> int: ...

    def active_admins(self) -> list[str]:
        """The usernames of the active admins."""
        ...

    def all(self) -> list[User]:
        """Every account, by username."""
        ...

    def add(self, user: User, password_hash: str, at: float) -> None: ...

    def update(
        self, username: str, at: float, *, active: bool | None = None, password_hash: str | None = None
    ) -> None: ...


class SafetyLog(Protocol):
    def record(self, entry: LogEntry, at: float) -> int:
        """Append the entry at time `at`, in this unit's transaction; returns its sequence number."""
        ...


class UnitOfWork(Protocol):
    patients: Patients
    episodes: Episodes
    alerts: Alerts
    adverse_events: AdverseEvents
    course_events: CourseEvents
    vitals: ManualVitals
    co_medication: CoMedication
    users: Users
    log: SafetyLog

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Undo whatever was not committed."""
        ...

    def commit(self) -> None: ...
