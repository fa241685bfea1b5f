"""Time conventions: float64 epoch seconds UTC in memory, integer epoch milliseconds at rest."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]
"""A source of the current time in epoch seconds UTC; injected so tests and the simulator can steer it."""


def system_clock() -> float:
    return time.time()


def to_ms(epoch_s: float) -> int:
    """Seconds (float) to the integer milliseconds stored in the database."""
    return round(epoch_s * 1000.0)


def from_ms(epoch_ms: int) -> float:
    return epoch_ms / 1000.0
