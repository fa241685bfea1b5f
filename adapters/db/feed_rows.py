"""The feed table's rows as the screens read them (bedside.feeds.FeedActivity), in one place."""

from __future__ import annotations

from typing import Any

from bedside_adapters.db import schema as t
from sqlalchemy import Select, select

from bedside.clock import from_ms
from bedside.feeds import FeedActivity


def select_feeds() -> Select[Any]:
    f = t.feed.c
    return select(
        f.sender,
        f.last_received_ms,
        f.last_observed_ms,
        f.messages,
        f.clock_faults,
        f.last_clock_fault_ms,
        f.last_clock_fault,
    )


def feed_activity(row: Any) -> FeedActivity:
    """One row of `select_feeds()`: row[0] is the sender."""
    return FeedActivity(
        row[0],
        from_ms(row[1]),
        from_ms(row[2]) if row[2] is not None else None,
        int(row[3]),
        int(row[4]),
        from_ms(row[5]) if row[5] is not None else None,
        row[6] or "",
    )
