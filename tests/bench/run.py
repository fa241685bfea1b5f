"""`make bench`: speed as ratios against a baseline measured in the same run, on the same machine, so
a figure compares like with like wherever it runs.

Prints a table and writes build/bench.json: a list of {name, value, unit, baseline, ratio, target},
then regenerates the table of docs/performance.md from it (tests/bench/perf_page.py).
`--only GROUP` runs one group. Groups: ingest, connections, storage, alerts, ui, and failover (only on its own).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bedside_adapters.mllp.client import MllpClient, ack_fields  # noqa: E402

from tests.bench.alerts import bench_alerts  # noqa: E402
from tests.bench.connections import bench_connections  # noqa: E402
from tests.bench.cpu import CpuMeter, settle  # noqa: E402
from tests.bench.failover import bench_failover  # noqa: E402
from tests.bench.messages import bench_messages  # noqa: E402
from tests.bench.perf_page import meets, write_page  # noqa: E402
from tests.bench.raw_storage import bench_raw_storage  # noqa: E402
from tests.bench.storage import bench_storage  # noqa: E402
from tests.bench.ui import bench_ui  # noqa: E402

BIN = Path(sys.executable).parent


def _start(cmd: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise RuntimeError(f"{cmd[0]} did not start: {line!r}")
    return proc, int(line.strip().rsplit(":", 1)[1])


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def _drive(
    port: int,
    n: int,
    prefix: str,
    connections: int = 1,
    new_connection_each: bool = False,
    rate: float | None = None,
    meter: CpuMeter | None = None,
) -> tuple[float, list[float]]:
    """Send n 20-OBX PCD-01 messages, each waiting for its ACK, over `connections` persistent
    connections in parallel (threads), or a new connection per message. With `rate`, messages are
    offered at that total rate (msg/s) instead of as fast as possible."""
    per_conn = n // connections
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors: list[str] = []
    barrier = threading.Barrier(connections + 1)

    def worker(k: int) -> None:
        msgs = bench_messages(per_conn + 20, f"{prefix}{k:02d}-")
        client = None if new_connection_each else MllpClient("127.0.0.1", port, timeout=60).connect()
        try:
            for m in msgs[:20]:  # warm-up
                (client or MllpClient("127.0.0.1", port, timeout=60).connect()).send(m)
            barrier.wait()
            start = time.perf_counter()
            for j, m in enumerate(msgs[20:]):
                if rate:
                    due = start + j * connections / rate
                    while time.perf_counter() < due:
                        time.sleep(max(0.0, due - time.perf_counter()))  # pacing the offered load
                t0 = time.perf_counter()
                if new_connection_each:
                    with MllpClient("127.0.0.1", port, timeout=60) as c:
                        code, _ = ack_fields(c.send(m))
                else:
                    code, _ = ack_fields(client.send(m))
                latencies[k].append(time.perf_counter() - t0)
                if code not in ("AA", "CA"):
                    errors.append(code)
        finally:
            if client is not None:
                client.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    for th in threads:
        th.start()
    barrier.wait()
    start = time.perf_counter()
    if meter is not None:
        meter.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    if meter is not None:
        meter.stop()
    if errors:
        raise RuntimeError(f"{len(errors)} messages refused: {errors[:3]}")
    return per_conn * connections / elapsed, [x for lat in latencies for x in lat]


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else values[0] * 1000


def figure(
    name: str, value: float, unit: str, baseline: float | None, target: float | None = None, note: str = ""
) -> dict:
    """One row of build/bench.json; the ratio is value / baseline."""
    row = {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 2),
        "ratio": None if baseline is None else round(value / baseline, 3),
        "target": target,
    }
    if note:
        row["note"] = note
    return row


def bench_ingest(n: int) -> list[dict]:
    out: list[dict] = []
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # The default configuration (on this 2-core machine: no read-ahead, as the rule engine
        # runs here), and the same with --read-ahead on.
        runs = [(sync, sync, conns, []) for sync in ("normal", "full") for conns in (1, 16)]
        runs += [("read_ahead", "normal", conns, ["--read-ahead", "on"]) for conns in (1, 16)]
        for key, sync, conns, extra in runs:
            url = f"sqlite:///{tmp}/bench-{key}-{conns}.sqlite3"
            proc, port = _start(
                [
                    str(BIN / "bedside-ingest"),
                    "--db",
                    url,
                    "--listen",
                    "127.0.0.1:0",
                    "--synchronous",
                    sync,
                    "--log-level",
                    "WARNING",
                    *extra,
                ]
            )
            try:
                # Steady state: a first drive of the same size is not counted. In its first
                # second the service's alerting process loads its rules and history, which
                # took 10-25 % off a 2,000-message run on this 2-core machine.
                _drive(port, n, "W", conns)
                rate, lat = _drive(port, n, "B", conns)
            finally:
                _stop(proc)
            stored = json.loads(
                subprocess.run(
                    [str(BIN / "bedside-cli"), "--db", url, "stats", "--json"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            expected = 2 * ((n // conns) * conns + 20 * conns)
            assert stored["messages_acknowledged"] == expected, (stored["messages_acknowledged"], expected)
            rates[f"{key}-{conns}"] = rate
            rates[f"{key}-{conns}-p99"] = _p(lat, 99)
        url = f"sqlite:///{tmp}/bench-paced.sqlite3"
        proc, port = _start(
            [str(BIN / "bedside-ingest"), "--db", url, "--listen", "127.0.0.1:0", "--log-level", "WARNING"]
        )
        try:
            _, paced = _drive(port, 1000, "R", 4, rate=200.0)
        finally:
            _stop(proc)
        cpu = split = None
        if CpuMeter.available():
            cpu = _cpu_per_message(n, f"sqlite:///{tmp}/bench-cpu.sqlite3")
            split = _cpu_per_message(n, f"sqlite:///{tmp}/bench-cpu-ra.sqlite3", ("--read-ahead", "on"))
        free = {
            (stage, conns): _stage_free_rate(stage, conns, n, f"sqlite:///{tmp}/free-{stage}-{conns}.sqlite3")
            for stage in ("reading", "storage")
            for conns in (1, 16)
        }
    base, port = _start([sys.executable, str(Path(__file__).with_name("pyhl7_server.py"))])
    try:
        _drive(port, n, "Q", 16)  # warmed up like ours
        base1, base1_lat = _drive(port, n, "P", 1)
        base16, _ = _drive(port, n, "P", 16)
    finally:
        _stop(base)
    apy, port = _start([sys.executable, str(Path(__file__).with_name("hl7apy_server.py"))])
    try:
        apy_rate, _ = _drive(port, 100, "H", 1, new_connection_each=True)
    finally:
        _stop(apy)
    note = "20-OBX PCD-01 messages, each sender waits for its ACK; commit (SQLite WAL) before every ACK"
    for sync in ("normal", "full"):
        tag = "" if sync == "normal" else "_full"
        rate1, rate16, p99 = rates[f"{sync}-1"], rates[f"{sync}-16"], rates[f"{sync}-1-p99"]
        out.append(
            figure(
                f"ingest.msgs_per_s_1conn{tag}",
                rate1,
                "msg/s",
                base1,
                5.0 if not tag else None,
                f"{note}, synchronous={sync}; baseline: python-hl7 asyncio server, no storage",
            )
        )
        out.append(
            figure(
                f"ingest.msgs_per_s_16conn{tag}",
                rate16,
                "msg/s",
                base16,
                10.0 if not tag else None,
                f"{note}, 16 connections, synchronous={sync}",
            )
        )
        out.append(figure(f"ingest.ack_p99_ms_1conn{tag}", p99, "ms", _p(base1_lat, 99)))
    for conns, base in ((1, base1), (16, base16)):
        out.append(
            figure(
                f"ingest.msgs_per_s_{conns}conn_read_ahead",
                rates[f"read_ahead-{conns}"],
                "msg/s",
                base,
                None,
                f"{note}, {conns} connection(s), --read-ahead on (the default from 4 cores, or with "
                "--no-alerting)",
            )
        )
    out.append(
        figure(
            "ingest.ack_p99_ms_200",
            _p(paced, 99),
            "ms",
            None,
            None,
            "ACK latency p99 at an offered 200 msg/s over 4 connections; target: under 10 ms",
        )
    )
    out += _diagnosis_figures(free, cpu, split, base1, base16)
    out.append(
        figure(
            "ingest.hl7apy_mllpserver_msgs_per_s",
            apy_rate,
            "msg/s",
            rates["normal-1"],
            None,
            "hl7apy's MLLPServer, new connection per message; baseline here: ours",
        )
    )
    return out


def _stage_free_rate(stage: str, conns: int, n: int, url: str) -> float:
    """The same drive against bedside-ingest with one stage made free (tests/bench/ingest_stage_free.py).
    Measured on a second, longer drive, after the service's start-up (its alerting process loads)."""
    warm, measured = n // 2, 4 * n
    plan = ",".join(
        f"{prefix}{k:02d}-:{count // conns + 20}"
        for prefix, count in (("E", warm), ("F", measured))
        for k in range(conns)
    )
    script = str(Path(__file__).with_name("ingest_stage_free.py"))
    # Without read-ahead: the question is what the listener's one thread can do without that stage.
    args = ["--db", url, "--listen", "127.0.0.1:0", "--log-level", "WARNING", "--read-ahead", "off"]
    proc, port = _start([sys.executable, script, stage, plan, "--", *args])
    try:
        _drive(port, warm, "E", conns)
        rate, _ = _drive(port, measured, "F", conns)
    finally:
        _stop(proc)
    return rate


def _cpu_per_message(n: int, url: str, extra: tuple[str, ...] = ()) -> tuple[float, float, float]:
    """On 16 connections: the listener's CPU µs per message, the share of one core it used, and the
    whole machine's CPU µs per message (client, kernel, the service's alerting process included).
    Measured on a second drive of 20,000 messages, after the service's start-up."""
    args = ["--db", url, "--listen", "127.0.0.1:0", "--log-level", "WARNING", *extra]
    proc, port = _start([str(BIN / "bedside-ingest"), *args])
    meter = CpuMeter(proc.pid)
    measured = max(4 * n, 20_000) // 16 * 16
    try:
        _drive(port, n, "C", 16)
        rate, _ = _drive(port, measured, "D", 16, meter=meter)
    finally:
        _stop(proc)
    listener, machine = meter.per_message(measured)
    return listener, listener * rate / 1e6, machine


def _diagnosis_figures(
    free: dict[tuple[str, int], float],
    cpu: tuple[float, float, float] | None,
    split: tuple[float, float, float] | None,
    base1: float,
    base16: float,
) -> list[dict]:
    """Where the listener's time goes (no targets): the rate with reading or storing made free, and
    the listener's CPU per message (on 16 connections its one event-loop thread is the bottleneck)."""
    out = []
    stages = (
        ("reading", "reading and mapping done before the run"),
        ("storage", "nothing stored or committed"),
    )
    for stage, what in stages:
        for conns, base in ((1, base1), (16, base16)):
            out.append(
                figure(
                    f"ingest.{stage}_free_msgs_per_s_{conns}conn",
                    free[(stage, conns)],
                    "msg/s",
                    base,
                    None,
                    f"diagnosis: {what} (tests/bench/ingest_stage_free.py); baseline: python-hl7",
                )
            )
    if cpu is not None:
        per_message, busy, _ = cpu
        out.append(
            figure(
                "ingest.listener_cpu_us_per_msg_16conn",
                per_message,
                "us",
                None,
                None,
                "the bedside-ingest process (all its threads), synchronous=normal",
            )
        )
        out.append(
            figure(
                "ingest.listener_cores_busy_16conn",
                busy,
                "cores",
                None,
                None,
                "CPU per message x rate: near 1, the listener's event-loop thread is the bottleneck",
            )
        )
    if split is not None:
        _, split_busy, machine = split
        cores = os.cpu_count() or 1
        out.append(
            figure(
                "ingest.read_ahead_listener_cores_busy_16conn",
                split_busy,
                "cores",
                None,
                None,
                "with --read-ahead on: the listener no longer the whole bottleneck",
            )
        )
        out.append(
            figure(
                "ingest.read_ahead_machine_cpu_us_per_msg_16conn",
                machine,
                "us",
                None,
                None,
                "with --read-ahead on, all cores: listener, read worker, the bench's client, the "
                "alerting process, the kernel",
            )
        )
        out.append(
            figure(
                "ingest.read_ahead_cpu_cap_msgs_per_s_16conn",
                cores * 1e6 / machine,
                "msg/s",
                base16,
                None,
                f"{cores} cores / that CPU per message: what the split could reach with every core "
                "busy all the time; baseline: python-hl7",
            )
        )
    return out


GROUPS: dict[str, Callable[[argparse.Namespace], list[dict]]] = {
    "ingest": lambda a: bench_ingest(a.messages),
    "connections": lambda a: bench_connections(),
    "storage": lambda a: bench_storage(a.days) + bench_raw_storage(),
    "alerts": lambda a: bench_alerts(),
    "failover": lambda a: bench_failover(a.kills),
    "ui": lambda a: bench_ui(),
}
ON_ITS_OWN = {"failover"}
"""Groups a full run leaves out: `failover` kills and restarts processes and PostgreSQL for several
minutes (`make bench ONLY=failover`)."""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--only", choices=sorted(GROUPS), help="run one group")
    p.add_argument("--messages", type=int, default=2000)
    p.add_argument("--days", type=float, default=7.0, help="storage: length of the course")
    p.add_argument("--kills", type=int, default=20, help="failover: SIGKILLs of the alerting node")
    p.add_argument("--out", default=str(ROOT / "build" / "bench.json"))
    args = p.parse_args()
    # The benchmarks' databases are throwaway: their signing key and anchor lines too, never the
    # user's data dir (a child process inherits the setting).
    scratch = tempfile.TemporaryDirectory(prefix="bedside-bench-data-")
    os.environ["BEDSIDE_DATA_DIR"] = scratch.name
    os.environ.pop("BEDSIDE_LOG_KEY", None)
    os.environ.pop("BEDSIDE_LOG_ANCHORS", None)
    results: list[dict] = []
    for name, run in GROUPS.items():
        if (args.only and name != args.only) or (not args.only and name in ON_ITS_OWN):
            continue
        # Each group starts without the garbage of the one before: a full collection of the alerts
        # group's messages once landed inside a measured UI frame and made it the slowest of the run.
        gc.collect()
        if name == "ui":
            # Frame times are a few milliseconds: measured while the background work of the groups
            # before (autovacuum, checkpoints) still runs, they time that work as much as the screen.
            waited, busy = settle()
            print(f"ui: waited {waited:.1f} s for the machine to settle ({busy:.0%} busy)", flush=True)
        results += run(args)
    print(f"{'name':44s} {'value':>10s} {'unit':6s} {'baseline':>10s} {'ratio':>7s} {'target':>7s}")
    for r in results:
        below = r["unit"] == "B" or r.get("target_is") == "max"
        target = "" if r["target"] is None else ("<" if below else "≥") + f"{r['target']}"
        base, ratio = ("-" if r[k] is None else r[k] for k in ("baseline", "ratio"))
        row = f"{r['name']:44s} {r['value']:>10} {r['unit']:6s} {base:>10} {ratio:>7}"
        print(f"{row} {target:>7s}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.only and out.exists():  # keep the other groups' figures from an earlier run
        fresh = {r["name"] for r in results}
        results = [r for r in json.loads(out.read_text()) if r["name"] not in fresh] + results
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    missed = [r["name"] for r in results if r["target"] is not None and not meets(r)]
    if missed:
        print("below target: " + ", ".join(missed))
    if out == ROOT / "build" / "bench.json":  # the page shows the project's figures, not a side run's
        page = ROOT / "docs" / "performance.md"
        write_page(out, page)
        print(f"{page.relative_to(ROOT)} regenerated")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
