"""Infusion events from devices and the eMAR, and the dose changes they bring, written inside the
ingest transaction with their safety-log entries. What changes is decided in
`bedside.episode_lifecycle`; this module only reads the doses and writes the result."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bedside_adapters.db import schema as t
from bedside_adapters.db.episode_store import load_episodes
from bedside_adapters.db.patient_match import ref_text
from bedside_adapters.db.safety_store import record
from sqlalchemy import Connection, insert, update

from bedside.clock import to_ms
from bedside.episode_lifecycle import (
    AcceptCandidate,
    MoveEnd,
    MoveStart,
    NewCandidate,
    ReopenEnd,
    Transition,
    device_event_transition,
    overdue_acceptances,
)
from bedside.episodes import EpisodeState
from bedside.infusion import InfusionEvent


def store_infusion_events(
    conn: Connection,
    events: Sequence[InfusionEvent],
    message_id: int,
    patient_id: int | None,
    received_at: float,
) -> None:
    """The events a message brought, then what each changes in its patient's doses."""
    received_ms = to_ms(received_at)
    conn.execute(
        insert(t.infusion_event), [_event_row(e, message_id, patient_id, received_ms) for e in events]
    )
    for e in events:
        record_device_event(conn, e, received_at)


def store_pump_event(conn: Connection, event: InfusionEvent, message_id: int, received_ms: int) -> None:
    """A start or end read from a pump's infusing status: the pump names no patient, so it is kept
    as the pump's event (shown as unassigned) and changes no dose."""
    conn.execute(insert(t.infusion_event), _event_row(event, message_id, None, received_ms))


def _event_row(e: InfusionEvent, message_id: int, patient_id: int | None, received_ms: int) -> dict:
    return {
        "message_id": message_id,
        "patient_ref": str(e.patient) if e.patient else "",
        "patient_id": patient_id,
        "source": e.source.value,
        "kind": e.kind.value,
        "at_ms": to_ms(e.at),
        "device": e.device[:120],
        "product": e.product[:200],
        "amount": e.amount[:80],
        "reason": e.reason[:200],
        "order_id": e.order[:120],
        "received_ms": received_ms,
    }


def record_device_event(conn: Connection, event: InfusionEvent, now: float) -> None:
    """A pump (PCD-10, PCD-01 status) or eMAR (RAS^O17) start or stop: a candidate episode, or a better
    time for an existing one when the source outranks the one it has. Called inside the ingest commit."""
    if event.patient is None:
        return
    transition = device_event_transition(event, load_episodes(conn, event.patient))
    if transition is not None:
        apply_transition(conn, transition, now)


def accept_overdue_candidates(conn: Connection, now: float, confirm_minutes: float) -> int:
    """Accept every candidate start left unconfirmed for `confirm_minutes`; returns how many."""
    transitions = overdue_acceptances(load_episodes(conn), now, confirm_minutes)
    for transition in transitions:
        apply_transition(conn, transition, now)
    return len(transitions)


def apply_transition(conn: Connection, transition: Transition, now: float) -> None:
    """Write one change and its safety-log entry in the caller's transaction."""
    change, entry = transition.change, transition.entry
    match change:
        case NewCandidate():
            episode_id = conn.execute(
                insert(t.infusion_episode)
                .values(
                    patient_ref=ref_text(change.patient),
                    dose_number=change.dose_number,
                    product=change.product[:200],
                    start_ms=to_ms(change.start),
                    start_source=change.source,
                    state=EpisodeState.CANDIDATE.value,
                    created_ms=to_ms(now),
                    updated_ms=to_ms(now),
                )
                .returning(t.infusion_episode.c.id)
            ).scalar_one()
            entry = dataclasses.replace(entry, episode_id=int(episode_id))
        case MoveStart():
            _set(conn, change.episode_id, now, start_ms=to_ms(change.at), start_source=change.source)
        case MoveEnd():
            _set(conn, change.episode_id, now, end_ms=to_ms(change.at), end_source=change.source)
        case ReopenEnd():
            _set(conn, change.episode_id, now, end_ms=None, end_source="")
        case AcceptCandidate():
            # Only a dose still a candidate: a clinician may have confirmed or cancelled it since the
            # tick read it, and that decision stands (no acceptance is written, nor logged).
            if not _set(
                conn, change.episode_id, now, EpisodeState.CANDIDATE, state=EpisodeState.ACCEPTED.value
            ):
                return
    record(conn, entry, now)


def _set(
    conn: Connection, episode_id: int, now: float, expected: EpisodeState | None = None, **values: object
) -> bool:
    """Write `values`; with `expected`, only while the dose is in that state. True when written."""
    e = t.infusion_episode.c
    where = [e.id == episode_id] + ([e.state == expected.value] if expected is not None else [])
    done = conn.execute(update(t.infusion_episode).where(*where).values(updated_ms=to_ms(now), **values))
    return done.rowcount == 1
