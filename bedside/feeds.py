"""Feed health: a feed that goes quiet must be visible, never mistaken for a calm patient."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FeedState(enum.Enum):
    LIVE = "live"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class FeedActivity:
    """What the store knows about one feed (a sender, e.g. a monitor gateway)."""

    sender: str
    last_received_at: float
    last_observed_at: float | None
    messages: int


@dataclass(frozen=True, slots=True)
class FeedStatus:
    sender: str
    state: FeedState
    silent_for: float
    """Seconds since the last message arrived."""
    clock_skew: float | None
    """Receive time minus observation time of the newest value (s): the sender's clock lag or lead."""
    continuous: bool = True
    """A device feed that reports values all the time. Event feeds (ADT, lab, eMAR) speak when
    something happens: their silence is not a fault, so they never turn stale."""


def assess_feed(activity: FeedActivity, now: float, stale_after: float) -> FeedStatus:
    silent_for = max(0.0, now - activity.last_received_at)
    skew = None
    if activity.last_observed_at is not None:
        skew = activity.last_received_at - activity.last_observed_at
    continuous = activity.last_observed_at is not None
    state = FeedState.STALE if continuous and silent_for > stale_after else FeedState.LIVE
    return FeedStatus(activity.sender, state, silent_for, skew, continuous)


def describe_silence(seconds: float) -> str:
    """'12 s', '4 min', '3 h 05 min': short enough to read from across the room."""
    s = int(seconds)
    if s < 120:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"
