"""Device starts and stops written to the database as the core decides them: a better source moves a
candidate's start, an overdue candidate is accepted, each change with its safety-log entry."""

from __future__ import annotations

from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db.device_episodes import record_device_event
from bedside_adapters.db.episode_store import load_episodes
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.safety_store import log_listing, verify_log

from bedside.episodes import EpisodeState
from bedside.infusion import EventKind, EventSource, InfusionEvent
from bedside.model import PatientRef
from bedside.rules.ruleset import RuleSet

P = PatientRef("P9", "H")
T0 = 1_764_000_000.0


def _event(kind: EventKind, at: float, source: EventSource = EventSource.PUMP_EVENT) -> InfusionEvent:
    return InfusionEvent(P, source, kind, at, device="PUMP-7", product="AT-MSC")


def test_a_candidate_is_moved_by_a_better_source_stopped_and_accepted_when_overdue(engine) -> None:
    with engine.begin() as conn:
        record_device_event(conn, _event(EventKind.START, T0), T0 + 5.0)
        record_device_event(conn, _event(EventKind.START, T0 + 120.0, EventSource.ADMINISTRATION), T0 + 130.0)
        record_device_event(conn, _event(EventKind.START, T0 + 60.0, EventSource.PUMP_STATUS), T0 + 140.0)
        record_device_event(conn, _event(EventKind.STOP, T0 + 2700.0), T0 + 2705.0)
    with engine.connect() as conn:
        (ep,) = load_episodes(conn, P)
    assert (ep.dose_number, ep.start, ep.start_source, ep.end, ep.end_source, ep.state) == (
        1,
        T0 + 120.0,
        "ras",
        T0 + 2700.0,
        "pcd10",
        EpisodeState.CANDIDATE,
    )
    rules = RuleSet.load()
    service = AlertingService(engine, rules)
    limit = rules.candidate_confirm_minutes * 60.0
    assert service.accept_overdue_candidates(T0 + 120.0 + limit) == 0
    assert service.accept_overdue_candidates(T0 + 121.0 + limit) == 1
    assert service.accept_overdue_candidates(T0 + 122.0 + limit) == 0  # accepted once
    with engine.connect() as conn:
        (ep,) = load_episodes(conn, P)
    assert ep.state is EpisodeState.ACCEPTED
    entries = log_listing(engine, MrnQuery.of(P), 10)
    assert [(e["kind"], e["actor"], e["episode_id"]) for e in entries] == [
        ("episode.candidate", "ingest:pcd10", ep.id),
        ("episode.edit", "ingest:ras", ep.id),
        ("episode.stop", "ingest:pcd10", ep.id),
        ("episode.accepted", "bedside-rules", ep.id),
    ]
    assert [e["payload"] for e in entries] == [
        {"dose": 1, "start": T0, "source": "pcd10", "product": "AT-MSC", "device": "PUMP-7"},
        {"dose": 1, "start": {"from": T0, "to": T0 + 120.0}, "source": "ras"},
        {"dose": 1, "end": T0 + 2700.0, "source": "pcd10", "reason": ""},
        {
            "dose": 1,
            "start": T0 + 120.0,
            "source": "ras",
            "why": f"not confirmed within {rules.candidate_confirm_minutes:g} min",
        },
    ]
    assert verify_log(engine).ok
