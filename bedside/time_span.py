"""A span's end written after its start: its time alone on the start's day, with its date otherwise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bedside import i18n


def span_end(start: float, end: float, with_date: Callable[[float], str]) -> str:
    """The end as read after the start ("23:58–00:43" would read as 45 minutes back in time, or a
    day long): the local clock time when it falls on the start's local date, else `with_date(end)`,
    so a dose from 23:58 to 00:43 says it ended the next day."""
    begun, ended = datetime.fromtimestamp(start), datetime.fromtimestamp(end)
    if begun.date() == ended.date():
        return i18n.strftime(ended, "%H:%M")
    return with_date(end)
