"""Received frames at rest: bytes per message and per bed-day, compressed against as received.

One bed's three devices (a monitor, a ventilator and a second monitor module) each report once a
second, as PCD-01 ORU^R01. The first minutes of the course are stored first and each sender's
dictionary is trained on them, as the ingest service's trainer would; the figures are of the
held-out hour after them (a whole hour, so that the values' hour chunks it opens count too). The baseline is the same course stored as every frame was before
compression (the bytes as received), in the same kind of database, in the same run. Both databases
are fed in alternating slices through the real ingest pipeline (one transaction and one ACK per
frame, as a sender waiting for each ACK), so a busy moment of the machine falls on both alike.
The whole database's baseline is that database measured as the version before compression laid its
rows out (revision 0025: the hex SHA-256, the four-column duplicate index, the ACK and the sender's
name in every row), by taking revision 0026 down and up again around each measurement.

`bench_raw_storage()` returns rows as build/bench.json holds them.
"""

from __future__ import annotations

import importlib
import statistics
import tempfile
import time
from datetime import UTC
from pathlib import Path

import numpy as np
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from bedside_adapters.db import schema as t
from bedside_adapters.db.care import database_bytes
from bedside_adapters.db.compaction import compact_all
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.raw_training import train_due
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.pcd01 import VENTILATOR_MDS, SimulatedMonitor
from sqlalchemy import func, select

from bedside.clock import to_ms
from bedside.parameters import ParameterCatalog

T0 = 1_790_000_000.0
DEVICES = 3
BED_DAY = DEVICES * 86400
"""Frames one bed sends a day: three devices at 1 Hz."""
SLICE = 100


def course(seconds: int, seed: int = 4417) -> list[bytes]:
    """Three devices' frames, second by second, with values that move as a patient's do."""
    rng = np.random.default_rng(seed)
    monitor = SimulatedMonitor(eui64="00000000000C0001")
    ventilator = SimulatedMonitor(eui64="11111111000C0001", application="SIM_VENT", mds=VENTILATOR_MDS)
    module = SimulatedMonitor(eui64="22222222000C0001", application="SIM_MOD")
    out = []
    for s in range(seconds):
        at = T0 + s
        drift = float(np.sin(s / 900.0))

        def n(mean: float, sd: float, drift: float = drift) -> int:
            return round(mean + 4 * drift + float(rng.normal(0, sd)))

        out.append(
            monitor.message(
                f"MON{s:08d}",
                at,
                {
                    "hr": n(82, 2),
                    "spo2": min(100, n(96, 1)),
                    "pr_spo2": n(82, 2),
                    "abp_sys": n(118, 4),
                    "abp_dia": n(66, 3),
                    "abp_mean": n(84, 3),
                    "temp": round(37.2 + 0.2 * drift + rng.normal(0, 0.05), 1),
                    "rr": n(17, 1),
                },
            ).encode()
        )
        out.append(
            ventilator.message(
                f"VEN{s:08d}",
                at,
                {
                    "fio2": 40,
                    "peep": 8,
                    "ppeak": n(24, 1),
                    "vt_exp": n(460, 15),
                    "vent_rr": 16,
                    "etco2": n(38, 1),
                },
                {"vent_mode": "PC-AC"},
            ).encode()
        )
        out.append(
            module.message(
                f"MOD{s:08d}", at, {"nibp_sys": n(120, 3), "nibp_dia": n(68, 2), "nibp_mean": n(85, 2)}
            ).encode()
        )
    return out


class _Run:
    """One database fed through the real pipeline; `compressed` False stores frames as received."""

    def __init__(self, path: Path, compressed: bool) -> None:
        self.engine = make_engine(f"sqlite:///{path}")
        upgrade(self.engine)
        self.compressed = compressed
        self.now = T0
        self._open_store()
        self.latencies: list[float] = []
        self.busy = 0.0

    def _open_store(self) -> None:
        self.store = IngestStore(self.engine)
        self.store.raw.enabled = self.compressed
        self.pipeline = IngestPipeline(self.store, ParameterCatalog.load(), lambda: self.now, UTC)

    def at_rest_before_compression(self) -> int:
        """The file with its message rows laid out as revision 0025 stored them, then back."""
        compact = importlib.import_module("bedside_adapters.db.migrations.versions.0026_messages_compact")
        self.store.close()
        with self.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            compact.downgrade()
        size = self.at_rest()
        with self.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            compact.upgrade()
        self._open_store()  # the ids it remembered (senders, ACK templates) were of the tables dropped
        return size

    def feed(self, frames: list[bytes], first_second: float, timed: bool) -> None:
        for k, frame in enumerate(frames):
            self.now = first_second + k / DEVICES
            start = time.perf_counter()
            result = self.pipeline.handle(frame, "127.0.0.1:2575")
            spent = time.perf_counter() - start
            if result.ack_code not in ("AA", "CA"):
                raise RuntimeError(f"frame {k} answered {result.ack_code}")
            if timed:
                self.latencies.append(spent)
                self.busy += spent

    def at_rest(self) -> int:
        """The file as it would stand after a night's compaction and checkpoint."""
        compact_all(self.engine, to_ms(self.now))
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return database_bytes(self.engine)

    def raw_bytes(self, after_id: int) -> tuple[int, int]:
        """Stored raw bytes of the frames after `after_id`, and of the dictionaries."""
        m, d = t.inbound_message.c, t.raw_dictionary.c
        with self.engine.connect() as conn:
            frames = conn.execute(select(func.sum(func.length(m.raw))).where(m.id > after_id)).scalar_one()
            dictionaries = conn.execute(select(func.coalesce(func.sum(func.length(d.bytes)), 0))).scalar_one()
        return int(frames), int(dictionaries)

    def last_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(t.inbound_message.c.id))).scalar_one())


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def row(name: str, value: float, unit: str, baseline: float | None, target: float | None, note: str) -> dict:
    ratio = None
    if baseline is not None and value:
        # Bytes and milliseconds: how many times fewer (baseline / ours). A rate: ours / baseline.
        ratio = round(value / baseline if unit == "msg/s" else baseline / value, 3)
    return {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 2),
        "ratio": ratio,
        "target": target,
        "note": note,
    }


def bench_raw_storage(train_seconds: int = 600, held_out_seconds: int = 3600) -> list[dict]:
    frames = course(train_seconds + held_out_seconds)
    training, held_out = frames[: train_seconds * DEVICES], frames[train_seconds * DEVICES :]
    with tempfile.TemporaryDirectory() as tmp:
        today = _Run(Path(tmp) / "as-received.sqlite3", compressed=False)
        ours = _Run(Path(tmp) / "compressed.sqlite3", compressed=True)
        for run in (today, ours):
            run.feed(training, T0, timed=False)
        trained = train_due(ours.engine, ours.store.raw, to_ms(ours.now), min_frames=train_seconds // 2)
        if len(trained) != DEVICES:
            raise RuntimeError(f"expected a dictionary per device, got {trained}")
        marks = {
            id(today): (today.at_rest_before_compression(), today.last_id()),
            id(ours): (ours.at_rest(), ours.last_id()),
        }
        start = T0 + train_seconds
        for i in range(0, len(held_out), SLICE):
            part = held_out[i : i + SLICE]
            first = start + i / DEVICES
            for run in (today, ours) if (i // SLICE) % 2 == 0 else (ours, today):
                run.feed(part, first, timed=True)
        n = len(held_out)
        figures: dict[str, dict[str, float]] = {}
        for key, run in (("today", today), ("ours", ours)):
            before, after_id = marks[id(run)]
            frames_bytes, dictionary_bytes = run.raw_bytes(after_id)
            figures[key] = {
                # A dictionary serves its sender for far longer than a day: a day carries it whole.
                "raw": frames_bytes / n + dictionary_bytes / BED_DAY,
                "db": ((run.at_rest() if run is ours else run.at_rest_before_compression()) - before) / n,
                "rate": n / run.busy,
                "p50": _p(run.latencies, 50),
                "p99": _p(run.latencies, 99),
            }
            run.engine.dispose()
    a, b = figures["today"], figures["ours"]
    mb = 1e6
    return [
        row(
            "storage.raw_bytes_per_message",
            b["raw"],
            "B",
            a["raw"],
            round(a["raw"] / 8, 1),
            f"the received frame at rest (zstd, the sender's dictionary) against as received; held-out "
            f"PCD-01 frames of 3 devices at 1 Hz; target: 1/8 of as received; {n} frames",
        ),
        row(
            "storage.raw_mb_per_bed_day",
            b["raw"] * BED_DAY / mb,
            "MB",
            a["raw"] * BED_DAY / mb,
            None,
            "the received frames of one bed-day (3 devices at 1 Hz, 259,200 frames) at rest",
        ),
        row(
            "storage.message_bytes_per_message",
            b["db"],
            "B",
            a["db"],
            round(a["db"] / 8, 1),
            "growth of the SQLite file per message after compaction and VACUUM: the frame, its message row "
            "(sender number, times, digest, the ACK's varying parts) and indexes, and the values' hour chunks; "
            "baseline: frames as received in rows laid out as before compression (hex sha256, the ACK and "
            "sender whole, the four-column duplicate index); target: 1/8 of that",
        ),
        row(
            "storage.message_mb_per_bed_day",
            b["db"] * BED_DAY / mb,
            "MB",
            a["db"] * BED_DAY / mb,
            None,
            "the database's growth for one bed-day (3 devices at 1 Hz)",
        ),
        row(
            "storage.raw_ingest_rate",
            b["rate"],
            "msg/s",
            a["rate"],
            0.95,
            "frames stored and answered per second, one transaction each, compressed against as received "
            "(alternating slices in one run); target: no loss beyond the run's noise",
        ),
        row(
            "storage.raw_ack_p50_ms",
            b["p50"],
            "ms",
            a["p50"],
            0.95,
            "time from a frame in hand to its ACK ready (read, map, store, commit), median; ratio = as "
            "received / compressed",
        ),
        row(
            "storage.raw_ack_p99_ms",
            b["p99"],
            "ms",
            a["p99"],
            None,
            "the same, 99th percentile (the commits' own tail, checkpoints among them: no target)",
        ),
    ]


if __name__ == "__main__":
    import json

    print(json.dumps(bench_raw_storage(), indent=1))
