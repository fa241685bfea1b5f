"""The database unit of work: a clinician action's rows and its safety-log entries are committed
together, and nothing of an action that is refused or fails is left behind."""

from __future__ import annotations

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.safety_store import log_listing, verify_log
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from sqlalchemy import func, select

from bedside import log_entries as le
from bedside.commands import EpisodeError, StartDose, StopDose
from bedside.episodes import EpisodeState
from bedside.handlers import start_dose, stop_dose
from bedside.model import PatientRef
from bedside.unit_of_work import DoseFields
from tests.acting import acts

REF = "P1^H"
T0 = 1_780_000_000.0


def counts(engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        episodes = conn.execute(select(func.count()).select_from(t.infusion_episode)).scalar_one()
        entries = conn.execute(select(func.count()).select_from(t.safety_log)).scalar_one()
    return int(episodes), int(entries)


def test_an_action_and_its_log_entries_are_committed_together(engine) -> None:  # type: ignore[no-untyped-def]
    ep = start_dose(
        SqlUnitOfWork(engine),
        StartDose(patient=PatientRef.parse(REF), dose=1, start=T0, **acts("RN"), recorded_at=T0),
    )
    stop_dose(
        SqlUnitOfWork(engine),
        StopDose(patient=PatientRef.parse(REF), dose=1, end=T0 + 3600, **acts("RN"), recorded_at=T0 + 3600),
    )
    assert counts(engine) == (1, 2)
    start, stop = log_listing(engine)
    assert (start["kind"], start["episode_id"], start["patient"]) == ("episode.start", ep.id, REF)
    assert stop["payload"] == {"dose": 1, "end": T0 + 3600, "was": None}
    assert verify_log(engine).ok


def test_a_refused_action_leaves_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    start_dose(
        SqlUnitOfWork(engine),
        StartDose(patient=PatientRef.parse(REF), dose=1, start=T0, **acts("RN"), recorded_at=T0),
    )
    with pytest.raises(EpisodeError, match="is before the start"):
        stop_dose(
            SqlUnitOfWork(engine),
            StopDose(patient=PatientRef.parse(REF), dose=1, end=T0 - 60, **acts("RN"), recorded_at=T0),
        )
    assert counts(engine) == (1, 1)
    assert verify_log(engine).ok


def test_a_unit_left_without_commit_is_undone(engine) -> None:  # type: ignore[no-untyped-def]
    fields = DoseFields(dose_number=1, start=T0, start_source="manual", state=EpisodeState.CONFIRMED)
    with pytest.raises(RuntimeError, match="power cut"), SqlUnitOfWork(engine) as uow:
        ep = uow.episodes.add(PatientRef.parse(REF), fields, T0)
        uow.log.record(
            le.DoseStarted(actor="RN", patient_ref=PatientRef.parse(REF), episode_id=ep.id, episode=ep), T0
        )
        raise RuntimeError("power cut")
    with SqlUnitOfWork(engine) as uow:
        uow.episodes.add(PatientRef.parse(REF), fields, T0)  # no commit
    assert counts(engine) == (0, 0)
    assert verify_log(engine).ok


def test_a_unit_of_work_is_entered_once(engine) -> None:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(engine)
    with uow:
        pass
    with pytest.raises(RuntimeError, match="entered once"), uow:
        pass
