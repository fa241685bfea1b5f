"""Notices of arrived data, and the minute-close rule that says which of them the rule engine acts on.

Both processes keep notices: ingest gathers them between writes to the alerting process's pipe, and
the runner queues them for evaluation. Both ask the same question of a device value: does it close a
minute of this patient's (or bed's) data? Rules read closed one-minute medians, so only a value of a
new minute, a value late for a minute already closed, or anything that is not a device value (a lab
result, an infusion event, ADT) can change what they find.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bedside.model import PatientRef


@dataclass(frozen=True, slots=True)
class Bed:
    """A bed a device value came from, whose patient is whoever ADT put there at the value's time."""

    name: str


Whose = PatientRef | Bed | None
"""Whose data a notice announces: a patient, a bed (device data, its patient asked of ADT), or
nobody in particular (None: everything active is evaluated)."""

PATIENT_PREFIX = "patient:"
BED_PREFIX = "bed:"
"""How a patient and a bed are written in a notice's text, the one place a notice is text: the pipe
between the processes (JSON). Each kind has its own prefix, so no MRN (which may itself begin with
"bed:") is ever read as a bed."""


@lru_cache(maxsize=4096)
def parse_whose(text: str | None) -> Whose:
    """Whose data a notice's text from the pipe names (the inverse of `whose_text`). Cached: the same
    few patients and beds arrive with every record. A text of neither kind is a record this version
    did not write, refused rather than guessed at."""
    if text is None:
        return None
    if text.startswith(PATIENT_PREFIX):
        return PatientRef.parse(text[len(PATIENT_PREFIX) :])
    if text.startswith(BED_PREFIX):
        return Bed(text[len(BED_PREFIX) :])
    raise ValueError(f"not a notice's patient or bed: {text!r}")


def whose_text(whose: Whose) -> str | None:
    """A notice's key as the pipe carries it."""
    if isinstance(whose, Bed):
        return BED_PREFIX + whose.name
    return None if whose is None else PATIENT_PREFIX + str(whose)


Pending = tuple[float, float | None, bool]
"""Per patient (or bed) waiting for evaluation: earliest commit, newest observation time, and whether
anything but device values arrived (a lab, an infusion event, ADT)."""

MINUTES_KEPT = 100_000
"""Patients and beds whose last announced minute is remembered (one entry each in practice)."""

AHEAD_LIMIT = 86_400.0
"""Seconds ahead of the commit past which a value never becomes a bed's newest minute: ingest
quarantines such times as clock faults (bedside.clock_window), and should one come through (the
window turned off), a minute in 9999 must not stop every later minute of that bed from closing."""


def add_notice(
    pending: dict[Whose, Pending], whose: Whose, observed: float | None, committed_at: float
) -> None:
    """Merge one commit's notice into `pending` (`observed` None: not a device value)."""
    first, latest, other = pending.get(whose, (committed_at, None, False))
    if observed is None:
        other = True
    elif latest is None or observed > latest:
        latest = observed
    pending[whose] = (first, latest, other)


def merge(queue: dict[Whose, Pending], key: Whose, notice: Pending) -> None:
    """Merge a gathered notice into a queue of them: the earliest commit, the newest value, and
    whether anything but device values arrived in either."""
    first, latest, other = notice
    if key not in queue:
        queue[key] = notice
        return
    f0, l0, o0 = queue[key]
    newest = l0 if latest is None else latest if l0 is None else max(l0, latest)
    queue[key] = (min(f0, first), newest, o0 or other)


def late(observed: float, now: float) -> bool:
    """A value for a minute closed before the last one: history sent late (a backfill, a gateway
    catching up), which the rules must read again although its minute is not new."""
    return observed < (now // 60) * 60 - 60


class MinuteCloses:
    """The last minute each patient or bed announced, and whether a device value closes one."""

    def __init__(self) -> None:
        self._minutes: dict[Whose, int] = {}

    def closes(self, whose: Whose, observed: float, now: float) -> bool:
        """True for a value of a minute later than any this patient announced, or for late data.
        Any other value falls in a minute still open and changes nothing the rules read yet."""
        if observed > now + AHEAD_LIMIT:
            return False
        minute = int(observed // 60)
        if minute > self._minutes.get(whose, -1):
            if len(self._minutes) >= MINUTES_KEPT:  # bounded; forgetting costs one evaluation
                self._minutes.clear()
            self._minutes[whose] = minute
            return True
        return late(observed, now)
