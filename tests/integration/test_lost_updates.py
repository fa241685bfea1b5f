"""Two writers racing on one alert or one dose, on SQLite and PostgreSQL: each writes only over the
state it decided on, so the later one is refused (or, for the alerting process, skipped) instead of
overwriting the earlier. The race is made deterministic: the other writer's change is committed
between the handler's read and its write."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.device_episodes import apply_transition
from bedside_adapters.db.episode_store import load_episodes
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from sqlalchemy import Engine, insert, select, update

from bedside.alerts import AlertState
from bedside.clock import to_ms
from bedside.commands import AcknowledgeAlert, AlertError, CancelDose, StartDose
from bedside.episode_lifecycle import overdue_acceptances
from bedside.episodes import EpisodeState
from bedside.handlers import acknowledge_alerts, cancel_dose, start_dose
from bedside.model import PatientRef
from bedside.unit_of_work import ChangedMeanwhile
from bedside.users import Action
from tests.acting import acts, signs

REF = "P1^H"
T0 = 1_780_000_000.0
NOW = T0 + 3 * 3600


class Racing(SqlUnitOfWork):
    """A unit of work in which `meanwhile` (another writer's change, committed on a connection of its
    own) runs right after the handler reads the alert or the dose it will write."""

    def __init__(self, engine: Engine, meanwhile: Callable[[], None]) -> None:
        super().__init__(engine)
        self._meanwhile = meanwhile

    def __enter__(self) -> Racing:
        super().__enter__()
        for repository, name in ((self.alerts, "get"), (self.episodes, "get")):
            read = getattr(repository, name)

            def raced(*args: object, _read=read) -> object:  # type: ignore[no-untyped-def]
                found = _read(*args)
                self._meanwhile()
                return found

            setattr(repository, name, raced)
        return self


def _kinds(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(t.safety_log.c.kind).order_by(t.safety_log.c.seq)).scalars())


def _raised_alert(engine: Engine) -> int:
    episode = start_dose(
        SqlUnitOfWork(engine),
        StartDose(patient=PatientRef.parse(REF), dose=1, start=T0, **acts("RN"), recorded_at=T0),
    )
    with engine.begin() as conn:
        row = {
            "episode_id": episode.id,
            "patient_ref": REF,
            "rule_id": "R1",
            "ruleset": "r",
            "ruleset_digest": "d",
            "grading": "g",
            "severity": "high",
            "state": AlertState.RAISED.value,
            "message": "m",
            "onset_ms": to_ms(T0 + 600),
            "fired_ms": to_ms(T0 + 600),
            "last_true_ms": to_ms(T0 + 600),
            "raised_ms": to_ms(T0 + 600),
        }
        return int(conn.execute(insert(t.alert).values(**row).returning(t.alert.c.id)).scalar_one())


def _ack(alert_id: int, by: str = "RN Ada") -> AcknowledgeAlert:
    return AcknowledgeAlert(
        alert_ids=(alert_id,), **signs(by, Action.ACKNOWLEDGE), recorded_at=NOW, comment="seen"
    )


def test_an_acknowledgement_racing_the_engines_resolve_does_not_reopen_the_alert(engine) -> None:  # type: ignore[no-untyped-def]
    alert_id = _raised_alert(engine)

    def resolve() -> None:  # the alerting process resolves the alert meanwhile
        with engine.begin() as conn:
            conn.execute(
                update(t.alert)
                .where(t.alert.c.id == alert_id)
                .values(state=AlertState.RESOLVED.value, resolved_ms=to_ms(NOW - 60), resolved_reason="ended")
            )

    with pytest.raises(
        AlertError, match=f"alert {alert_id} changed meanwhile: nothing was recorded; look again"
    ):
        acknowledge_alerts(Racing(engine, resolve), _ack(alert_id))
    with engine.connect() as conn:
        state, acked = conn.execute(
            select(t.alert.c.state, t.alert.c.acked_ms).where(t.alert.c.id == alert_id)
        ).one()
    assert (state, acked) == (AlertState.RESOLVED.value, None)
    assert "alert.acknowledged" not in _kinds(engine)
    # Looked at again: a resolved alert nobody acknowledged is acknowledged, and stays resolved.
    assert acknowledge_alerts(SqlUnitOfWork(engine), _ack(alert_id)) == (alert_id,)
    with engine.connect() as conn:
        state, by = conn.execute(
            select(t.alert.c.state, t.alert.c.acked_by).where(t.alert.c.id == alert_id)
        ).one()
    assert (state, by) == (AlertState.RESOLVED.value, "RN Ada")


def test_two_acknowledgements_racing_keep_the_first(engine) -> None:  # type: ignore[no-untyped-def]
    alert_id = _raised_alert(engine)

    def other_screen() -> None:
        acknowledge_alerts(SqlUnitOfWork(engine), _ack(alert_id, "RN Bo"))

    with pytest.raises(AlertError, match="changed meanwhile"):
        acknowledge_alerts(Racing(engine, other_screen), _ack(alert_id))
    with engine.connect() as conn:
        by = conn.execute(select(t.alert.c.acked_by).where(t.alert.c.id == alert_id)).scalar_one()
    assert by == "RN Bo" and _kinds(engine).count("alert.acknowledged") == 1


def _candidate(engine: Engine) -> int:
    with engine.begin() as conn:
        row = {
            "patient_ref": REF,
            "dose_number": 1,
            "product": "",
            "start_ms": to_ms(T0),
            "start_source": "pcd10",
            "state": EpisodeState.CANDIDATE.value,
            "created_ms": to_ms(T0),
            "updated_ms": to_ms(T0),
        }
        return int(
            conn.execute(
                insert(t.infusion_episode).values(**row).returning(t.infusion_episode.c.id)
            ).scalar_one()
        )


def _state(engine: Engine, episode_id: int) -> str:
    with engine.connect() as conn:
        e = t.infusion_episode.c
        return str(conn.execute(select(e.state).where(e.id == episode_id)).scalar_one())


def _cancel() -> CancelDose:
    return CancelDose(
        patient=PatientRef.parse(REF),
        dose=1,
        **signs("luis", Action.CANCEL_DOSE),
        recorded_at=NOW,
        reason="pump primed, no dose given",
    )


def test_a_cancel_racing_the_overdue_acceptance_is_refused_not_overwritten(engine) -> None:  # type: ignore[no-untyped-def]
    episode_id = _candidate(engine)

    def tick() -> None:  # the alerting process accepts the overdue candidate meanwhile
        with engine.begin() as conn:
            for transition in overdue_acceptances(load_episodes(conn), NOW, 30):
                apply_transition(conn, transition, NOW)

    with pytest.raises(ChangedMeanwhile, match="changed meanwhile"):
        cancel_dose(Racing(engine, tick), _cancel())
    assert _state(engine, episode_id) == EpisodeState.ACCEPTED.value
    assert "episode.cancel" not in _kinds(engine) and "episode.accepted" in _kinds(engine)


def test_the_overdue_acceptance_racing_a_cancel_leaves_the_dose_cancelled(engine) -> None:  # type: ignore[no-untyped-def]
    episode_id = _candidate(engine)
    with engine.connect() as conn:
        stale = overdue_acceptances(load_episodes(conn), NOW, 30)  # the tick's read
    assert len(stale) == 1
    cancel_dose(SqlUnitOfWork(engine), _cancel())  # a clinician cancels meanwhile
    logged = _kinds(engine)
    with engine.begin() as conn:
        apply_transition(conn, stale[0], NOW)  # the tick's write
    assert _state(engine, episode_id) == EpisodeState.CANCELLED.value
    assert _kinds(engine) == logged and "episode.accepted" not in logged  # no acceptance logged either
