"""A dose's span written as start–end says the end's date when the end falls on another day."""

from __future__ import annotations

from datetime import datetime

from bedside.time_span import span_end


def dated(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%d %b %Y %H:%M")


def test_an_end_the_next_day_carries_its_date() -> None:
    start = datetime(2026, 12, 3, 23, 58).timestamp()
    end = datetime(2026, 12, 4, 0, 43).timestamp()
    assert span_end(start, end, dated) == "04 Dec 2026 00:43"


def test_an_end_the_same_day_is_its_time() -> None:
    start = datetime(2026, 12, 3, 10, 0).timestamp()
    assert span_end(start, datetime(2026, 12, 3, 10, 45).timestamp(), dated) == "10:45"
