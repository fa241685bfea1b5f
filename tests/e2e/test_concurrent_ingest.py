"""Two bedside-ingest processes writing one database at once (the ward server case), compacting as
they go, with a reader running throughout: nothing corrupted, nothing duplicated, nothing lost."""

from __future__ import annotations

import threading
import time

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.compaction import compact_all
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.mllp.client import MllpClient, ack_fields
from bedside_adapters.sim.pcd01 import SimulatedMonitor
from sqlalchemy import create_engine, func, select

from bedside.model import PatientRef
from tests.e2e.test_ingest_process import start_ingest, stats

N = 150  # messages per sender
T0 = 1_780_000_000.0


@pytest.mark.e2e
def test_two_ingest_processes_one_database(db_url: str) -> None:
    procs = [start_ingest(db_url, "--compact-every", "0.2") for _ in range(2)]
    monitor = SimulatedMonitor()
    ventilator_like = SimulatedMonitor(eui64="00ABCDEF12345678", application="SIM_MON2")  # same patient
    errors: list[str] = []
    reads = {"n": 0}
    done = threading.Event()

    def send(monitor_: SimulatedMonitor, which: int, prefix: str) -> None:
        # Each sender alternates between the two processes, so both write the same series.
        clients = [MllpClient("127.0.0.1", port).connect() for _, port in procs]
        try:
            for i in range(N):
                values = {"hr": 60.0 + i % 40, "spo2": 90.0 + i % 10}
                msg = monitor_.message(f"{prefix}{i:05d}", T0 + i, values)
                code, _ = ack_fields(clients[(i + which) % 2].send(msg))
                if code not in ("AA", "CA"):
                    errors.append(f"{prefix}{i}: {code}")
        finally:
            for c in clients:
                c.close()

    def read() -> None:
        engine = create_engine(db_url)
        store = SqlSeriesStore(engine)
        while not done.is_set():
            if store.schema_ready():
                for s in store.series_for(PatientRef("SIM4417", "BEDSIDE_DEMO")):
                    w = store.window(s, T0, T0 + N)
                    assert len(w) <= N
                    assert (w.times[1:] > w.times[:-1]).all()  # ordered, no second twice
                reads["n"] += 1
        engine.dispose()

    with MllpClient("127.0.0.1", procs[0][1]) as admin:  # ADT: the patient is in the monitors' bed
        assert ack_fields(admin.send(monitor.admit_message("ADT-1", T0 - 3600)))[0] == "AA"
    reader = threading.Thread(target=read)
    senders = [
        threading.Thread(target=send, args=(m, k, p))
        for k, (m, p) in enumerate([(monitor, "A"), (ventilator_like, "B")])
    ]
    reader.start()
    started = time.monotonic()
    for s in senders:
        s.start()
    for s in senders:
        s.join(timeout=300)
    done.set()
    reader.join(timeout=60)
    for proc, _ in procs:
        proc.terminate()
        proc.communicate(timeout=30)
    assert not errors, errors[:5]
    assert reads["n"] > 0
    assert time.monotonic() - started < 300

    engine = create_engine(db_url)
    compact_all(engine, 0)
    with engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(t.inbound_message)).scalar_one() == 2 * N + 1
        )  # and the ADT^A01
        assert conn.execute(select(func.count()).select_from(t.patient)).scalar_one() == 1
        # one series per (device, parameter, instance): no duplicates from the race to create them
        assert conn.execute(select(func.count()).select_from(t.series)).scalar_one() == 4
    store = SqlSeriesStore(engine)
    for s in store.series_for(PatientRef("SIM4417", "BEDSIDE_DEMO")):
        w = store.window(s, T0, T0 + N)
        assert w.times.tolist() == [T0 + i for i in range(N)], s.key
        expected = (
            [60.0 + i % 40 for i in range(N)]
            if s.key.parameter == "hr"
            else [90.0 + i % 10 for i in range(N)]
        )
        assert w.values.tolist() == expected
    engine.dispose()
    s = stats(db_url)
    assert s["messages_acknowledged"] == 2 * N + 1
