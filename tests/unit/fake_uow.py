"""An in-memory unit of work for the handlers' unit tests: plain dictionaries, undone when the block
is left without `commit()` (as a database transaction would be)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import asdict, replace
from types import TracebackType
from typing import Any, Self

from bedside.adverse_events import AdverseEventVersion
from bedside.alerts import Alert, AlertState
from bedside.co_medication import MedicationAdministration
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.log_entries import LogEntry
from bedside.model import PatientRef
from bedside.unit_of_work import DoseFields, alert_changed, dose_changed
from bedside.users import Role, StoredAccount, User
from bedside.vitals import ManualValue


class FakePatients:
    def __init__(self, episodes: FakeEpisodes) -> None:
        self.stored: list[PatientRef] = []
        self._episodes = episodes

    def registered(self, patient: PatientRef, *, any_authority: bool = False) -> list[PatientRef]:
        return [
            p
            for p in self.stored
            if p.identifier == patient.identifier and (any_authority or p.authority == patient.authority)
        ]

    def dosed(self, patient: PatientRef) -> list[PatientRef]:
        refs = [ep.patient for ep in sorted(self._episodes.rows.values(), key=lambda e: e.id)]
        return list(dict.fromkeys(r for r in refs if r.identifier == patient.identifier))


def as_ref(patient: PatientRef | str) -> PatientRef:
    """A patient as a test names it: a PatientRef, or its MRN^AUTHORITY text."""
    return patient if isinstance(patient, PatientRef) else PatientRef.parse(patient)


_EPISODE_NAMES = {"cells_per_kg": "cells_per_kg_entered"}


class FakeEpisodes:
    def __init__(self) -> None:
        self.rows: dict[int, InfusionEpisode] = {}
        self.course_doses: dict[int, int] = {}
        self.updated_at: dict[int, float] = {}

    def of_patient(self, patient: PatientRef) -> list[InfusionEpisode]:
        return sorted((e for e in self.rows.values() if e.patient == patient), key=lambda e: e.start)

    def get(self, patient: PatientRef, dose: int) -> InfusionEpisode | None:
        return next((e for e in self.of_patient(patient) if e.dose_number == dose), None)

    def by_id(self, episode_id: int) -> InfusionEpisode | None:
        return self.rows.get(episode_id)

    def add(self, patient: PatientRef, fields: DoseFields, now: float) -> InfusionEpisode:
        episode_id = max(self.rows, default=0) + 1
        assert fields.dose_number is not None and fields.start is not None and fields.start_source
        self.rows[episode_id] = InfusionEpisode(
            id=episode_id,
            patient=patient,
            dose_number=fields.dose_number,
            start=fields.start,
            end=None,
            start_source=fields.start_source,
        )
        return self.update(episode_id, replace(fields, dose_number=None, start=None, start_source=None), now)

    def update(
        self, episode_id: int, fields: DoseFields, now: float, *, expected: EpisodeState | None = None
    ) -> InfusionEpisode:
        if expected is not None and self.rows[episode_id].state is not expected:
            raise dose_changed(episode_id)
        values: dict[str, Any] = {}
        for name, value in vars(fields).items():
            if value is None:
                continue
            if name == "course_doses":
                self.course_doses[episode_id] = value
            elif name == "targets":
                values["targets"] = tuple(sorted(value.items()))
            else:
                values[_EPISODE_NAMES.get(name, name)] = value
        self.rows[episode_id] = replace(self.rows[episode_id], **values)
        self.updated_at[episode_id] = now
        return self.rows[episode_id]

    def candidate(
        self, patient: PatientRef | str, dose: int, start: float, source: str = "pcd10"
    ) -> InfusionEpisode:
        """A device's candidate dose, as the ingest would have stored it (`patient` as a test names
        it: a PatientRef, or its MRN^AUTHORITY text)."""
        fields = DoseFields(dose_number=dose, start=start, start_source=source, state=EpisodeState.CANDIDATE)
        return self.add(as_ref(patient), fields, start)


class FakeAlerts:
    def __init__(self) -> None:
        self.rows: dict[int, Alert] = {}
        self.comments: dict[int, str] = {}

    def get(self, alert_id: int) -> Alert | None:
        return self.rows.get(alert_id)

    def folded_under(self, alert_id: int) -> list[Alert]:
        return [a for _, a in sorted(self.rows.items()) if a.folded_into == alert_id]

    def acknowledge(
        self, alert_id: int, *, expected: AlertState, state: AlertState, by: str, at: float, comment: str
    ) -> None:
        row = self.rows[alert_id]
        if row.state is not expected or row.acked_at is not None:
            raise alert_changed(alert_id)
        self.rows[alert_id] = replace(self.rows[alert_id], state=state, acked_by=by, acked_at=at)
        self.comments[alert_id] = comment

    def raised(
        self, episode: InfusionEpisode, rule: str = "R1", severity: str = "high", **values: Any
    ) -> Alert:
        """An alert the rule engine raised for `episode`."""
        alert_id = max(self.rows, default=0) + 1
        at = episode.start + 600
        fields: dict[str, Any] = {"state": AlertState.RAISED, **values}
        self.rows[alert_id] = Alert(
            id=alert_id,
            episode_id=episode.id,
            rule_id=rule,
            severity=severity,
            onset=at,
            fired_at=at,
            last_true=at,
            raised_at=at,
            **fields,
        )
        return self.rows[alert_id]


class FakeRows:
    """Course events: each stored as the keywords it was given; `reported`: the deaths ADT reported."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.reported: dict[PatientRef, list[tuple[float, str]]] = {}

    def add(self, **row: Any) -> int:
        row_id = max(self.rows, default=0) + 1
        self.rows[row_id] = row
        return row_id

    def deaths(self, patient: PatientRef) -> list[float]:
        return self.times(patient, "death")

    def times(self, patient: PatientRef, kind: str) -> list[float]:
        return [r["at"] for r in self.rows.values() if r["patient_ref"] == patient and r["kind"] == kind]

    def reported_deaths(self, patient: PatientRef) -> list[tuple[float, str]]:
        return list(self.reported.get(patient, []))


class FakeAdverseEvents:
    """Each version stored as its fields (a new row per version, as the database keeps them), and
    the reports to the sponsor."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.reports: dict[int, dict[str, Any]] = {}

    def add(self, version: AdverseEventVersion) -> int:
        row_id = max(self.rows, default=0) + 1
        self.rows[row_id] = {**asdict(version), "id": row_id}
        return row_id

    def latest(self, any_id: int) -> AdverseEventVersion | None:
        row = self.rows.get(any_id)
        if row is None:
            return None
        event = row["event"] or any_id
        rows = [r for r in self.rows.values() if (r["event"] or r["id"]) == event]
        newest = max(rows, key=lambda r: r["version"])
        sent = [r["sent_at"] for r in self.reports.values() if r["event"] == event]
        follow_ups = max(0, len(sent) - 1)
        return AdverseEventVersion(
            **{**newest, "sent_at": min(sent, default=None), "follow_up_reports": follow_ups}
        )

    def of_patient(self, patient: PatientRef) -> list[AdverseEventVersion]:
        firsts = [
            i for i, r in sorted(self.rows.items()) if r["event"] is None and r["patient_ref"] == patient
        ]
        return [v for i in firsts if (v := self.latest(i)) is not None]

    def add_report(self, **row: Any) -> int:
        report_id = max(self.reports, default=0) + 1
        self.reports[report_id] = row
        return report_id


class FakeVitals:
    def __init__(self) -> None:
        self.series: dict[tuple[PatientRef, str, str, str], int] = {}
        self.observations: list[tuple[int, float, float, float]] = []

    def add(
        self, patient: PatientRef, values: Sequence[ManualValue], at: float, now: float
    ) -> tuple[int, ...]:
        ids = []
        for v in values:
            key = (patient, v.parameter, v.unit, v.instance)
            series_id = self.series.setdefault(key, len(self.series) + 1)
            self.observations.append((series_id, at, now, v.value))
            ids.append(series_id)
        return tuple(ids)

    def last_at(self, patient: PatientRef) -> float | None:
        mine = {sid for (p, *_), sid in self.series.items() if p == patient}
        return max((at for sid, at, _, _ in self.observations if sid in mine), default=None)


class FakeLog:
    def __init__(self) -> None:
        self.entries: list[tuple[LogEntry, float]] = []

    def record(self, entry: LogEntry, at: float) -> int:
        self.entries.append((entry, at))
        return len(self.entries)

    def kinds(self) -> list[str]:
        return [e.kind for e, _ in self.entries]


class FakeUsers:
    def __init__(self) -> None:
        self.rows: dict[str, StoredAccount] = {}

    def find(self, username: str) -> StoredAccount | None:
        return self.rows.get(username)

    def count(self) -> int:
        return len(self.rows)

    def active_admins(self) -> list[str]:
        return sorted(n for n, a in self.rows.items() if a.user.role is Role.ADMIN and a.user.active)

    def all(self) -> list[User]:
        return [self.rows[n].user for n in sorted(self.rows)]

    def add(self, user: User, password_hash: str, at: float) -> None:
        self.rows[user.username] = StoredAccount(user, password_hash)

    def update(
        self, username: str, at: float, *, active: bool | None = None, password_hash: str | None = None
    ) -> None:
        old = self.rows[username]
        user = old.user if active is None else replace(old.user, active=active)
        self.rows[username] = StoredAccount(
            user, old.password_hash if password_hash is None else password_hash
        )


class FakeCoMedication:
    def __init__(self) -> None:
        self.rows: dict[int, tuple[MedicationAdministration, str, float]] = {}

    def add(self, administration: MedicationAdministration, entered_by: str, recorded_at: float) -> int:
        row_id = len(self.rows) + 1
        self.rows[row_id] = (replace(administration, id=row_id), entered_by, recorded_at)
        return row_id

    def of_patient(
        self, patient: PatientRef, since: float | None = None, until: float | None = None
    ) -> list[MedicationAdministration]:
        rows = [a for a, _, _ in self.rows.values() if a.patient == patient]
        return sorted(
            (
                a
                for a in rows
                if (until is None or a.start <= until)
                and (since is None or a.start >= since or (a.end is not None and a.end >= since))
            ),
            key=lambda a: a.start,
        )


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.episodes = FakeEpisodes()
        self.patients = FakePatients(self.episodes)
        self.alerts = FakeAlerts()
        self.adverse_events = FakeAdverseEvents()
        self.course_events = FakeRows()
        self.vitals = FakeVitals()
        self.co_medication = FakeCoMedication()
        self.users = FakeUsers()
        self.log = FakeLog()
        self.commits = 0
        self._saved: dict[str, dict[str, Any]] | None = None

    def _repositories(self) -> dict[str, Any]:
        return {
            "episodes": self.episodes,
            "patients": self.patients,
            "alerts": self.alerts,
            "adverse_events": self.adverse_events,
            "course_events": self.course_events,
            "vitals": self.vitals,
            "co_medication": self.co_medication,
            "users": self.users,
            "log": self.log,
        }

    def __enter__(self) -> Self:
        assert self._saved is None, "a unit of work is entered once at a time"
        self._saved = {
            name: copy.deepcopy({k: v for k, v in vars(repo).items() if not k.startswith("_")})
            for name, repo in self._repositories().items()
        }
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        saved, self._saved = self._saved, None
        if saved is not None:  # not committed: undo
            for name, repo in self._repositories().items():
                vars(repo).update(saved[name])

    def commit(self) -> None:
        assert self._saved is not None, "commit inside the unit of work"
        self._saved = None
        self.commits += 1
