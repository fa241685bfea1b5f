"""Candidate episodes from devices: a pump (PCD-10, PCD-01 status) or eMAR (RAS^O17) start or stop,
written inside the ingest transaction with its safety-log entry."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.db.episode_store import MATCH_SECONDS, load_episodes
from bedside_adapters.db.safety_store import append
from sqlalchemy import Connection, func, insert, select, update

from bedside.clock import to_ms
from bedside.episodes import EpisodeState, outranks
from bedside.infusion import EventKind, InfusionEvent


def _next_dose(conn: Connection, patient_ref: str) -> int:
    e = t.infusion_episode.c
    return (
        int(
            conn.execute(
                select(func.coalesce(func.max(e.dose_number), 0)).where(e.patient_ref == patient_ref)
            ).scalar_one()
        )
        + 1
    )


def _set(conn: Connection, episode_id: int, now: float, **values: object) -> None:
    e = t.infusion_episode.c
    conn.execute(update(t.infusion_episode).where(e.id == episode_id).values(updated_ms=to_ms(now), **values))


def record_device_event(conn: Connection, event: InfusionEvent, now: float) -> None:
    """A pump (PCD-10, PCD-01 status) or eMAR (RAS^O17) start or stop: a candidate episode, or a better
    time for an existing one when the source outranks the one it has. Called inside the ingest commit."""
    if event.patient is None:
        return  # a pump with no patient: kept as an infusion event, shown as unassigned
    ref = str(event.patient)
    actor = f"ingest:{event.source.value}"
    episodes = [ep for ep in load_episodes(conn, ref) if ep.state is not EpisodeState.CANCELLED]
    if event.kind is EventKind.START:
        same = [ep for ep in episodes if abs(ep.start - event.at) <= MATCH_SECONDS]
        if same:
            ep = same[0]
            if (
                ep.start != event.at
                and outranks(event.source.value, ep.start_source)
                and ep.start_source != "manual"
            ):
                _set(conn, ep.id, now, start_ms=to_ms(event.at), start_source=event.source.value)
                append(
                    conn,
                    "episode.edit",
                    actor,
                    {
                        "dose": ep.dose_number,
                        "start": {"from": ep.start, "to": event.at},
                        "source": event.source.value,
                    },
                    now,
                    ref,
                    ep.id,
                )
            return
        dose = _next_dose(conn, ref)
        episode_id = conn.execute(
            insert(t.infusion_episode)
            .values(
                patient_ref=ref,
                dose_number=dose,
                product=(event.product or "")[:200],
                start_ms=to_ms(event.at),
                start_source=event.source.value,
                state=EpisodeState.CANDIDATE.value,
                created_ms=to_ms(now),
                updated_ms=to_ms(now),
            )
            .returning(t.infusion_episode.c.id)
        ).scalar_one()
        append(
            conn,
            "episode.candidate",
            actor,
            {
                "dose": dose,
                "start": event.at,
                "source": event.source.value,
                "product": event.product,
                "device": event.device,
            },
            now,
            ref,
            int(episode_id),
        )
        return
    running = [
        ep
        for ep in episodes
        if ep.start <= event.at
        and (
            ep.end is None
            or (
                abs(ep.end - event.at) <= MATCH_SECONDS
                and outranks(event.source.value, ep.end_source)
                and ep.end_source != "manual"
            )
        )
    ]
    if not running:
        return
    ep = running[-1]
    if ep.end == event.at:
        return
    _set(conn, ep.id, now, end_ms=to_ms(event.at), end_source=event.source.value)
    append(
        conn,
        "episode.stop",
        actor,
        {"dose": ep.dose_number, "end": event.at, "source": event.source.value, "reason": event.reason},
        now,
        ref,
        ep.id,
    )
