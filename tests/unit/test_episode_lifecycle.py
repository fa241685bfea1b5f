"""The dose lifecycle from devices, decided without a database: matching a start to a dose, ranking
sources, ending the running dose, accepting overdue candidates, the pump's infusing status."""

from __future__ import annotations

from bedside import log_entries as le
from bedside.episode_lifecycle import (
    AcceptCandidate,
    MoveEnd,
    MoveStart,
    NewCandidate,
    device_event_transition,
    device_state_change,
    overdue_acceptances,
)
from bedside.episodes import MATCH_SECONDS, EpisodeState, InfusionEpisode
from bedside.infusion import EventKind, EventSource, InfusionEvent
from bedside.model import DeviceState, PatientRef

P = PatientRef("P1", "H")
T0 = 1_764_000_000.0


def dose(
    n: int,
    start: float,
    source: str = "pcd10",
    state: EpisodeState = EpisodeState.CANDIDATE,
    end: float | None = None,
    end_source: str = "",
) -> InfusionEpisode:
    return InfusionEpisode(
        id=10 + n,
        patient=str(P),
        dose_number=n,
        start=start,
        end=end,
        start_source=source,
        state=state,
        end_source=end_source,
    )


def event(kind: EventKind, at: float, source: EventSource = EventSource.PUMP_EVENT, **kw) -> InfusionEvent:  # type: ignore[no-untyped-def]
    return InfusionEvent(P, source, kind, at, **kw)


def test_a_start_far_from_every_dose_is_a_new_candidate_with_the_next_number() -> None:
    doses = [dose(1, T0), dose(2, T0 + 86400.0, state=EpisodeState.CANCELLED)]
    t = device_event_transition(
        event(EventKind.START, T0 + 2 * 86400.0, device="PUMP-1", product="MSC"), doses
    )
    assert t is not None
    assert t.change == NewCandidate(P, 3, T0 + 2 * 86400.0, "pcd10", "MSC")
    assert isinstance(t.entry, le.CandidateEpisode) and t.entry.episode_id is None
    assert t.entry.actor == "ingest:pcd10"
    assert t.entry.payload() == {
        "dose": 3,
        "start": T0 + 2 * 86400.0,
        "source": "pcd10",
        "product": "MSC",
        "device": "PUMP-1",
    }


def test_a_better_source_moves_a_device_start_within_the_window() -> None:
    t = device_event_transition(event(EventKind.START, T0 + 300.0, EventSource.ADMINISTRATION), [dose(1, T0)])
    assert t is not None and t.change == MoveStart(11, T0 + 300.0, "ras")
    assert t.entry.kind == "episode.edit"
    assert t.entry.payload() == {"dose": 1, "start": {"from": T0, "to": T0 + 300.0}, "source": "ras"}


def test_a_worse_source_or_a_clinicians_start_is_never_moved() -> None:
    assert (
        device_event_transition(event(EventKind.START, T0 + 60.0, EventSource.PUMP_STATUS), [dose(1, T0)])
        is None
    )
    manual = dose(1, T0, source="manual", state=EpisodeState.CONFIRMED)
    assert (
        device_event_transition(event(EventKind.START, T0 + 60.0, EventSource.ADMINISTRATION), [manual])
        is None
    )
    assert device_event_transition(event(EventKind.START, T0), [dose(1, T0)]) is None


def test_the_window_is_the_match_distance() -> None:
    inside = device_event_transition(
        event(EventKind.START, T0 + MATCH_SECONDS), [dose(1, T0, source="pcd01-status")]
    )
    assert inside is not None and isinstance(inside.change, MoveStart)
    outside = device_event_transition(event(EventKind.START, T0 + MATCH_SECONDS + 1.0), [dose(1, T0)])
    assert outside is not None and isinstance(outside.change, NewCandidate)


def test_a_cancelled_dose_matches_nothing() -> None:
    t = device_event_transition(
        event(EventKind.START, T0 + 60.0), [dose(1, T0, state=EpisodeState.CANCELLED)]
    )
    assert t is not None and t.change == NewCandidate(P, 2, T0 + 60.0, "pcd10", "")


def test_a_stop_ends_the_latest_running_dose() -> None:
    doses = [dose(1, T0, end=T0 + 3600.0, end_source="pcd10"), dose(2, T0 + 86400.0)]
    t = device_event_transition(event(EventKind.STOP, T0 + 86400.0 + 1800.0, reason="done"), doses)
    assert t is not None and t.change == MoveEnd(12, T0 + 86400.0 + 1800.0, "pcd10")
    assert isinstance(t.entry, le.DeviceStopped)
    assert t.entry.payload() == {"dose": 2, "end": T0 + 86400.0 + 1800.0, "source": "pcd10", "reason": "done"}


def test_a_stop_moves_a_device_end_only_for_a_source_that_outranks_it() -> None:
    ended = dose(1, T0, end=T0 + 3600.0, end_source="pcd10")
    better = device_event_transition(event(EventKind.STOP, T0 + 3700.0, EventSource.ADMINISTRATION), [ended])
    assert better is not None and better.change == MoveEnd(11, T0 + 3700.0, "ras")
    assert (
        device_event_transition(event(EventKind.STOP, T0 + 3700.0, EventSource.PUMP_STATUS), [ended]) is None
    )
    by_hand = dose(1, T0, end=T0 + 3600.0, end_source="manual")
    assert (
        device_event_transition(event(EventKind.STOP, T0 + 3700.0, EventSource.ADMINISTRATION), [by_hand])
        is None
    )
    assert device_event_transition(event(EventKind.STOP, T0 + 3600.0), [ended]) is None


def test_a_stop_before_every_start_or_without_a_patient_changes_nothing() -> None:
    assert device_event_transition(event(EventKind.STOP, T0 - 60.0), [dose(1, T0)]) is None
    no_patient = InfusionEvent(None, EventSource.PUMP_STATUS, EventKind.START, T0)
    assert device_event_transition(no_patient, []) is None


def test_candidates_left_unconfirmed_past_the_limit_are_accepted() -> None:
    doses = [
        dose(1, T0),
        dose(2, T0 + 3000.0),
        dose(3, T0 - 7200.0, source="manual", state=EpisodeState.CONFIRMED),
    ]
    (t,) = overdue_acceptances(doses, T0 + 3601.0, 60.0)
    assert t.change == AcceptCandidate(11)
    assert t.entry.actor == le.ENGINE_ACTOR and t.entry.episode_id == 11 and t.entry.patient_ref == str(P)
    assert t.entry.payload() == {
        "dose": 1,
        "start": T0,
        "source": "pcd10",
        "why": "not confirmed within 60 min",
    }
    assert overdue_acceptances(doses, T0 + 3600.0, 60.0) == []


def state(value: str, key: str = "pump_infusing_status") -> DeviceState:
    return DeviceState("PUMP-1", key, value, T0)


def test_a_state_is_kept_only_when_it_changes() -> None:
    assert device_state_change("VC", state("VC", "vent_mode")) is None
    kept = device_state_change("VC", state("PS", "vent_mode"))
    assert kept is not None and kept.state == state("PS", "vent_mode") and kept.infusion is None


def test_the_pumps_infusing_status_turning_starts_and_ends_its_infusion() -> None:
    started = device_state_change("not-infusing", state("infusing"))
    assert started is not None and started.infusion == InfusionEvent(
        None, EventSource.PUMP_STATUS, EventKind.START, T0, device="PUMP-1"
    )
    first_seen = device_state_change(None, state("infusing"))
    assert first_seen is not None and first_seen.infusion is not None
    stopped = device_state_change("infusing", state("not-infusing"))
    assert stopped is not None and stopped.infusion == InfusionEvent(
        None, EventSource.PUMP_STATUS, EventKind.STOP, T0, device="PUMP-1", reason="not-infusing"
    )


def test_a_pump_first_seen_idle_or_staying_in_its_state_reports_no_infusion() -> None:
    for last, value in [(None, "not-infusing"), ("infusing", "infusing-kvo"), ("standby", "not-infusing")]:
        change = device_state_change(last, state(value))
        assert change is not None and change.infusion is None, (last, value)
