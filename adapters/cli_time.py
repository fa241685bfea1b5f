"""A time typed on the command line, in the command's language: ISO 8601 and 'now' in every
language, and the language's own way of writing it, the one the command prints (in Spanish
day/month/year, 06/12/2026 18:20, and 'ahora'). English prints ISO 8601, which is never ambiguous
between British and American order, so it reads no other order."""

from __future__ import annotations

from datetime import UTC, datetime

from bedside.i18n import N_, _, language

NOW = N_("now")
"""The word for the current time (in Spanish 'ahora'); 'now' is read in every language too."""

_DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
"""Spanish order, as `bedside.i18n.format_datetime` writes it, with or without seconds, or a date."""


def is_now(text: str) -> bool:
    word = text.strip().lower()
    return word == "now" or word == _(NOW).lower()


def _zone(text: str) -> tuple[str, object]:
    """`text` without the zone name the commands print after a time ('... 22:24 UTC', or this
    machine's own zone, 'CET'), and that zone: UTC, local (None: read as local) or no zone named."""
    head, _sep, last = text.rpartition(" ")
    if head and last.upper() in ("UTC", "Z", "GMT"):
        return head.strip(), UTC
    if head and last == datetime.now().astimezone().tzname():
        return head.strip(), None
    return text, ...


def read_moment(text: str) -> datetime:
    """The date and time `text` names (naive when it names no zone); ValueError when it is none.
    A time as the commands print it, with its zone's name after it, is read back."""
    text, zone = _zone(text.strip())
    moment = _read(text)
    if zone is UTC:
        if moment.tzinfo is not None:
            raise ValueError(text)  # two zones named
        return moment.replace(tzinfo=UTC)
    return moment


def _read(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        if language() != "es":
            raise
    for fmt in _DAY_FIRST:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(text)
