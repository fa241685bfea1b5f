"""Infusion episodes in the database: manual entries, confirmation and edits from the CLI or the
screens (candidates from devices are in `device_episodes`). Every change is a safety-log entry written
in the same transaction."""

from __future__ import annotations

import json

from bedside_adapters.db import schema as t
from bedside_adapters.db.safety_store import append
from sqlalchemy import Connection, func, insert, select, update

from bedside.clock import from_ms, to_ms
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.rules.targets import check_targets

MATCH_SECONDS = 30 * 60.0
"""A start within 30 min of an existing episode's start is the same dose seen by another source."""


class EpisodeError(ValueError):
    """A request the episode record cannot take (the message says what to do instead)."""


def _episode(r) -> InfusionEpisode:  # type: ignore[no-untyped-def]
    return InfusionEpisode(
        id=int(r.id),
        patient=r.patient_ref,
        dose_number=int(r.dose_number),
        start=from_ms(r.start_ms),
        end=None if r.end_ms is None else from_ms(r.end_ms),
        start_source=r.start_source,
        state=EpisodeState(r.state),
        product=r.product,
        cells=r.cells,
        weight_kg=r.weight_kg,
        cells_per_kg_entered=r.cells_per_kg,
        planned_start=None if r.planned_start_ms is None else from_ms(r.planned_start_ms),
        end_source=r.end_source,
        confirmed_by=r.confirmed_by,
        confirmed_at=None if r.confirmed_ms is None else from_ms(r.confirmed_ms),
        targets=parse_targets(r.targets),
    )


def parse_targets(text: str) -> tuple[tuple[str, float], ...]:
    try:
        d = json.loads(text or "{}")
    except ValueError:
        return ()
    if not isinstance(d, dict):
        return ()
    return tuple(sorted((str(k), float(v)) for k, v in d.items() if isinstance(v, int | float)))


def load_episodes(conn: Connection, patient_ref: str | None = None) -> list[InfusionEpisode]:
    e = t.infusion_episode.c
    stmt = select(t.infusion_episode).order_by(e.patient_ref, e.start_ms)
    if patient_ref is not None:
        stmt = stmt.where(e.patient_ref == patient_ref)
    return [_episode(r) for r in conn.execute(stmt)]


def resolve_patient(conn: Connection, text: str) -> str:
    """MRN or MRN^authority → the stored patient reference."""
    if "^" in text:
        return text
    p = t.patient.c
    rows = conn.execute(select(p.identifier, p.authority).where(p.identifier == text)).all()
    if len(rows) > 1:
        raise EpisodeError(f"{text} is known under several authorities: give MRN^AUTHORITY")
    if rows:
        return f"{rows[0][0]}^{rows[0][1]}"
    e = t.infusion_episode.c
    known = conn.execute(select(e.patient_ref).where(e.patient_ref.like(f"{text}^%")).limit(1)).first()
    return known[0] if known else f"{text}^"


def _snapshot(ep: InfusionEpisode) -> dict:
    return {
        "dose": ep.dose_number,
        "start": ep.start,
        "end": ep.end,
        "start_source": ep.start_source,
        "end_source": ep.end_source,
        "state": ep.state.value,
        "product": ep.product,
        "cells_per_kg": ep.cells_per_kg,
    }


def _get(conn: Connection, patient_ref: str, dose: int) -> InfusionEpisode | None:
    e = t.infusion_episode.c
    r = conn.execute(
        select(t.infusion_episode).where(e.patient_ref == patient_ref, e.dose_number == dose)
    ).first()
    return None if r is None else _episode(r)


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


def start_manual(
    conn: Connection,
    patient_ref: str,
    dose: int,
    at: float,
    by: str,
    now: float,
    product: str = "",
    cells_per_kg: float | None = None,
    cells: float | None = None,
    weight_kg: float | None = None,
    planned: float | None = None,
    course_doses: int | None = None,
) -> InfusionEpisode:
    """The nurse's "infusion started": always works (gravity and syringe doses have no smart pump).
    It confirms and re-anchors a candidate from a device at about the same time, or creates the dose."""
    extra = {
        k: v
        for k, v in {
            "product": product[:200] if product else None,
            "cells_per_kg": cells_per_kg,
            "cells": cells,
            "weight_kg": weight_kg,
            "planned_start_ms": None if planned is None else to_ms(planned),
            "course_doses": course_doses,
        }.items()
        if v is not None
    }
    ep = _get(conn, patient_ref, dose)
    if ep is None:
        near = [
            e
            for e in load_episodes(conn, patient_ref)
            if e.state is EpisodeState.CANDIDATE and abs(e.start - at) <= MATCH_SECONDS
        ]
        if near:
            ep = near[0]
            if ep.dose_number != dose:
                _set(conn, ep.id, now, dose_number=dose)
    if ep is not None:
        if ep.state is EpisodeState.CONFIRMED and ep.start_source == "manual":
            raise EpisodeError(
                f"dose {dose} was already started at {ep.start} by {ep.confirmed_by}: use `episode edit`"
            )
        _set(
            conn,
            ep.id,
            now,
            start_ms=to_ms(at),
            start_source="manual",
            state=EpisodeState.CONFIRMED.value,
            confirmed_by=by[:120],
            confirmed_ms=to_ms(now),
            **extra,
        )
        append(
            conn,
            "episode.confirm",
            by,
            {"dose": dose, "start": at, "was": _snapshot(ep)},
            now,
            patient_ref,
            ep.id,
        )
        if ep.start != at:
            append(
                conn,
                "episode.edit",
                by,
                {
                    "dose": dose,
                    "start": {"from": ep.start, "to": at},
                    "why": "manual start re-anchors the rules",
                },
                now,
                patient_ref,
                ep.id,
            )
        return _get(conn, patient_ref, dose)  # type: ignore[return-value]
    episode_id = conn.execute(
        insert(t.infusion_episode)
        .values(
            patient_ref=patient_ref,
            dose_number=dose,
            start_ms=to_ms(at),
            start_source="manual",
            state=EpisodeState.CONFIRMED.value,
            confirmed_by=by[:120],
            confirmed_ms=to_ms(now),
            created_ms=to_ms(now),
            updated_ms=to_ms(now),
            **extra,
        )
        .returning(t.infusion_episode.c.id)
    ).scalar_one()
    created = _get(conn, patient_ref, dose)
    assert created is not None
    append(conn, "episode.start", by, _snapshot(created), now, patient_ref, int(episode_id))
    return created


def stop_manual(
    conn: Connection, patient_ref: str, dose: int, at: float, by: str, now: float
) -> InfusionEpisode:
    ep = _need(conn, patient_ref, dose)
    if at < ep.start:
        raise EpisodeError(f"the end {at} is before the start {ep.start}")
    _set(conn, ep.id, now, end_ms=to_ms(at), end_source="manual")
    append(conn, "episode.stop", by, {"dose": dose, "end": at, "was": ep.end}, now, patient_ref, ep.id)
    return _need(conn, patient_ref, dose)


def confirm(
    conn: Connection, patient_ref: str, dose: int, by: str, now: float, at: float | None = None
) -> InfusionEpisode:
    ep = _need(conn, patient_ref, dose)
    values: dict[str, object] = {
        "state": EpisodeState.CONFIRMED.value,
        "confirmed_by": by[:120],
        "confirmed_ms": to_ms(now),
    }
    if at is not None and at != ep.start:
        values.update(start_ms=to_ms(at), start_source="manual")
    _set(conn, ep.id, now, **values)
    append(
        conn,
        "episode.confirm",
        by,
        {"dose": dose, "start": at or ep.start, "source": ep.start_source},
        now,
        patient_ref,
        ep.id,
    )
    if at is not None and at != ep.start:
        append(
            conn,
            "episode.edit",
            by,
            {"dose": dose, "start": {"from": ep.start, "to": at}},
            now,
            patient_ref,
            ep.id,
        )
    return _need(conn, patient_ref, dose)


def edit(
    conn: Connection,
    patient_ref: str,
    dose: int,
    by: str,
    now: float,
    start: float | None = None,
    end: float | None = None,
    reason: str = "",
) -> InfusionEpisode:
    """Correct a start or end time: the rules re-anchor on the next evaluation; the edit is logged."""
    ep = _need(conn, patient_ref, dose)
    values: dict[str, object] = {}
    change: dict[str, object] = {"dose": dose, "reason": reason}
    if start is not None and start != ep.start:
        values.update(start_ms=to_ms(start), start_source="manual")
        change["start"] = {"from": ep.start, "to": start}
    if end is not None and end != ep.end:
        values.update(end_ms=to_ms(end), end_source="manual")
        change["end"] = {"from": ep.end, "to": end}
    if values:
        _set(conn, ep.id, now, **values)
        append(conn, "episode.edit", by, change, now, patient_ref, ep.id)
    return _need(conn, patient_ref, dose)


def set_targets(
    conn: Connection,
    patient_ref: str,
    dose: int,
    by: str,
    now: float,
    targets: dict[str, float | None],
    reason: str = "",
) -> InfusionEpisode:
    """The intensivist's own SpO2 / MAP limits for a dose (None clears one: derived from the baseline
    again). Validated in `bedside.rules.targets`; logged with the values before and after."""
    ep = _need(conn, patient_ref, dose)
    before = dict(ep.targets)
    after = {**before, **{k: v for k, v in targets.items() if v is not None}}
    for k in [k for k, v in targets.items() if v is None]:
        after.pop(k, None)
    try:
        check_targets(after)
    except ValueError as exc:
        raise EpisodeError(str(exc)) from None
    if after != before:
        _set(conn, ep.id, now, targets=json.dumps(after, sort_keys=True))
        change = {"dose": dose, "from": before, "to": after, "reason": reason}
        append(conn, "episode.targets", by, change, now, patient_ref, ep.id)
    return _need(conn, patient_ref, dose)


def cancel(
    conn: Connection, patient_ref: str, dose: int, by: str, now: float, reason: str = ""
) -> InfusionEpisode:
    """Entered in error (a pump started for priming, a wrong patient): kept and logged, no longer
    alerted on. Its alerts stay as they are, for the record."""
    ep = _need(conn, patient_ref, dose)
    _set(conn, ep.id, now, state=EpisodeState.CANCELLED.value)
    append(
        conn,
        "episode.cancel",
        by,
        {"dose": dose, "reason": reason, "was": _snapshot(ep)},
        now,
        patient_ref,
        ep.id,
    )
    return _need(conn, patient_ref, dose)


def _need(conn: Connection, patient_ref: str, dose: int) -> InfusionEpisode:
    ep = _get(conn, patient_ref, dose)
    if ep is None:
        raise EpisodeError(f"no dose {dose} for {patient_ref}: start it first (`bedside-cli episode start`)")
    return ep


def episode_json(ep: InfusionEpisode, now: float, confirm_minutes: float) -> dict:
    unconfirmed_for = None if ep.confirmed else max(0.0, now - ep.start)
    return {
        "id": ep.id,
        "patient": ep.patient,
        "dose": ep.dose_number,
        "product": ep.product,
        "cells_per_kg": ep.cells_per_kg,
        "cells": ep.cells,
        "weight_kg": ep.weight_kg,
        "planned_start": ep.planned_start,
        "start": ep.start,
        "end": ep.end,
        "start_source": ep.start_source,
        "end_source": ep.end_source or None,
        "state": ep.state.value,
        "confirmed": ep.confirmed,
        "confirmed_by": ep.confirmed_by or None,
        "confirmed_at": ep.confirmed_at,
        "overdue_confirmation": unconfirmed_for is not None and unconfirmed_for > confirm_minutes * 60.0,
        "targets": dict(ep.targets),
    }
