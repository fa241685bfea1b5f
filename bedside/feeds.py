"""Feed health: a feed that goes quiet must be visible, never mistaken for a calm patient."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bedside.i18n import _, localize_number, ngettext


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
    clock_faults: int = 0
    """Its messages quarantined because a time they set was implausible (bedside.clock_window)."""
    last_clock_fault_at: float | None = None
    last_clock_fault: str = ""
    """The last clock fault's reason, e.g. 'clock fault: MSH-7 9999-12-31 ... ahead of ...'."""


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
    behind: float | None = None
    """Seconds its newest value is behind the clock while it catches up a backlog (set by
    `FeedPace`; `clock_skew` is then None: a sender sending old data at full speed is not skewed)."""
    clock_fault: str | None = None
    """What the feed line says of a recent clock fault (within CLOCK_FAULT_SHOWN), else None."""


def data_age(status: FeedStatus) -> float:
    """Seconds since the newest value a feed sent was observed: the one age a screen gives both a
    stopped feed and the values it left behind, so that "no data for 81 s" and "81 s old" agree. A
    sender whose clock runs ahead does not make its data younger than its silence."""
    return status.silent_for + max(0.0, status.clock_skew or 0.0)


def assess_feed(activity: FeedActivity, now: float, stale_after: float) -> FeedStatus:
    silent_for = max(0.0, now - activity.last_received_at)
    skew = None
    if activity.last_observed_at is not None:
        skew = activity.last_received_at - activity.last_observed_at
    continuous = activity.last_observed_at is not None
    state = FeedState.STALE if continuous and silent_for > stale_after else FeedState.LIVE
    fault = _clock_fault(activity, now)
    return FeedStatus(activity.sender, state, silent_for, skew, continuous, clock_fault=fault)


CLOCK_FAULT_SHOWN = 3600.0
"""Seconds a feed line keeps saying that a sender's clock could not be believed: long enough to be
seen at the next look, short enough to clear once the device's clock was set right."""


def _clock_fault(activity: FeedActivity, now: float) -> str | None:
    at = activity.last_clock_fault_at
    if at is None or now - at > CLOCK_FAULT_SHOWN:
        return None
    n = activity.clock_faults
    what = ngettext("{n} message", "{n} messages", n).format(n=n)
    # 'MSH-7 9999-12-31 23:59:59 UTC is 2,912,110 days ahead': the receive time is the line's own.
    reason = activity.last_clock_fault.removeprefix("clock fault: ").split(" the receive time")[0]
    ago = describe_silence(max(0.0, now - at))
    return _("clock fault {ago} ago ({what} refused so far): {reason}").format(
        ago=ago, what=what, reason=localize_number(reason)
    )


def describe_silence(seconds: float) -> str:
    """'12 s', '4 min', '3 h 05 min': short enough to read from across the room."""
    s = int(seconds)
    if s < 120:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"


CATCHING_UP_PACE = 2.0
"""A feed whose value time moves at least this many times faster than the clock is catching up."""
CATCHING_UP_HOLD = 10.0
"""Seconds a feed stays "catching up" after its value time was last seen racing (batches arrive in
bursts; between two of them the value time stands still)."""
CATCHING_UP_LAG = 60.0
"""Seconds behind the clock from which catching up is said (a second or two is transit)."""


class FeedPace:
    """Tells a backlog from a skewed clock. Both put a feed's newest value behind the clock; only a
    backlog moves its value time faster than the clock (history sent at full speed, a gateway
    delivering what it buffered while the network was down). One look cannot tell them apart, so
    this remembers the previous look per sender; a large lag seen for the first time is neither said
    to be a skew nor a backlog until the second look."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[float, float, float | None]] = {}
        """Per sender: newest value time, when looked, when last seen racing."""

    def assess(self, status: FeedStatus, now: float) -> FeedStatus:
        skew = status.clock_skew
        if skew is None or not status.continuous:
            return status
        observed = now - status.silent_for - skew
        before = self._seen.get(status.sender)
        racing = before[2] if before is not None else None
        if (
            before is not None
            and now > before[1]
            and observed - before[0] > CATCHING_UP_PACE * (now - before[1])
        ):
            racing = now
        self._seen[status.sender] = (observed, now, racing)
        if skew <= CATCHING_UP_LAG:
            return status
        if racing is not None and now - racing <= CATCHING_UP_HOLD:
            return replace(status, clock_skew=None, behind=skew)
        if before is None:
            return replace(status, clock_skew=None)  # not known yet which: the next look says
        return status


def catching_up(feeds: Sequence[FeedStatus], pace: FeedPace, now: float) -> float | None:
    """How far behind the furthest-behind device feed is while it catches up a backlog (None: none
    is): what the review says while the history it shows is still arriving. The same reading as the
    nurse's feed line ("catching up: N h behind"), from the same `pace`."""
    behind = [
        lag
        for f in feeds
        if f.continuous and f.state is not FeedState.STALE
        for lag in (pace.assess(f, now).behind,)
        if lag is not None
    ]
    return max(behind, default=None)


def describe_lag(seconds: float) -> str:
    """'45 s', '12 min', '60 h': how far behind, rounded as a person would say it."""
    s = abs(seconds)
    if s < 120:
        return f"{s:.0f} s"
    if s < 2 * 3600:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.0f} h"


def describe_clock(status: FeedStatus) -> str:
    """What the feed line says after the age: ', catching up: 60 h behind' for a backlog,
    ', clock +5 s' for a clock that runs behind (negative: ahead), nothing for an on-time feed."""
    if status.behind is not None:
        return ", " + _("catching up: {lag} behind").format(lag=describe_lag(status.behind))
    if status.clock_skew is not None and abs(status.clock_skew) >= 2:
        return ", " + _("clock {skew} s").format(skew=f"{status.clock_skew:+.0f}")
    return ""
