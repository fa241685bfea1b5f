"""Figures for the listener's limits, measured on the real `bedside-ingest` process.

- bytes of memory per open idle connection: the process's resident memory before and after
  N connections that send nothing;
- what 500 idle connections do to a new sender (does it still get an ACK?): from one address with
  the limits as shipped, from one address without the per-address limit, and from 20 addresses
  (where only the total limit stands);
- what 60 unfinished frames of 4 MB cost in memory with the buffer budget and without it.

Run alone: `.venv/bin/python -m tests.bench.connections`.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bedside_adapters.mllp.client import ack_fields
from bedside_adapters.mllp.framing import Frame, MllpDecoder, frame
from bedside_adapters.mllp.limits import DEFAULT_BUFFER_BUDGET

from tests.helpers import pcd01

BIN = Path(sys.executable).parent
IDLE = 500
NEWCOMER = "127.0.0.2"
"""A sender from another address than the idle connections (all of 127/8 is loopback on Linux)."""


def _message(control: str) -> bytes:
    # Dated today: a message far from its receive time is a clock fault, answered AE.
    return pcd01(control).replace(b"20250101", datetime.now(UTC).strftime("%Y%m%d").encode())


@contextlib.contextmanager
def _ingest(*options: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            str(BIN / "bedside-ingest"),
            "--db",
            f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "--listen",
            "127.0.0.1:0",
            "--no-alerting",
            "--read-ahead",
            "off",
            "--log-level",
            "ERROR",
            *options,
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if "listening on" not in line:
            proc.kill()
            raise RuntimeError(f"bedside-ingest did not start: {line!r}")
        try:
            yield proc, int(line.strip().rsplit(":", 1)[1])
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def _ack(port: int, control: str, source: str = NEWCOMER) -> bool:
    """Whether a sender from `source` gets an AA for one message."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as sock:
            sock.sendall(frame(_message(control)))
            decoder = MllpDecoder()
            while data := sock.recv(65536):
                for event in decoder.feed(data):
                    if isinstance(event, Frame):
                        return ack_fields(event.payload) == ("AA", control)
    except OSError:
        return False
    return False


def _open(port: int, n: int, sources: list[str]) -> list[socket.socket]:
    socks = []
    for i in range(n):
        source = sources[i % len(sources)]
        with contextlib.suppress(OSError):  # a refused one may be reset while connecting
            socks.append(
                socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
            )
    return socks


def _settled_rss(pid: int, seconds: float = 30.0) -> int:
    """Resident memory once it has stopped changing for a second (the listener has read all)."""
    last, stable_since, end = _rss(pid), time.monotonic(), time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.1)
        now = _rss(pid)
        if abs(now - last) > 64 * 1024:
            last, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= 1.0:
            break
    return last


def _figure(name: str, value: float, unit: str, note: str, target: float | None = None) -> dict:
    return {
        "name": f"connections.{name}",
        "value": value,
        "unit": unit,
        "baseline": None,
        "ratio": None,
        "target": target,
        "note": note,
    }


def bytes_per_idle_connection(n: int = IDLE) -> dict:
    with _ingest("--max-connections", str(n + 10), "--max-connections-per-address", "0") as (proc, port):
        assert _ack(port, "WARM-1", "127.0.0.1")  # the first message's code paths are loaded
        before = _settled_rss(proc.pid)
        socks = _open(port, n, ["127.0.0.1"])
        try:
            assert _ack(port, "AFTER-1", "127.0.0.1")  # accepted in order: all n are open now
            after = _settled_rss(proc.pid)
        finally:
            for sock in socks:
                sock.close()
    return _figure(
        "bytes_per_idle_connection",
        round((after - before) / n),
        "B",
        f"resident memory of bedside-ingest before and after {n} idle connections, / {n}",
    )


def newcomer_under_idle_connections(label: str, sources: list[str], *options: str) -> dict:
    """Whether a sender from another address gets an ACK while IDLE idle connections are open."""
    with _ingest(*options) as (_proc, port):
        socks = _open(port, IDLE, sources)
        try:
            served = _ack(port, f"NEW-{label}")
        finally:
            for sock in socks:
                sock.close()
    shape = f"from {len(sources)} address{'es' if len(sources) > 1 else ''}"
    return _figure(
        f"idle_{IDLE}_{label}_newcomer_acked",
        1 if served else 0,
        "yes=1",
        f"{IDLE} idle connections {shape} ({' '.join(options) or 'limits as shipped'}): "
        "does a sender from another address get its ACK",
    )


def unfinished_frames_memory(budget: int, frames: int = 60, size: int = 4 * 1024 * 1024) -> dict:
    """Resident memory taken by `frames` unfinished frames of `size` bytes held at once."""
    with _ingest("--max-connections-per-address", "0", "--buffer-budget", str(budget)) as (proc, port):
        assert _ack(port, "WARM-2", "127.0.0.1")
        before = _settled_rss(proc.pid)
        body = b"\x0b" + _message("BIG-1") + b"NTE|1||" + b"x" * (size - 10_000)
        socks = _open(port, frames, ["127.0.0.1"])
        try:
            for sock in socks:
                with contextlib.suppress(OSError):  # closed over the budget while sending
                    sock.sendall(body)
            after = _settled_rss(proc.pid)
            served = _ack(port, "NEW-BIG")
        finally:
            for sock in socks:
                sock.close()
    label = f"budget_{budget // (1024 * 1024)}MiB" if budget else "no_budget"
    return _figure(
        f"unfinished_{frames}x{size // (1024 * 1024)}MB_{label}_rss_mb",
        round((after - before) / 1e6, 1),
        "MB",
        f"resident memory added by {frames} unfinished frames of {size // (1024 * 1024)} MB "
        f"({'--buffer-budget ' + str(budget) if budget else 'no buffer budget'}); "
        f"a new sender {'was' if served else 'was not'} answered",
    )


def bench_connections() -> list[dict]:
    many = [f"127.0.0.{10 + i}" for i in range(20)]
    return [
        bytes_per_idle_connection(),
        newcomer_under_idle_connections("one_address", ["127.0.0.1"]),
        newcomer_under_idle_connections(
            "one_address_no_per_address_cap", ["127.0.0.1"], "--max-connections-per-address", "0"
        ),
        newcomer_under_idle_connections("20_addresses", many),
        unfinished_frames_memory(DEFAULT_BUFFER_BUDGET),
        unfinished_frames_memory(0),
    ]


if __name__ == "__main__":
    for figure in bench_connections():
        print(f"{figure['name']:<60} {figure['value']:>10} {figure['unit']:<6} {figure['note']}")
