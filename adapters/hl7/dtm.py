"""HL7 DTM/TS values (YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]) to epoch seconds UTC."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

_DTM = re.compile(
    r"^(?P<y>\d{4})(?P<mo>\d{2})?(?P<d>\d{2})?(?P<h>\d{2})?(?P<mi>\d{2})?(?P<s>\d{2})?"
    r"(?:\.(?P<frac>\d{1,4}))?(?P<tz>[+-]\d{4})?$"
)


class DtmError(ValueError):
    pass


def parse_dtm(value: str, sender_zone: tzinfo) -> float:
    """Parse a DTM. Without an offset the time is the sender's local time (`sender_zone`)."""
    return _parse_cached(value, sender_zone)


@lru_cache(maxsize=8192)  # devices repeat their timestamps across rows and messages
def _parse_cached(value: str, sender_zone: tzinfo) -> float:
    # Only the first component is read: TS in v2.3-2.5 is DTM^precision.
    text = value.split("^", 1)[0].strip()
    m = _DTM.match(text)
    if not m:
        raise DtmError(f"not an HL7 date/time: {value!r}")
    g = m.groupdict()
    try:
        micro = int((g["frac"] or "0").ljust(6, "0")[:6])
        naive = datetime(
            int(g["y"]),
            int(g["mo"] or 1),
            int(g["d"] or 1),
            int(g["h"] or 0),
            int(g["mi"] or 0),
            int(g["s"] or 0),
            micro,
        )
    except ValueError as exc:
        raise DtmError(f"not a valid date/time: {value!r} ({exc})") from None
    if g["tz"]:
        sign = 1 if g["tz"][0] == "+" else -1
        hours, minutes = int(g["tz"][1:3]), int(g["tz"][3:5])
        if hours > 14 or minutes > 59:
            raise DtmError(f"invalid UTC offset in {value!r}")
        zone: tzinfo = timezone(sign * timedelta(hours=hours, minutes=minutes))
        return naive.replace(tzinfo=zone).timestamp()
    return naive.replace(tzinfo=sender_zone).timestamp()


def format_dtm(epoch_s: float) -> str:
    """Our own timestamps (ACKs, simulator): UTC with an explicit +0000 offset, never ambiguous."""
    return _format_second(math.floor(epoch_s))


@lru_cache(maxsize=4)  # every ACK of the same second carries the same text
def _format_second(second: int) -> str:
    return datetime.fromtimestamp(second, tz=UTC).strftime("%Y%m%d%H%M%S") + "+0000"
