"""Vital signs entered by hand: validated by `bedside.vitals`, stored as observations of the patient's
manual series, logged with the series they went into."""

from __future__ import annotations

from dataclasses import replace

from bedside import log_entries as le
from bedside.commands import PatientError, RecordVitals, VitalsError
from bedside.handlers.common import authorize, latest_death, resolve_patient, when_text
from bedside.i18n import _
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action, Role
from bedside.vitals import StoredVitals, validate


def record_vitals(uow: UnitOfWork, cmd: RecordVitals) -> StoredVitals:
    """Nothing is written when the entry is refused (VitalsError says what to correct). The patient
    must be one a feed brought: the values join that patient's series."""
    if cmd.recorded_at is None:
        raise ValueError("a vitals entry is recorded with the time it is entered (recorded_at)")
    now = cmd.recorded_at
    authorize(uow, Action.RECORD_VITALS, cmd, cmd.patient)
    with uow:
        # The same resolution as every other action (a bare MRN that a dose names under a second
        # authority is ambiguous too), then only a patient a feed brought.
        try:
            resolved = resolve_patient(uow.patients, cmd.patient)
        except PatientError as exc:
            raise VitalsError(str(exc)) from None
        found = uow.patients.registered(resolved) if resolved.authority else []
        ref = found[0] if found else None
        values = validate(cmd, now, ref)
        assert ref is not None  # validate refuses an unknown patient
        died = latest_death(uow, ref)
        if died is not None and cmd.at > died:
            raise VitalsError(
                _(
                    "{ref} was recorded as deceased at {at}: vital signs cannot be observed after it. "
                    "If the death's time is wrong, correct it first"
                ).format(ref=ref, at=when_text(died))
            )
        series_ids = uow.vitals.add(ref, values, cmd.at, now)
        by = cmd.by.strip()
        entry = le.VitalsRecorded(
            actor=by, patient_ref=ref, observed_at=cmd.at, values=values, series_ids=series_ids
        )
        seq = uow.log.record(entry, now)
        uow.commit()
    return StoredVitals(ref, cmd.at, by, values, tuple(series_ids), seq)


def stamped(cmd: RecordVitals, recorded_at: float, role: Role | None = None) -> RecordVitals:
    """The entry as handed over at `recorded_at` by someone acting in `role` (the form builds it
    without either; None keeps the entry's role)."""
    return replace(cmd, recorded_at=recorded_at, role=cmd.role if role is None else role)
