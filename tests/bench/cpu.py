"""CPU time spent per message during a bench run, read from Linux's /proc.

A rate alone cannot tell "the listener is slow" from "the machine is full": on two cores the client,
the kernel's loopback TCP and the listener share them. The listener's own CPU per message, and the
whole machine's, tell which it is.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of one process (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(busy, all) ticks of all cores since boot; busy is everything but idle and I/O wait."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]  # guest time is already in user
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)


@dataclass
class CpuMeter:
    """start() and stop() around a measured part of a few seconds at least; then per_message(n)."""

    pid: int
    _start: tuple[float, int, int, float] = field(default=(0.0, 0, 0, 0.0), init=False)
    _end: tuple[float, int, int, float] = field(default=(0.0, 0, 0, 0.0), init=False)

    @staticmethod
    def available() -> bool:
        return os.path.exists("/proc/stat") and os.path.exists("/proc/self/stat")

    def _read(self) -> tuple[float, int, int, float]:
        return (_process_cpu(self.pid), *_machine_ticks(), time.monotonic())

    def start(self) -> None:
        self._start = self._read()

    def stop(self) -> None:
        self._end = self._read()

    def per_message(self, n: int) -> tuple[float, float]:
        """(the process, the whole machine) CPU µs per message. The machine's is its busy share of
        the ticks times cores times wall time: in this VM fewer ticks are counted than wall time
        passes (the raw busy ticks came out below the listener's and the client's own CPU)."""
        process = self._end[0] - self._start[0]
        busy, ticks = self._end[1] - self._start[1], self._end[2] - self._start[2]
        wall = self._end[3] - self._start[3]
        machine = busy / ticks * (os.cpu_count() or 1) * wall if ticks else 0.0
        return process / n * 1e6, machine / n * 1e6


def settle(
    quiet: float = 0.1, samples: int = 3, period: float = 0.5, limit: float = 60.0
) -> tuple[float, float]:
    """Wait until the machine is quiet: the busy share of all cores below `quiet` for `samples`
    periods in a row (the work an earlier group left behind, such as PostgreSQL's autovacuum after
    the storage group, or WAL checkpoints, has ended), or `limit` seconds have passed. Returns (the
    seconds waited, the busy share of the last period), so a run says how quiet it was."""
    began = time.monotonic()
    calm, share = 0, 1.0
    last = _machine_ticks()
    while calm < samples and time.monotonic() - began < limit:
        time.sleep(period)
        now = _machine_ticks()
        busy, ticks = now[0] - last[0], now[1] - last[1]
        last = now
        share = busy / ticks if ticks else 0.0
        calm = calm + 1 if share < quiet else 0
    return time.monotonic() - began, share
