"""What one sender may take of the listener: connections, time to finish a frame, buffered bytes.

Each limit answers a way a sender (broken or hostile) could lock the others out: many idle
connections from one address, a frame trickled a byte at a time (which keeps the idle timeout from
ever firing), and many large unfinished frames held in memory at once. 0 turns a limit off.
"""

from __future__ import annotations

from dataclasses import dataclass

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
