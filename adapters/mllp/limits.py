"""What one sender may take of the listener: connections, time to finish a frame, buffered bytes.

Each limit answers a way a sender (broken or hostile) could lock the others out: many idle
connections from one address, a frame trickled a byte at a time (which keeps the idle timeout from
ever firing), and many large unfinished frames held in memory at once. 0 turns a limit off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

DEFAULT_PER_ADDRESS = 32
"""Connections one address may hold open. A gateway opens one or a few; an interface engine one per
channel. Room for eight such addresses under the listener's total of 256."""
DEFAULT_FRAME_DEADLINE = 60.0
"""Seconds to finish a frame once its first byte has come. A 4 MB frame on a 1 Mbit/s link takes
about 32 s; a hospital LAN moves a monitor's message in well under one."""
DEFAULT_BUFFER_BUDGET = 64 * 1024 * 1024
"""Bytes of unfinished frames held across all connections: sixteen frames of the largest size."""


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    per_address: int = DEFAULT_PER_ADDRESS
    frame_deadline: float = DEFAULT_FRAME_DEADLINE
    buffer_budget: int = DEFAULT_BUFFER_BUDGET

    def check(self, max_frame: int) -> None:
        """Settings that cannot work together are refused at start-up."""
        if self.per_address < 0 or self.frame_deadline < 0 or self.buffer_budget < 0:
            raise ValueError("connection limits cannot be negative (0 turns one off)")
        if self.buffer_budget and self.buffer_budget < max_frame:
            raise ValueError(
                f"the buffer budget ({self.buffer_budget} bytes) must hold at least one frame of the "
                f"largest size ({max_frame} bytes)"
            )


class Holder(Protocol):
    """A connection as the limits see it."""

    host: str
    held: int
    """Bytes of its unfinished frame held in memory."""
    last_active: float

    @property
    def busy(self) -> bool:
        """A frame in progress or an answer pending."""
        ...


H = TypeVar("H", bound=Holder)


def largest_holder(connections: Iterable[H]) -> H | None:
    """Over the buffer budget, the one to close: the connection holding the most, of the address
    holding the most. A sender with many connections loses its own before a sender with one large
    frame loses that one."""
    holding = [c for c in connections if c.held]
    by_host: dict[str, int] = {}
    for conn in holding:
        by_host[conn.host] = by_host.get(conn.host, 0) + conn.held
    if not by_host:
        return None
    host = max(by_host, key=by_host.__getitem__)
    return max((c for c in holding if c.host == host), key=lambda c: c.held)


def idle_to_replace(connections: Iterable[H], per_host: Mapping[str, int], newcomer: str) -> H | None:
    """At the total limit, the connection a sender from `newcomer` may take the place of: the
    longest-idle one (never a busy one) of the address holding the most, when that address holds at
    least two more than the newcomer's. Idle connections, from however many addresses, cannot lock
    out a sender that holds few; the closed one's sender reconnects when it next sends."""
    top = max(per_host, key=per_host.__getitem__, default=None)
    if top is None or per_host[top] <= per_host.get(newcomer, 0) + 1:
        return None
    idle = [c for c in connections if c.host == top and not c.busy]
    return min(idle, key=lambda c: c.last_active, default=None)
