"""Infusion episodes (doses) in the database: load them, store a new one, store changes. What a
clinician's action changes is decided in `bedside.handlers.doses`, what a device's changes in
`bedside.episode_lifecycle` (stored by `device_episodes`); this module only reads and writes."""

from __future__ import annotations

import json

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_of, ref_text
from sqlalchemy import Connection, Engine, insert, select, update

from bedside.clock import from_ms, to_ms
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.model import PatientRef
from bedside.unit_of_work import DoseFields, dose_changed


def _episode(r) -> InfusionEpisode:  # type: ignore[no-untyped-def]
    return InfusionEpisode(
        id=int(r.id),
        patient=ref_of(r.patient_ref),
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


def load_episodes(conn: Connection, patient: PatientRef | None = None) -> list[InfusionEpisode]:
    """The patient's doses (every patient's when None), the patient as stored."""
    e = t.infusion_episode.c
    stmt = select(t.infusion_episode).order_by(e.patient_ref, e.start_ms)
    if patient is not None:
        stmt = stmt.where(e.patient_ref == ref_text(patient))
    return [_episode(r) for r in conn.execute(stmt)]


def episodes_of(engine: Engine, patient: PatientRef | None = None) -> list[InfusionEpisode]:
    """`load_episodes` on a connection of its own."""
    with engine.connect() as conn:
        return load_episodes(conn, patient)


def store_baselines(conn: Connection, episode_id: int, baselines: str) -> None:
    """The baselines the rules use for the dose, as the screens show them."""
    conn.execute(
        update(t.infusion_episode).where(t.infusion_episode.c.id == episode_id).values(baselines=baselines)
    )


def get_episode(conn: Connection, patient: PatientRef, dose: int) -> InfusionEpisode | None:
    e = t.infusion_episode.c
    r = conn.execute(
        select(t.infusion_episode).where(e.patient_ref == ref_text(patient), e.dose_number == dose)
    ).first()
    return None if r is None else _episode(r)


def episode_by_id(conn: Connection, episode_id: int) -> InfusionEpisode | None:
    r = conn.execute(select(t.infusion_episode).where(t.infusion_episode.c.id == episode_id)).first()
    return None if r is None else _episode(r)


def insert_episode(conn: Connection, patient: PatientRef, fields: DoseFields, now: float) -> InfusionEpisode:
    episode_id = conn.execute(
        insert(t.infusion_episode)
        .values(
            patient_ref=ref_text(patient), created_ms=to_ms(now), updated_ms=to_ms(now), **_columns(fields)
        )
        .returning(t.infusion_episode.c.id)
    ).scalar_one()
    stored = episode_by_id(conn, int(episode_id))
    assert stored is not None
    return stored


def update_episode(
    conn: Connection,
    episode_id: int,
    fields: DoseFields,
    now: float,
    expected: EpisodeState | None = None,
) -> InfusionEpisode:
    """Store the values `fields` gives (the others stay as they are). With `expected`, only while the
    dose is still in that state: the alerting process may accept a candidate, or another screen
    cancel the dose, between the handler's read and this write; the condition in the UPDATE sees
    the row as last committed, and no row matching is ChangedMeanwhile (the other change stands)."""
    e = t.infusion_episode.c
    where = [e.id == episode_id] + ([e.state == expected.value] if expected is not None else [])
    done = conn.execute(
        update(t.infusion_episode).where(*where).values(updated_ms=to_ms(now), **_columns(fields))
    )
    if done.rowcount != 1:
        raise dose_changed(episode_id)
    stored = episode_by_id(conn, episode_id)
    assert stored is not None
    return stored


_MS_COLUMNS = {
    "start": "start_ms",
    "end": "end_ms",
    "confirmed_at": "confirmed_ms",
    "planned_start": "planned_start_ms",
}


def _columns(fields: DoseFields) -> dict[str, object]:
    """The columns `fields` sets, in the database's units (milliseconds, JSON, the columns' widths)."""
    out: dict[str, object] = {}
    for name, value in vars(fields).items():
        if value is None:
            continue
        if name in _MS_COLUMNS:
            out[_MS_COLUMNS[name]] = to_ms(value)
        elif name == "state":
            out["state"] = value.value
        elif name == "targets":
            out["targets"] = json.dumps(dict(value), sort_keys=True)
        elif name == "product":
            out["product"] = value[:200]
        elif name == "confirmed_by":
            out["confirmed_by"] = value[:120]
        else:
            out[name] = value
    return out


def episode_json(ep: InfusionEpisode, now: float, confirm_minutes: float) -> dict:
    unconfirmed_for = None if ep.confirmed else max(0.0, now - ep.start)
    return {
        "id": ep.id,
        "patient": ref_text(ep.patient),
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
