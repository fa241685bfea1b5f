"""A time typed on the command line, in the command's language: ISO 8601 and 'now' in every
language, and the language's own way of writing it, the one the command prints (in Spanish
day/month/year, 06/12/2026 18:20, and 'ahora'). English prints ISO 8601, which is never ambiguous
between British and American order, so it reads no other order."""

from __future__ import annotations

from datetime import datetime

from bedside.i18n import N_, _, language

NOW = N_("now")
"""The word for the current time (in Spanish 'ahora'); 'now' is read in every language too."""

_DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
"""Spanish order, as `bedside.i18n.format_datetime` writes it, with or without seconds, or a date."""


def is_now(text: str) -> bool:
    word = text.strip().lower()
    return word == "now" or word == _(NOW).lower()


def read_moment(text: str) -> datetime:
    """The date and time `text` names (naive when it names no zone); ValueError when it is none."""
    text = text.strip()
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
