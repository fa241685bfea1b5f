"""Whether a patient's monitor feeds are catching up a backlog: then silence is judged only up to the
values already read, since the minutes a feed has not sent yet are not silent."""

from __future__ import annotations

import math
import time

from bedside_adapters.db.alerting_store import feed_times
from bedside_adapters.db.engine import Engine

from bedside.rules.data import PatientData
from bedside.rules.ruleset import RuleSet

DELIVERING_SECONDS = 15.0
"""A feed whose newest value time moved within this many seconds is still delivering: behind the
clock, it is catching up a backlog, not silent. One that stops moving is judged on the clock again
(the screens' own stale-after default)."""
FEEDS_FRESH = 1.0
"""Seconds the feed table, as last read, serves the catching-up check."""

Feed = tuple[float, float | None, float]
"""Per device: last received, newest value time, and when that value time last moved."""


class FeedWatch:
    def __init__(self, engine: Engine, rules: RuleSet) -> None:
        self.engine = engine
        self.rules = rules
        self.table: tuple[float, dict[str, Feed]] | None = None
        """The feed table as last read, and when (monotonic)."""

    def heard_until(self, data: PatientData, now: float) -> float | None:
        """The newest value read of the patient's monitor feeds when they are catching up a backlog
        (still delivering, their values more than the stale limit behind the clock), else None.

        The newest value *read*, not the feed's newest value: while a backlog streams in, its value
        time runs hours ahead in the milliseconds between this read and a look at the feed table,
        and judging silence up to that later time found the just-arrived minutes silent.

        Never hides a real silence: a feed whose value time stops moving for DELIVERING_SECONDS is
        judged on the clock again, and while any of the patient's monitor feeds is delivering live
        values, silence is judged on the clock as always."""
        st = self.rules.stale
        if st is None:
            return None
        newest: dict[str, float] = {}
        for name in st.signals:
            for p in self.rules.signals[name].parameters:
                for s in data.parameters.get(p, []):
                    if len(s.times):
                        newest[s.device] = max(newest.get(s.device, -math.inf), float(s.times[-1]))
        feeds = self._read()
        behind = []
        for device, last in newest.items():
            feed = feeds.get(device)
            if feed is None or feed[1] is None or now - feed[2] > DELIVERING_SECONDS:
                continue  # not delivering: its silence is real
            received, observed, _moved = feed
            if received - observed <= st.after_seconds:
                return None  # a live monitor feed: the clock is the measure
            behind.append(last)
        return max(behind) if behind else None

    def _read(self) -> dict[str, Feed]:
        cached = self.table
        if cached is not None and time.monotonic() - cached[0] < FEEDS_FRESH:
            return cached[1]
        before = cached[1] if cached is not None else {}
        feeds: dict[str, Feed] = {}
        for sender, received, observed in feed_times(self.engine):
            device = device_of(sender)
            old = before.get(device)
            # When its value time last moved: a sender that keeps sending messages without values
            # (alarms, keep-alives) is not delivering a backlog. Seen first: its last message.
            moved = old[2] if old is not None and old[1] == observed else received
            if device not in feeds or received > feeds[device][0]:
                feeds[device] = (received, observed, moved)
        self.table = (time.monotonic(), feeds)
        return feeds


def device_of(sender: str) -> str:
    """The device a feed's sender names (MSH-3.2, the EUI-64 of an IHE PCD gateway's device): what a
    series' device is."""
    parts = sender.split(" @ ")[0].split("^")
    return parts[1] if len(parts) > 1 else parts[0]
