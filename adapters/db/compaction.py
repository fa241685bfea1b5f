"""Fold `observation` rows (what ingest writes, one per value) into hour chunks (series_chunk).

The rows taken are exactly the rows deleted (DELETE … RETURNING), in the same transaction as the
chunk writes, so a value is always in one of the two places and a reader that reads rows first and
chunks second never misses one (it may see one twice; slots make that harmless).
On PostgreSQL a transaction-scoped advisory lock keeps two ingest processes from compacting at once;
on SQLite the write lock does the same.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from bedside_adapters.db import schema as t
from sqlalchemy import Connection, Engine, delete, func, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from bedside.chunks import chunk_start_ms, decode_grid, empty_grid, encode_grid, place, summarise
from bedside.vitals import MANUAL_DEVICE

COMPACTION_LOCK = 0x6265_6473  # "beds": the advisory lock id on PostgreSQL
KEY_BATCH = 400


@dataclass(frozen=True, slots=True)
class CompactionResult:
    rows: int
    chunks: int


def compact(engine: Engine, now_ms: int, max_rows: int = 200_000) -> CompactionResult:
    """Compact up to `max_rows` of the oldest rows; call again while it returns rows == max_rows."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": COMPACTION_LOCK})
        first = conn.execute(select(func.min(t.observation.c.id))).scalar_one_or_none()
        if first is None:
            return CompactionResult(0, 0)
        o = t.observation.c
        taken = conn.execute(
            delete(t.observation)
            .where(o.id < first + max_rows)
            .returning(o.id, o.series_id, o.observed_ms, o.value)
        ).all()
        if not taken:
            return CompactionResult(0, 0)
        groups: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
        for row_id, series_id, observed_ms, value in taken:
            groups[(int(series_id), chunk_start_ms(int(observed_ms)))].append(
                (int(row_id), observed_ms, value)
            )
        existing = _load(conn, list(groups))
        rows = []
        for key, values in groups.items():
            values.sort()  # by row id: the value received last wins its second
            grid = existing.get(key)
            grid = empty_grid() if grid is None else grid.copy()
            place(grid, key[1], [v[1] for v in values], [v[2] for v in values])
            s = summarise(grid)
            rows.append(
                {
                    "series_id": key[0],
                    "start_ms": key[1],
                    "count": s.count,
                    "vmin": s.minimum,
                    "vmax": s.maximum,
                    "grid": encode_grid(grid),
                    "updated_ms": now_ms,
                }
            )
        _upsert(conn, rows)
        return CompactionResult(len(taken), len(rows))


def compact_all(engine: Engine, now_ms: int, batch: int = 200_000) -> CompactionResult:
    total_rows = total_chunks = 0
    while True:
        r = compact(engine, now_ms, batch)
        total_rows += r.rows
        total_chunks += r.chunks
        if r.rows < batch:
            return CompactionResult(total_rows, total_chunks)


def _load(conn: Connection, keys: list[tuple[int, int]]) -> dict[tuple[int, int], np.ndarray]:
    c = t.series_chunk.c
    found: dict[tuple[int, int], np.ndarray] = {}
    for i in range(0, len(keys), KEY_BATCH):
        part = keys[i : i + KEY_BATCH]
        stmt = select(c.series_id, c.start_ms, c.grid).where(tuple_(c.series_id, c.start_ms).in_(part))
        for series_id, start_ms, grid in conn.execute(stmt):
            found[(int(series_id), int(start_ms))] = decode_grid(bytes(grid))
    return found


def _upsert(conn: Connection, rows: list[dict]) -> None:
    if not rows:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(t.series_chunk)
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.series_chunk.c.series_id, t.series_chunk.c.start_ms],
        set_={k: stmt.excluded[k] for k in ("count", "vmin", "vmax", "grid", "updated_ms")},
    )
    conn.execute(stmt, rows)


def prune(engine: Engine, older_than_ms: int) -> int:
    """Retention for high-rate device numerics: drop chunks (and rows) wholly before a time. Returns
    chunks removed. Only numerics a device sent: messages, labs, the safety log and the vital signs a
    clinician entered by hand (signed records the log names value by value) are never pruned here."""
    s, k, o = t.series.c, t.series_chunk.c, t.observation.c
    by_hand = select(s.id).where(s.device == MANUAL_DEVICE)
    with engine.begin() as conn:
        removed = conn.execute(
            delete(t.series_chunk).where(k.start_ms + 3_600_000 <= older_than_ms, k.series_id.not_in(by_hand))
        ).rowcount
        conn.execute(delete(t.observation).where(o.observed_ms < older_than_ms, o.series_id.not_in(by_hand)))
    return int(removed or 0)
