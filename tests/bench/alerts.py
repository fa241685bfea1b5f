"""`make bench ONLY=alerts`: alert latency and the rule engine's cost to ingest.

30 beds, each with a dose started by the nurse; every bed's monitor sends a 10 s report (8 vital signs)
for 100 minutes of data, fast-forwarded so the course fits in the run (each report closes the minute
before it in the bed's data, which is when the rules can decide). Half the beds react 10 min after the
start (tachycardia, hypotension, desaturation). Latency: commit of the message that completed an
alert's condition → the alert's safety-log entry committed (stored per alert as latency_ms).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from bedside.model import PatientRef
from tests.acting import acts

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BEDS = 30
STEP = 10.0
MINUTES = 100


def _monitor(k: int):  # type: ignore[no-untyped-def]
    from bedside_adapters.sim.pcd01 import SimulatedMonitor

    return SimulatedMonitor(eui64=f"BE00000000000{k:03d}", mrn=f"BENCH{k:02d}", room=str(k + 1))


def _values(k: int, t: float, onset: float, i: int) -> dict[str, float]:
    ill = k % 2 == 0 and t >= onset
    hr = 142.0 if ill else 88.0 + (i % 3)
    sys_ = 78.0 if ill else 118.0 + (i % 4)
    return {
        "hr": hr,
        "pr_spo2": hr,
        "spo2": 84.0 if ill else 95.0,
        "abp_sys": sys_,
        "abp_dia": 0.52 * sys_,
        "abp_mean": sys_ * 0.68,
        "temp": 37.2,
        "rr": 20.0,
    }


def _course(start: float, end: float, t0: float, onset: float, prefix: str) -> list[list[bytes]]:
    """Per bed: its admission (ADT binds the bed's monitor to the patient), then a report every STEP s."""
    beds = []
    for k in range(BEDS):
        mon = _monitor(k)
        msgs = [mon.admit_message(f"A{prefix}{k:02d}", start - 3600.0).encode()]
        for i in range(int((end - start) / STEP)):
            t = start + i * STEP
            msgs.append(mon.message(f"{prefix}{k:02d}{i:06d}", t, _values(k, t, onset, i)).encode())
        beds.append(msgs)
    return beds


def _prepare(url: str, t0: float) -> None:
    from bedside_adapters.db.engine import make_engine
    from bedside_adapters.db.migrate import upgrade
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside.commands import StartDose
    from bedside.handlers import start_dose

    engine = make_engine(url)
    upgrade(engine)
    for k in range(BEDS):
        start = StartDose(
            patient=PatientRef(f"BENCH{k:02d}", "BEDSIDE_DEMO"),
            dose=1,
            start=t0,
            **acts("bench"),
            recorded_at=time.time(),
            product="AT-MSC",
        )
        start_dose(SqlUnitOfWork(engine), start)
    engine.dispose()


def _send(
    port: int, beds: list, rate: float | None, seconds: float | None = None, onset: float = 0.0
) -> float:
    """Each bed on its own connection, waiting for every ACK. `beds` holds message lists (sent as they
    are), or with `seconds` the beds send live reports stamped with the wall clock for that long."""
    from bedside_adapters.mllp.client import MllpClient, ack_fields

    errors: list[str] = []
    counts = [0] * len(beds)
    barrier = threading.Barrier(len(beds) + 1)

    def worker(k: int) -> None:
        mon = _monitor(k)
        with MllpClient("127.0.0.1", port, timeout=60) as client:
            barrier.wait()
            begin = time.perf_counter()
            j = 0
            while True:
                if seconds is None:
                    if j >= len(beds[k]):
                        break
                    m = beds[k][j]
                else:
                    if time.perf_counter() - begin >= seconds:
                        break
                    now = time.time()
                    m = mon.message(f"L{k:02d}{j:07d}", now, _values(k, now, onset, j)).encode()
                if rate:
                    due = begin + j * len(beds) / rate
                    while time.perf_counter() < due:
                        time.sleep(max(0.0, due - time.perf_counter()))  # pacing the offered load
                code, _ = ack_fields(client.send(m))
                if code not in ("AA", "CA"):
                    errors.append(code)
                j += 1
            counts[k] = j

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(beds))]
    for th in threads:
        th.start()
    barrier.wait()
    begin = time.perf_counter()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - begin
    if errors:
        raise RuntimeError(f"{len(errors)} refused: {errors[:3]}")
    return sum(counts) / elapsed


def _run(
    tmp: str, name: str, alerting: bool, live: float | None, rate: float | None
) -> tuple[float, list[float], int]:
    """Backfill (`live` None): 100 min of every bed's course as fast as acknowledged, fast-forwarded.
    Live: the first 66 min as history, then `live` seconds of wall-clock reports at `rate`; the
    reacting beds started reacting 4 min before the live part, so their 5-min rules complete live,
    30-90 s into it whatever the phase of the wall clock's minute (4.5 min sometimes let them complete
    inside the history, leaving no live alert to time)."""
    from bedside_adapters.db import schema as t
    from bedside_adapters.db.engine import make_engine

    from tests.bench.run import _start, _stop

    url = f"sqlite:///{tmp}/alerts-{name}.sqlite3"
    now = time.time()
    if live is None:
        start = now - (MINUTES + 10) * 60.0
        t0 = start + 65 * 60.0
        onset = t0 + 10 * 60.0
        history = _course(start, start + MINUTES * 60.0, t0, onset, "B")
    else:
        start = now - 70 * 60.0
        t0 = now - 10 * 60.0
        onset = now - 4.0 * 60.0
        # History up to a few seconds ago: the live reports continue it without a gap (a gap of a
        # minute would be a stopped feed, and every bed would raise and resolve a STALE alert).
        history = _course(start, now - 5.0, t0, onset, "H")
    _prepare(url, t0)
    cmd = [
        str(BIN / "bedside-ingest"),
        "--db",
        url,
        "--listen",
        "127.0.0.1:0",
        "--log-level",
        os.environ.get("BENCH_LOG_LEVEL", "ERROR"),
        *os.environ.get("BENCH_INGEST_ARGS", "").split(),
    ]
    proc, port = _start(cmd + ([] if alerting else ["--no-alerting"]))
    live_from_ms = 0
    try:
        msgs_per_s = _send(port, history, None if live is not None else rate)
        if live is not None:
            # Live latency counts the alerts whose triggering message was committed while the live
            # reports flowed (raised_ms - latency_ms: within an evaluation's few ms of that commit);
            # the ones the history triggered are the backfill figures, measured apart.
            live_from_ms = int(time.time() * 1000)
            msgs_per_s = _send(port, history, rate, seconds=live, onset=onset)
        latencies: list[float] = []
        raised = 0
        if alerting:
            engine = make_engine(url)
            expected = (BEDS + 1) // 2 * 4  # at least H1, H2, B2, O1 per reacting bed
            a = t.alert.c
            for _ in range(100_000):  # poll until the engine has caught up and stored its latencies
                with engine.connect() as conn:
                    raised = conn.execute(
                        select(func.count()).where(a.rule_id != "STALE", a.latency_ms.is_not(None))
                    ).scalar_one()
                if raised >= expected:
                    break
            with engine.connect() as conn:
                latencies = [
                    float(x)
                    for (x,) in conn.execute(
                        select(a.latency_ms).where(
                            a.latency_ms.is_not(None),
                            a.rule_id != "STALE",
                            a.raised_ms - a.latency_ms >= live_from_ms,
                        )
                    )
                ]
            engine.dispose()
    finally:
        _stop(proc)
    subprocess.run([str(BIN / "bedside-cli"), "--db", url, "verify-log"], check=True, capture_output=True)
    return msgs_per_s, latencies, raised


def bench_alerts() -> list[dict]:
    from tests.bench.run import figure

    def pct(values: list[float], q: float) -> float:
        s = sorted(values)
        return s[min(len(s) - 1, int(q * len(s)))] if s else -1.0  # -1: no alert was timed

    with tempfile.TemporaryDirectory() as tmp:
        base_live, _, _ = _run(tmp, "live-off", alerting=False, live=20.0, rate=None)
        on_live, _, _ = _run(tmp, "live-on", alerting=True, live=20.0, rate=None)
        _, lat, _ = _run(tmp, "paced", alerting=True, live=120.0, rate=500.0)
        base_back, _, _ = _run(tmp, "back-off", alerting=False, live=None, rate=None)
        on_back, back_lat, _ = _run(tmp, "back-on", alerting=True, live=None, rate=None)
    note = f"{BEDS} beds in a dose window, half reacting; {len(lat)} alerts timed, offered 500 msg/s of live reports"
    return [
        figure(
            "alerts.ingest_msgs_per_s_rules_on",
            on_live,
            "msg/s",
            base_live,
            0.8,
            f"{BEDS} connections of live reports as fast as acknowledged; baseline: the same with --no-alerting",
        ),
        figure("alerts.latency_p50_ms", pct(lat, 0.50), "ms", None, None, note),
        figure(
            "alerts.latency_p99_ms",
            pct(lat, 0.99),
            "ms",
            None,
            None,
            "commit of the triggering message → the alert's safety-log entry committed; target: under 100 ms",
        ),
        figure(
            "alerts.backfill_msgs_per_s_rules_on",
            on_back,
            "msg/s",
            base_back,
            None,
            "history sent fast-forwarded (every report closes a minute of data): the engine's worst case",
        ),
        figure(
            "alerts.backfill_latency_p99_ms", pct(back_lat, 0.99), "ms", None, None, "during that backfill"
        ),
    ]
