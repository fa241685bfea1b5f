"""Chunked series round trips on SQLite and PostgreSQL: ingest rows → compaction → reads."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.compaction import compact, compact_all, prune
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.inbound_message import InboundMessage
from sqlalchemy import func, select

from bedside.chunks import CHUNK_SECONDS
from bedside.model import Observation, PatientRef, SeriesKey

P = PatientRef("P1", "TEST")
HR = SeriesKey(P, "hr", "/min", "mon")
SPO2 = SeriesKey(P, "spo2", "%", "mon")
T0 = datetime(2026, 3, 29, 0, 0, tzinfo=UTC).timestamp()  # the night Europe moves its clocks


_sent = iter(range(10**9))


def write(engine, samples: list[tuple[SeriesKey, float, float]], received: float = T0) -> None:
    """One message per call, as ingest does: observation rows in one transaction."""
    obs = tuple(Observation(k, t_, received, v) for k, t_, v in samples)
    n = next(_sent)
    IngestStore(engine).store(
        InboundMessage(
            raw=f"MSH|test|{n}".encode(),
            control_id=str(n),
            received_at=received,
            peer="p",
            sender="s",
            ack_code="AA",
            ack="",
            observations=obs,
        )
    )


def series(engine, key: SeriesKey):
    return next(s for s in SqlSeriesStore(engine).series_for(P) if s.key == key)


def read(engine, key: SeriesKey, start: float, end: float):
    w = SqlSeriesStore(engine).window(series(engine, key), start, end)
    return w.times, w.values


@pytest.mark.parametrize("compacted", [False, True], ids=["rows", "chunks"])
def test_round_trip_across_hours_with_gaps(engine, compacted: bool) -> None:
    times = [T0 + s for s in range(0, 3 * 3600, 7)]  # every 7 s over three hours
    times = [x for x in times if not (T0 + 4000 <= x < T0 + 5000)]  # a probe-off gap
    write(engine, [(HR, x, 60 + (i % 50)) for i, x in enumerate(times)])
    if compacted:
        assert compact_all(engine, 0).rows == len(times)
        assert SqlSeriesStore(engine).window(series(engine, HR), T0, T0 + 3 * 3600).times.size == len(times)
    got_t, got_v = read(engine, HR, T0, T0 + 3 * 3600)
    assert got_t.tolist() == times
    assert got_v.tolist() == [60 + (i % 50) for i in range(len(times))]


def test_windows_that_cut_chunks_and_minutes(engine) -> None:
    write(engine, [(HR, T0 + s, float(s)) for s in range(0, 7200)])
    compact_all(engine, 0)
    t_, v = read(engine, HR, T0 + 3590.5, T0 + 3610)
    assert t_.tolist() == [T0 + s for s in range(3591, 3611)]
    assert v.tolist() == [float(s) for s in range(3591, 3611)]
    t_, _ = read(engine, HR, T0 + 59, T0 + 60)  # a minute boundary, both ends inclusive
    assert t_.tolist() == [T0 + 59, T0 + 60]
    t_, _ = read(engine, HR, T0 - 3600, T0 - 1)
    assert t_.size == 0


def test_out_of_order_and_duplicate_samples(engine) -> None:
    write(engine, [(HR, T0 + 10, 80.0), (HR, T0 + 5, 70.0)])
    compact_all(engine, 0)
    write(engine, [(HR, T0 + 10, 80.0)])  # the same sample resent
    write(engine, [(HR, T0 + 7, 75.0), (HR, T0 + 5.4, 71.0)])  # late, and a correction of second 5
    t_, v = read(engine, HR, T0, T0 + 60)
    assert list(zip(t_.tolist(), v.tolist(), strict=True)) == [
        (T0 + 5, 71.0),
        (T0 + 7, 75.0),
        (T0 + 10, 80.0),
    ]
    compact_all(engine, 0)
    t2, v2 = read(engine, HR, T0, T0 + 60)
    assert t2.tolist() == t_.tolist() and v2.tolist() == v.tolist()


def test_dst_change_and_a_leap_of_the_device_clock(engine) -> None:
    """Storage is UTC: the night clocks go forward is an ordinary night; a device clock that jumps an
    hour ahead and back writes values at the times it claims, and none is lost or merged."""
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 29, 1, 30, tzinfo=berlin).timestamp()  # 30 min before 02:00 → 03:00
    normal = [start + 60 * i for i in range(60)]
    leaped = [x + 3600 for x in normal[20:30]]  # the clock jumped ahead for ten minutes
    stamps = normal[:20] + leaped + normal[30:]
    write(engine, [(HR, x, 100.0 + i) for i, x in enumerate(stamps)])
    compact_all(engine, 0)
    t_, _ = read(engine, HR, start - 10, start + 7200)
    assert sorted(t_.tolist()) == sorted(stamps)
    assert len(t_) == 60
    local = [datetime.fromtimestamp(x, berlin).strftime("%H:%M") for x in t_[:32]]
    assert "02:00" not in local and "03:00" in local  # the hour that does not exist locally


def test_several_series_in_one_read_and_the_envelope(engine) -> None:
    write(engine, [(HR, T0 + s, 80.0) for s in range(600)] + [(SPO2, T0 + s, 95.0) for s in range(0, 600, 2)])
    write(engine, [(HR, T0 + 300, 180.0)])
    compact(engine, 0)
    store = SqlSeriesStore(engine)
    hr, spo2 = series(engine, HR), series(engine, SPO2)
    windows = store.windows([hr, spo2], T0, T0 + 600)
    assert [len(w) for w in windows] == [600, 300]
    _, lo, hi = store.envelope(hr, T0, T0 + 600, 6)
    assert hi.tolist() == [80.0, 80.0, 80.0, 180.0, 80.0, 80.0]
    assert lo.tolist() == [80.0] * 6


def test_compaction_moves_every_row_exactly_once(engine) -> None:
    write(engine, [(HR, T0 + s, float(s)) for s in range(1000)])
    r = compact(engine, 0, max_rows=300)
    assert r.rows == 300
    assert compact_all(engine, 0).rows == 700
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.observation)).scalar_one() == 0
        chunk = conn.execute(select(t.series_chunk.c.count, t.series_chunk.c.vmax)).one()
    assert chunk == (1000, 999.0)


def test_bytes_per_sample_of_a_full_hour(engine) -> None:
    write(engine, [(HR, T0 + s, 80.0) for s in range(CHUNK_SECONDS)])
    compact_all(engine, 0)
    with engine.connect() as conn:
        size = conn.execute(select(func.length(t.series_chunk.c.grid))).scalar_one()
    assert size / CHUNK_SECONDS == 4.0


def test_retention_drops_old_chunks_only(engine) -> None:
    write(engine, [(HR, T0 + s, 1.0) for s in range(0, 3 * 3600, 60)])
    compact_all(engine, 0)
    removed = prune(engine, int((T0 + 2 * 3600) * 1000))
    assert removed == 2
    t_, _ = read(engine, HR, T0, T0 + 3 * 3600)
    assert t_.min() >= T0 + 2 * 3600
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.inbound_message)).scalar_one() == 1


def test_reader_during_compaction_never_misses_a_value(engine) -> None:
    """Rows are read before chunks: a compaction that lands between the two reads loses nothing."""
    write(engine, [(HR, T0 + s, 1.0) for s in range(100)])

    class CompactingInBetween(SqlSeriesStore):
        def _read_rows(self, conn, ids, streams, lo, hi):
            rows = super()._read_rows(conn, ids, streams, lo, hi)
            conn.rollback()  # end this read's snapshot, as separate autocommit reads would
            assert compact_all(engine, 0).rows == 100
            return rows

    w = CompactingInBetween(engine).window(series(engine, HR), T0, T0 + 100)
    assert len(w) == 100
    assert np.all(w.values == 1.0)
