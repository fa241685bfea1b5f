"""How devices move a dose's lifecycle: a device or eMAR start or stop, a pump's infusing status
changing, a candidate start nobody confirmed in time. Each decision is a change to persist and the
safety-log entry that records it; the database adapter only writes them.

A start within `MATCH_SECONDS` of an existing dose's start is the same dose seen by another source:
a source that outranks the one the dose has moves its time (a clinician's time is never moved), any
other start is a new *candidate* dose. A stop ends the latest dose running at that time, or moves a
device's end that a better-ranked source reports within the same window. A pump's pause ends the
dose running at that time (never moving an end already set) and its resume takes that end back,
unless a clinician set it; a change of rate or program changes no dose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bedside import log_entries as le
from bedside.episodes import MATCH_SECONDS, EpisodeState, InfusionEpisode, outranks
from bedside.infusion import EventKind, EventSource, InfusionEvent
from bedside.model import DeviceState, PatientRef

PUMP_INFUSING_STATUS = "pump_infusing_status"
"""The device state (MDC_PUMP_INFUSING_STATUS) whose changes are candidate starts and ends."""


@dataclass(frozen=True, slots=True)
class NewCandidate:
    """A dose no clinician entered yet: a new episode in state candidate."""

    patient: PatientRef
    dose_number: int
    start: float
    source: str
    product: str


@dataclass(frozen=True, slots=True)
class MoveStart:
    episode_id: int
    at: float
    source: str


@dataclass(frozen=True, slots=True)
class MoveEnd:
    episode_id: int
    at: float
    source: str


@dataclass(frozen=True, slots=True)
class ReopenEnd:
    """The pump resumed delivery: the end its pause gave the dose is taken back."""

    episode_id: int


@dataclass(frozen=True, slots=True)
class AcceptCandidate:
    """The candidate becomes state accepted: used as the dose, still unconfirmed."""

    episode_id: int


EpisodeChange = NewCandidate | MoveStart | MoveEnd | ReopenEnd | AcceptCandidate


@dataclass(frozen=True, slots=True)
class Transition:
    """One change and its log entry. The entry of a `NewCandidate` has no episode id yet: the store
    gives it the id of the row it creates."""

    change: EpisodeChange
    entry: le.LogEntry


def device_actor(source: EventSource) -> str:
    """Who the log names for what a device or the eMAR reported."""
    return f"ingest:{source.value}"


def device_event_transition(event: InfusionEvent, episodes: Sequence[InfusionEpisode]) -> Transition | None:
    """What a pump (PCD-10, PCD-01 status) or eMAR (RAS^O17) start, stop, pause or resume changes.
    `episodes`: the event's patient's, in start order, cancelled ones included (their dose numbers
    stay taken). None: nothing changes (no patient, a time already held, a stop with no dose running,
    a change of rate or program)."""
    if event.patient is None or event.kind is EventKind.CHANGE:
        return None  # a pump with no patient: kept as an infusion event, shown as unassigned
    ref = event.patient
    source = event.source.value
    actor = device_actor(event.source)
    live = [ep for ep in episodes if ep.state is not EpisodeState.CANCELLED]
    if event.kind is EventKind.PAUSE:
        return _pause(event, live)
    if event.kind is EventKind.RESUME:
        earlier = [ep for ep in live if ep.start <= event.at]
        if earlier:
            return _resume(event, earlier[-1])
    if event.kind in (EventKind.START, EventKind.RESUME):  # a resume of a dose never seen: a start
        same = [ep for ep in live if abs(ep.start - event.at) <= MATCH_SECONDS]
        if same:
            ep = same[0]
            if ep.start != event.at and outranks(source, ep.start_source) and ep.start_source != "manual":
                return Transition(
                    MoveStart(ep.id, event.at, source),
                    le.DoseEdited(
                        actor=actor,
                        patient_ref=ref,
                        episode_id=ep.id,
                        dose=ep.dose_number,
                        start=(ep.start, event.at),
                        source=source,
                    ),
                )
            return None
        dose = max((ep.dose_number for ep in episodes), default=0) + 1
        return Transition(
            NewCandidate(ref, dose, event.at, source, event.product),
            le.CandidateEpisode(
                actor=actor,
                patient_ref=ref,
                dose=dose,
                start=event.at,
                source=source,
                product=event.product,
                device=event.device,
            ),
        )
    running = [
        ep
        for ep in live
        if ep.start <= event.at
        and (
            ep.end is None
            or (
                abs(ep.end - event.at) <= MATCH_SECONDS
                and outranks(source, ep.end_source)
                and ep.end_source != "manual"
            )
        )
    ]
    if not running or running[-1].end == event.at:
        return None
    ep = running[-1]
    return Transition(
        MoveEnd(ep.id, event.at, source),
        le.DeviceStopped(
            actor=actor,
            patient_ref=ref,
            episode_id=ep.id,
            dose=ep.dose_number,
            end=event.at,
            source=source,
            reason=event.reason,
        ),
    )


def _pause(event: InfusionEvent, live: Sequence[InfusionEpisode]) -> Transition | None:
    """Delivery stopped and may go on: the running dose ends here. An end already set (a
    completion, a clinician's stop) is never moved by a pause."""
    running = [ep for ep in live if ep.start <= event.at and ep.end is None]
    if not running:
        return None
    ep = running[-1]
    return Transition(
        MoveEnd(ep.id, event.at, event.source.value),
        le.DeviceStopped(
            actor=device_actor(event.source),
            patient_ref=event.patient,
            episode_id=ep.id,
            dose=ep.dose_number,
            end=event.at,
            source=event.source.value,
            reason=f"delivery paused: {event.reason}" if event.reason else "delivery paused",
        ),
    )


def _resume(event: InfusionEvent, ep: InfusionEpisode) -> Transition | None:
    """Delivery goes on: the dose's end, when a device set it (not a clinician), is taken back."""
    source = event.source.value
    if (
        ep.end is None
        or ep.end > event.at
        or ep.end_source == "manual"
        or not outranks(source, ep.end_source)
    ):
        return None
    return Transition(
        ReopenEnd(ep.id),
        le.DoseEdited(
            actor=device_actor(event.source),
            patient_ref=event.patient,
            episode_id=ep.id,
            dose=ep.dose_number,
            end=(ep.end, None),
            why="the pump resumed delivery",
            source=source,
        ),
    )


def overdue_acceptances(
    episodes: Sequence[InfusionEpisode], now: float, confirm_minutes: float
) -> list[Transition]:
    """A device start nobody confirmed within `confirm_minutes` stops being a candidate: it is
    accepted as the dose (its alerts keep saying the start was not confirmed) and the log says so."""
    limit = confirm_minutes * 60.0
    return [
        Transition(
            AcceptCandidate(ep.id),
            le.CandidateAccepted(
                actor=le.ENGINE_ACTOR,
                patient_ref=ep.patient,
                episode_id=ep.id,
                dose=ep.dose_number,
                start=ep.start,
                source=ep.start_source,
                why=f"not confirmed within {confirm_minutes:g} min",
            ),
        )
        for ep in episodes
        if ep.state is EpisodeState.CANDIDATE and now - ep.start > limit
    ]


def _infusing(status: str) -> bool:
    return "infusing" in status and "not" not in status


@dataclass(frozen=True, slots=True)
class DeviceStateChange:
    """A device state to keep (it differs from the last one kept) and, for a pump whose infusing
    status turned, the candidate start or end it reports (no patient: the pump's own event)."""

    state: DeviceState
    infusion: InfusionEvent | None = None


def device_state_change(last: str | None, state: DeviceState) -> DeviceStateChange | None:
    """`last`: the value last kept for this device and state (None: never seen). None: unchanged,
    nothing to keep. A pump first seen not infusing starts nothing and ends nothing."""
    if last == state.value:
        return None
    if state.key != PUMP_INFUSING_STATUS:
        return DeviceStateChange(state)
    infusing = _infusing(state.value)
    was_infusing = last is not None and _infusing(last)
    if infusing == was_infusing or not (infusing or last is not None):
        return DeviceStateChange(state)
    event = InfusionEvent(
        patient=None,
        source=EventSource.PUMP_STATUS,
        kind=EventKind.START if infusing else EventKind.STOP,
        at=state.at,
        device=state.device,
        reason="" if infusing else state.value,
    )
    return DeviceStateChange(state, event)
