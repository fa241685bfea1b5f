"""What the MLLP listener counts: connections, frames, refusals and what the limits closed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ListenerStats:
    connections_total: int = 0
    frames: int = 0
    garbage_bytes: int = 0
    oversize_frames: int = 0
    unterminated_frames: int = 0
    idle_closed: int = 0
    refused: int = 0
    refused_per_address: int = 0
    """Of `refused`: turned away by the per-address connection limit."""
    made_room: int = 0
    """Idle connections closed at the total limit for a sender from an address holding fewer."""
    deadline_closed: int = 0
    """Connections closed because a frame was not finished within the frame deadline."""
    budget_closed: int = 0
    """Connections closed because their unfinished frame took the buffers over the global budget."""
    buffered: int = 0
    """Bytes of unfinished frames held now, across connections."""
    buffered_peak: int = 0
    batches: int = 0
    largest_batch: int = 0
    open_connections: set[str] = field(default_factory=set)
