"""Vital signs entered by hand, checked against their `vitals.recorded` entries.

A hand-charted value is an ordinary observation of the patient's `manual` series: a staging row
until the compactor folds it into the series' hour chunk (one float32 slot a second). Its entry
names the series and the time of each value it stored (`obs:<series>:<ms>`) and the values and
units by parameter. Every value the log names must be stored at its series and time with that value,
that parameter and that unit; every hand-entered value stored must have been logged. Values from
devices and labs have no entry of their own (they are evidence as their messages are) and are not
read here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from bedside_adapters.db import schema as t
from sqlalchemy import Connection, select

from bedside.chunks import decode_grid
from bedside.safety_log import SafetyLogEntry
from bedside.vitals import MANUAL_DEVICE

VITALS_KIND = "vitals.recorded"

_SECOND_MS = 1000


@dataclass(frozen=True)
class LoggedValue:
    """One value as its entry says it: which parameter, in which unit, and the entry's number."""

    parameter: str
    unit: str
    value: float
    seq: int


@dataclass(frozen=True)
class StoredValue:
    """What the database holds at one series and second: the latest value, every staging row's
    value there (a value entered again at the same time leaves both rows until compaction), and
    whether it was read from a chunk (float32: compared at the precision it was stored with)."""

    parameter: str
    unit: str
    value: float
    row_values: tuple[float, ...]
    from_chunk: bool


Key = tuple[int, int]
"""A manual series' id and the second (epoch ms, whole seconds) a value was taken."""


def logged_values(
    entries: Sequence[SafetyLogEntry], series: dict[int, tuple[str, str]]
) -> dict[Key, list[LoggedValue]]:
    """Every value the `vitals.recorded` entries name, by series and second, in the log's order.
    `series`: each manual series' (parameter, unit) as stored; the entry's value for a series is the
    one under that parameter. A series the log names that is not stored is kept with an empty
    parameter, so the comparison names it."""
    out: dict[Key, list[LoggedValue]] = defaultdict(list)
    for e in entries:
        if e.kind != VITALS_KIND:
            continue
        payload = json.loads(e.payload)
        values = payload.get("values") or {}
        units = payload.get("units") or {}
        for ref in payload.get("observations") or []:
            _obs, sid, at_ms = str(ref).split(":")
            parameter = series.get(int(sid), ("", ""))[0]
            value = values.get(parameter)
            out[(int(sid), int(at_ms) // _SECOND_MS)].append(
                LoggedValue(
                    parameter,
                    str(units.get(parameter, "")),
                    float("nan") if value is None else float(value),
                    e.seq,
                )
            )
    return out


def manual_series(conn: Connection) -> dict[int, tuple[str, str]]:
    s = t.series.c
    rows = conn.execute(select(s.id, s.parameter, s.unit).where(s.device == MANUAL_DEVICE))
    return {int(r.id): (str(r.parameter), str(r.unit)) for r in rows}


def stored_values(conn: Connection, series: dict[int, tuple[str, str]]) -> dict[Key, StoredValue]:
    """Every hand-entered value stored: the staging rows (the latest row at a second wins, as the
    compactor and the readers take it) over the chunks' slots."""
    if not series:
        return {}
    o, k = t.observation.c, t.series_chunk.c
    ids = list(series)
    out: dict[Key, StoredValue] = {}
    for r in conn.execute(select(k.series_id, k.start_ms, k.grid).where(k.series_id.in_(ids))):
        grid = decode_grid(r.grid)
        parameter, unit = series[int(r.series_id)]
        for slot in np.flatnonzero(np.isfinite(grid)):
            key = (int(r.series_id), int(r.start_ms) // _SECOND_MS + int(slot))
            out[key] = StoredValue(parameter, unit, float(grid[slot]), (), True)
    rows = conn.execute(
        select(o.series_id, o.observed_ms, o.value).where(o.series_id.in_(ids)).order_by(o.id)
    )
    for r in rows:
        key = (int(r.series_id), int(r.observed_ms) // _SECOND_MS)
        parameter, unit = series[key[0]]
        before = out.get(key)
        earlier = before.row_values if before is not None else ()
        out[key] = StoredValue(parameter, unit, float(r.value), (*earlier, float(r.value)), False)
    return out


def said_and_stored(
    conn: Connection, entries: Sequence[SafetyLogEntry]
) -> tuple[dict[str, tuple[int, dict[str, Any], dict[str, int]]], dict[str, dict[str, Any]]]:
    """What the log says each hand-entered value is and what the database holds, keyed by the
    value's reference (`obs:<series>:<ms>`, as its entry writes it): for the log, the first entry
    about it, its fields and the entry that said each last; for the database, the same fields."""
    series = manual_series(conn)
    logged = logged_values(entries, series)
    stored = stored_values(conn, series)
    said: dict[str, tuple[int, dict[str, Any], dict[str, int]]] = {}
    rows: dict[str, dict[str, Any]] = {}
    for key, values in logged.items():
        last = values[-1]
        here = stored.get(key)
        value = last.value
        if here is not None and here.from_chunk:
            value = float(np.float32(value))
        fields = {"parameter": last.parameter, "unit": last.unit, "value": value}
        by = {name: last.seq for name in fields}
        said[_ref(key)] = (values[0].seq, fields, by)
        if here is not None:
            row: dict[str, Any] = {"parameter": here.parameter, "unit": here.unit, "value": here.value}
            # A value entered again at the same time leaves the earlier row beside the later one
            # until compaction: each row must hold a value the log gave it there.
            given = {v.value for v in values}
            edited = [v for v in here.row_values if v not in given]
            if edited:
                row["value"] = edited[0]
            rows[_ref(key)] = row
    for key, here in stored.items():
        if key not in logged:
            rows[_ref(key)] = {"parameter": here.parameter, "unit": here.unit, "value": here.value}
    return said, rows


def _ref(key: Key) -> str:
    return f"obs:{key[0]}:{key[1] * _SECOND_MS}"
