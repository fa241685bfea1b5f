"""The CPU time a process spends per message during a bench run, read from Linux's /proc.

A rate alone cannot tell "the listener is slow" from "the machine is full": on two cores the client,
the kernel's loopback TCP and the listener share them. The listener's own CPU per message can.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of one process (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class CpuMeter:
    """start() and stop() around the measured part; then per_message(n)."""

    pid: int
    _start: float = field(default=0.0, init=False)
    _end: float = field(default=0.0, init=False)

    @staticmethod
    def available() -> bool:
        return os.path.exists("/proc/self/stat")

    def start(self) -> None:
        self._start = _process_cpu(self.pid)

    def stop(self) -> None:
        self._end = _process_cpu(self.pid)

    def per_message(self, n: int) -> float:
        """CPU µs per message."""
        return (self._end - self._start) / n * 1e6
