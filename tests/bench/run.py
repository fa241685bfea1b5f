"""`make bench`: speed as ratios against a baseline measured in the same run (DEVELOPERS.md rule 5).

Prints a table and writes build/bench.json: a list of {name, value, unit, baseline, ratio, target}.
`--only GROUP` runs one group. Groups: ingest, storage.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from adapters.mllp.client import MllpClient, ack_fields  # noqa: E402
from tests.bench.storage import bench_storage  # noqa: E402
from tests.helpers import pcd01  # noqa: E402

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


def _drive(port: int, n: int, prefix: str) -> tuple[float, list[float]]:
    """Send n 20-OBX PCD-01 messages on one connection, each waiting for its ACK."""
    messages = [pcd01(f"{prefix}{i:06d}", hr=str(60 + i % 60)) for i in range(n + 50)]
    latencies = []
    with MllpClient("127.0.0.1", port, timeout=30) as client:
        for m in messages[:50]:  # warm-up: imports, caches, the first pages of the file
            client.send(m)
        start = time.perf_counter()
        for m in messages[50:]:
            t0 = time.perf_counter()
            code, _ = ack_fields(client.send(m))
            latencies.append(time.perf_counter() - t0)
            if code not in ("AA", "CA"):
                raise RuntimeError(f"message refused: {code}")
        elapsed = time.perf_counter() - start
    return n / elapsed, latencies


def bench_ingest(n: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        ours, port = _start(
            [str(BIN / "bedside-ingest"), "--db", url, "--listen", "127.0.0.1:0", "--log-level", "WARNING"]
        )
        try:
            rate, lat = _drive(port, n, "B")
        finally:
            _stop(ours)
        count = subprocess.run(
            [str(BIN / "bedside-cli"), "--db", url, "stats", "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        stored = json.loads(count)["messages_acknowledged"]
        assert stored == n + 50, f"only {stored} of {n + 50} messages stored"
    base, port = _start([sys.executable, str(Path(__file__).with_name("pyhl7_server.py"))])
    try:
        base_rate, base_lat = _drive(port, n, "P")
    finally:
        _stop(base)
    p50, p99 = statistics.median(lat) * 1000, statistics.quantiles(lat, n=100)[98] * 1000
    b50, b99 = statistics.median(base_lat) * 1000, statistics.quantiles(base_lat, n=100)[98] * 1000
    return [
        {
            "name": "ingest.messages_per_second",
            "value": round(rate, 1),
            "unit": "msg/s",
            "baseline": round(base_rate, 1),
            "ratio": round(rate / base_rate, 2),
            "target": 1.0,
            "note": "20-OBX PCD-01, one connection, commit (SQLite WAL, synchronous=NORMAL) before each ACK; "
            "baseline: python-hl7 asyncio server, parse + ACK, no storage",
        },
        {
            "name": "ingest.ack_latency_p50",
            "value": round(p50, 3),
            "unit": "ms",
            "baseline": round(b50, 3),
            "ratio": round(p50 / b50, 2),
            "target": None,
        },
        {
            "name": "ingest.ack_latency_p99",
            "value": round(p99, 3),
            "unit": "ms",
            "baseline": round(b99, 3),
            "ratio": round(p99 / b99, 2),
            "target": None,
        },
    ]


GROUPS: dict[str, Callable[[argparse.Namespace], list[dict]]] = {
    "ingest": lambda a: bench_ingest(a.messages),
    "storage": lambda a: bench_storage(a.days),
}


def meets(r: dict) -> bool:
    """Targets are minimum ratios, except where the unit is bytes: there the value is a maximum."""
    if r["unit"] == "B":
        return r["value"] < r["target"]
    return r["ratio"] is not None and r["ratio"] >= r["target"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--only", choices=sorted(GROUPS), help="run one group")
    p.add_argument("--messages", type=int, default=2000)
    p.add_argument("--days", type=float, default=7.0, help="storage: length of the course")
    p.add_argument("--out", default=str(ROOT / "build" / "bench.json"))
    args = p.parse_args()
    results: list[dict] = []
    for name, run in GROUPS.items():
        if args.only and name != args.only:
            continue
        results += run(args)
    print(f"{'name':44s} {'value':>10s} {'unit':6s} {'baseline':>10s} {'ratio':>7s} {'target':>7s}")
    for r in results:
        target = "" if r["target"] is None else ("<" if r["unit"] == "B" else "≥") + f"{r['target']}"
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
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
