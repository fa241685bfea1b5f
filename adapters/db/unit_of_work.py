"""The unit of work on the database: one transaction per clinician action. Every read and write of
the action, and its safety-log entries, go through the one connection, so the record and the log are
committed together or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self

from bedside_adapters.db import (
    adverse_store,
    alert_store,
    co_medication_store,
    course_store,
    episode_store,
    outcome_store,
    vitals_store,
)
from bedside_adapters.db.patient_store import SqlPatients
from bedside_adapters.db.safety_store import record
from bedside_adapters.db.user_store import SqlUsers
from sqlalchemy import Connection, Engine, RootTransaction

from bedside.adverse_events import AdverseEventVersion
from bedside.alerts import Alert, AlertState
from bedside.clock import to_ms
from bedside.co_medication import MedicationAdministration
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.log_entries import LogEntry
from bedside.model import PatientRef
from bedside.unit_of_work import DoseFields
from bedside.vitals import ManualValue


class SqlEpisodes:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def of_patient(self, patient: PatientRef) -> list[InfusionEpisode]:
        return episode_store.load_episodes(self._conn, patient)

    def get(self, patient: PatientRef, dose: int) -> InfusionEpisode | None:
        return episode_store.get_episode(self._conn, patient, dose)

    def by_id(self, episode_id: int) -> InfusionEpisode | None:
        return episode_store.episode_by_id(self._conn, episode_id)

    def add(self, patient: PatientRef, fields: DoseFields, now: float) -> InfusionEpisode:
        return episode_store.insert_episode(self._conn, patient, fields, now)

    def update(
        self, episode_id: int, fields: DoseFields, now: float, *, expected: EpisodeState | None = None
    ) -> InfusionEpisode:
        return episode_store.update_episode(self._conn, episode_id, fields, now, expected)


class SqlAlerts:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, alert_id: int) -> Alert | None:
        return alert_store.load_alert(self._conn, alert_id)

    def folded_under(self, alert_id: int) -> list[Alert]:
        return alert_store.folded_under(self._conn, alert_id)

    def acknowledge(
        self, alert_id: int, *, expected: AlertState, state: AlertState, by: str, at: float, comment: str
    ) -> None:
        alert_store.store_acknowledgement(self._conn, alert_id, expected, state, by, at, comment)


class SqlAdverseEvents:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, version: AdverseEventVersion) -> int:
        return adverse_store.insert_adverse_event(self._conn, version)

    def latest(self, any_id: int) -> AdverseEventVersion | None:
        return adverse_store.latest_version(self._conn, any_id)

    def of_patient(self, patient: PatientRef) -> list[AdverseEventVersion]:
        return [history[-1] for history in adverse_store.patient_histories(self._conn, patient)]

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
        return adverse_store.insert_report(
            self._conn,
            event=event,
            version=version,
            patient_ref=patient_ref,
            sent_at=sent_at,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        )


class SqlCourseEvents:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

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
        return course_store.insert_course_event(
            self._conn,
            patient_ref=patient_ref,
            kind=kind,
            at=at,
            text=text,
            source=source,
            entered_by=entered_by,
            entered_at=entered_at,
        )

    def deaths(self, patient: PatientRef) -> list[float]:
        return course_store.death_times(self._conn, patient)

    def times(self, patient: PatientRef, kind: str) -> list[float]:
        return course_store.event_times(self._conn, patient, kind)

    def reported_deaths(self, patient: PatientRef) -> list[tuple[float, str]]:
        return outcome_store.adt_deaths(self._conn, patient)


class SqlManualVitals:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self, patient: PatientRef, values: Sequence[ManualValue], at: float, now: float
    ) -> tuple[int, ...]:
        return vitals_store.store_manual_values(self._conn, patient, values, at, now)

    def last_at(self, patient: PatientRef) -> float | None:
        return vitals_store.last_manual_time(self._conn, patient)


class SqlCoMedication:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, administration: MedicationAdministration, entered_by: str, recorded_at: float) -> int:
        return co_medication_store.insert_administrations(
            self._conn, [administration], recorded_at, entered_by=entered_by
        )[0]

    def of_patient(
        self, patient: PatientRef, since: float | None = None, until: float | None = None
    ) -> list[MedicationAdministration]:
        return co_medication_store.administrations(
            self._conn,
            patient,
            to_ms(since) if since is not None else None,
            to_ms(until) if until is not None else None,
        )


class SqlSafetyLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, entry: LogEntry, at: float) -> int:
        return record(self._conn, entry, at)


class SqlUnitOfWork:
    """`with SqlUnitOfWork(engine) as uow:` opens a connection and its transaction; `uow.commit()`
    commits it; leaving the block without committing rolls it back. Entered once."""

    patients: SqlPatients
    episodes: SqlEpisodes
    alerts: SqlAlerts
    adverse_events: SqlAdverseEvents
    course_events: SqlCourseEvents
    vitals: SqlManualVitals
    co_medication: SqlCoMedication
    users: SqlUsers
    log: SqlSafetyLog

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("a unit of work is entered once")
        conn = self._conn = self._engine.connect()
        self._transaction = conn.begin()
        self.patients = SqlPatients(conn)
        self.episodes = SqlEpisodes(conn)
        self.alerts = SqlAlerts(conn)
        self.adverse_events = SqlAdverseEvents(conn)
        self.course_events = SqlCourseEvents(conn)
        self.vitals = SqlManualVitals(conn)
        self.co_medication = SqlCoMedication(conn)
        self.users = SqlUsers(conn)
        self.log = SqlSafetyLog(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, transaction = self._conn, self._transaction
        self._transaction = None
        try:
            if transaction is not None and transaction.is_active:
                transaction.rollback()
        finally:
            if conn is not None:
                conn.close()

    def commit(self) -> None:
        if self._transaction is None:
            raise RuntimeError("commit inside the unit of work")
        self._transaction.commit()
