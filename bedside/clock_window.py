"""Clock faults: a time a message sets that is too far from when it arrived to be believed.

A device whose clock says 9999 or 1800 is not reporting from the future or the past: its clock is
wrong, and a value placed at that time would be drawn where nobody looks, hold a bed's newest minute
forever, or move a device's bed binding centuries back. The window is wide (a device's clock may
drift, a gateway may deliver hours of buffered history) and a site can set it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class ClockWindow:
    """How far a time may be from the receive time: `ahead` and `behind`, in seconds (inf: no limit)."""

    ahead: float = DAY
    behind: float = 365 * DAY

    def __post_init__(self) -> None:
        if not (self.ahead > 0 and self.behind > 0):
            raise ValueError("a clock window needs a positive time ahead and behind")

    def fault(self, times: Iterable[tuple[str, float]], received_at: float) -> str | None:
        """Why the first of (field, epoch s) outside the window is a clock fault, or None."""
        earliest, latest = received_at - self.behind, received_at + self.ahead
        for what, at in times:
            if earliest <= at <= latest:
                continue
            distance = _distance(at - received_at)
            return f"clock fault: {what} {_shown(at)} is {distance} the receive time {_shown(received_at)}"
        return None


def _shown(at: float) -> str:
    try:
        return datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return f"{at:g} s since 1970"


def _distance(seconds: float) -> str:
    where = "ahead of" if seconds > 0 else "behind"
    s = abs(seconds)
    if not math.isfinite(s):
        return f"infinitely {where}"
    if s >= 2 * DAY:
        return f"{s / DAY:,.0f} days {where}"
    return f"{s / 3600:.1f} h {where}"
