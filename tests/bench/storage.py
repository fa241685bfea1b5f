"""`make bench ONLY=storage`: open one patient's 7-day course, chunks against row-per-sample.

12 numeric series at 1 Hz for 7 days (7.26 million values, with probe-off gaps) plus a sparse lab-like
series, written as Bedside stores them (hour chunks, through the compactor's format) and, as the
baseline, one row per sample with a composite index (series, time), the fastest row-per-sample
layout, both read back to numpy. SQLite always; PostgreSQL when
TEST_DATABASE_URL is set (make bench starts a throwaway server when it can).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from bedside_adapters.db import schema as t
from bedside_adapters.db.care import database_bytes
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.read_store import SqlSeriesStore
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bedside.chunks import CHUNK_MS, CHUNK_SECONDS, encode_grid, summarise
from bedside.model import PatientRef

PARAMS = [
    "hr",
    "pr_spo2",
    "spo2",
    "abp_sys",
    "abp_dia",
    "abp_mean",
    "temp",
    "rr",
    "fio2",
    "peep",
    "ppeak",
    "vt_exp",
]
T0_MS = 1_780_000_000_000 // CHUNK_MS * CHUNK_MS
PATIENT = PatientRef("BENCH", "BENCH")


def course(days: float) -> dict[str, np.ndarray]:
    """float32 1 Hz grids with NaN gaps (a 10-minute probe-off every 6 h per series)."""
    rng = np.random.default_rng(4417)
    n = int(days * 86400) // CHUNK_SECONDS * CHUNK_SECONDS
    out = {}
    for k, p in enumerate(PARAMS):
        v = (80 + 10 * np.sin(np.arange(n) / 5000.0 + k) + rng.normal(0, 1, n)).astype(np.float32)
        for start in range(k * 600, n, 6 * 3600):
            v[start : start + 600] = np.nan
        out[p] = v
    return out


def _setup(url: str, grids: dict[str, np.ndarray]) -> list:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(insert(t.patient), {"identifier": "BENCH", "authority": "BENCH", "updated_ms": 0})
        for p in [*PARAMS, "crp"]:
            conn.execute(
                insert(t.series),
                {
                    "patient_ref": str(PATIENT),
                    "patient_id": 1,
                    "parameter": p,
                    "unit": "1",
                    "device": "bench",
                    "instance": "",
                },
            )
        ids = {p: i + 1 for i, p in enumerate([*PARAMS, "crp"])}
        for p, grid in grids.items():
            rows = []
            for h in range(grid.size // CHUNK_SECONDS):
                g = grid[h * CHUNK_SECONDS : (h + 1) * CHUNK_SECONDS]
                s = summarise(g)
                rows.append(
                    {
                        "series_id": ids[p],
                        "start_ms": T0_MS + h * CHUNK_MS,
                        "count": s.count,
                        "vmin": s.minimum,
                        "vmax": s.maximum,
                        "grid": encode_grid(g),
                        "updated_ms": 0,
                    }
                )
            conn.execute(insert(t.series_chunk), rows)
        # The lab-like series stays as rows, one value a day, as labs are stored.
        sender_id = conn.execute(insert(t.message_sender).values(name="bench")).inserted_primary_key[0]
        conn.execute(
            insert(t.inbound_message),
            {
                "received_ms": 0,
                "peer": "-",
                "sender_id": sender_id,
                "digest": b"-",
                "raw": b"-",
                "raw_size": 1,
                "ack_code": "AA",
                "ack": "-",
            },
        )
        conn.execute(
            insert(t.observation),
            [
                {"series_id": ids["crp"], "observed_ms": ms, "received_ms": 0, "value": v, "message_id": 1}
                for ms, v in lab_values(grids)
            ],
        )
    return [engine, ids]


def lab_values(grids: dict[str, np.ndarray]) -> list[tuple[int, float]]:
    days = max(1, grids[PARAMS[0]].size // 86400)
    return [(T0_MS + d * 86_400_000 + 21_600_000, 150.0 - d * 15) for d in range(days)]


def _rows_baseline(url: str, grids: dict[str, np.ndarray]) -> object:
    """The same values, one row per sample, composite index, in the same kind of database."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE bench_rows (series_id INTEGER NOT NULL, t_ms BIGINT NOT NULL, "
                "value REAL NOT NULL)"
            )
        )
        for k, p in enumerate(PARAMS, start=1):
            g = grids[p]
            idx = np.flatnonzero(np.isfinite(g))
            t_ms = (T0_MS + idx.astype(np.int64) * 1000).tolist()
            vals = g[idx].astype(float).tolist()
            if p == PARAMS[-1]:  # the lab-like series goes in with the last numeric one
                t_ms += [ms for ms, _ in lab_values(grids)]
                vals += [v for _, v in lab_values(grids)]
                k_lab = len(PARAMS) + 1
                rows = [(k, tm, v) for tm, v in zip(t_ms[: idx.size], vals[: idx.size], strict=True)]
                rows += [(k_lab, ms, v) for ms, v in lab_values(grids)]
            else:
                rows = [(k, tm, v) for tm, v in zip(t_ms, vals, strict=True)]
            if engine.dialect.name == "postgresql":
                raw = conn.connection.driver_connection
                with raw.cursor().copy("COPY bench_rows (series_id, t_ms, value) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                conn.connection.driver_connection.executemany("INSERT INTO bench_rows VALUES (?, ?, ?)", rows)
        conn.execute(text("CREATE INDEX ix_bench_rows ON bench_rows (series_id, t_ms)"))
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE bench_rows"))
    return engine


def _read_rows(engine, start_ms: int, end_ms: int) -> int:
    n = 0
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        q = "SELECT t_ms, value FROM bench_rows WHERE series_id = {p} AND t_ms >= {a} AND t_ms <= {b} ORDER BY t_ms"
        for k in range(1, len(PARAMS) + 2):
            cur.execute(q.format(p=k, a=start_ms, b=end_ms))
            arr = np.array(cur.fetchall(), dtype=np.float64)
            n += arr.shape[0]
        cur.close()
    finally:
        raw.close()
    return n


def _median_ms(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def _measure(label: str, url: str, grids, expected: int, out: list[dict], days: float) -> None:
    # SQLite is the reference (the names the issues ask for); PostgreSQL figures carry its name.
    prefix = "" if label == "sqlite" else f"{label}."
    engine, _ids = _setup(url, grids)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # count the file, not the write-ahead log's copies of its pages
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    chunk_bytes = database_bytes(engine)  # before the baseline's table goes into the same database
    store = SqlSeriesStore(engine)
    series = list(store.series_for(PATIENT))  # 12 numerics in chunks + the lab-like rows
    end = T0_MS / 1000 + grids[PARAMS[0]].size
    windows = {
        "course_7d" if days == 7 else f"course_{days:g}d": end - T0_MS / 1000,
        "24h": 86400.0,
        "1h": 3600.0,
    }
    base = _rows_baseline(url, grids)
    for name, span in windows.items():
        ours, got = _median_ms(lambda span=span: store.windows(series, end - span, end))
        theirs, n_rows = _median_ms(
            lambda span=span: _read_rows(base, int((end - span) * 1000), int(end * 1000))
        )
        n_ours = sum(len(w) for w in got)
        assert n_ours == n_rows, (name, n_ours, n_rows)
        if span == end - T0_MS / 1000:
            assert n_ours == expected
        out.append(
            {
                "name": f"storage.{prefix}{name}_load_ms",
                "value": round(ours, 2),
                "unit": "ms",
                "baseline": round(theirs, 2),
                "ratio": round(theirs / ours, 1),
                "target": 20.0 if name.startswith("course") else None,
                "note": f"{n_ours} values in 13 series; ratio = row-per-sample time / chunk time",
            }
        )
    env_ms, _ = _median_ms(lambda: [store.envelope(s, T0_MS / 1000, end, 1200) for s in series])
    out.append(
        {
            "name": f"storage.{prefix}course_envelope_1200px_ms",
            "value": round(env_ms, 2),
            "unit": "ms",
            "baseline": None,
            "ratio": None,
            "target": None,
        }
    )
    if label == "sqlite":
        numerics = expected - len(lab_values(grids))
        out.append(
            {
                "name": "storage.bytes_per_sample",
                "value": round(chunk_bytes / numerics, 2),
                "unit": "B",
                "baseline": None,
                "ratio": None,
                "target": 5.0,
                "note": "SQLite file of the chunked course / values stored; target: below 5",
            }
        )
    base.dispose()
    engine.dispose()


def bench_storage(days: float = 7.0) -> list[dict]:
    grids = course(days)
    expected = int(sum(np.isfinite(g).sum() for g in grids.values())) + len(lab_values(grids))
    out: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        _measure("sqlite", f"sqlite:///{Path(tmp) / 'course.sqlite3'}", grids, expected, out, days)
    admin = os.environ.get("TEST_DATABASE_URL")
    if admin:
        name = f"bedside_bench_{uuid.uuid4().hex[:8]}"
        a = create_engine(admin, isolation_level="AUTOCOMMIT")
        with a.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            _measure(
                "postgresql",
                make_url(admin).set(database=name).render_as_string(hide_password=False),
                grids,
                expected,
                out,
                days,
            )
        finally:
            with a.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            a.dispose()
    return out
