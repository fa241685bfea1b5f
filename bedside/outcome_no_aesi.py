"""The signed reasons why an outcome recorded as a course event (a thrombosis, a secondary infection)
needs no adverse event of special interest (`outcome.no_aesi` safety-log entries: the log is their
only record). An outcome with such a reason is no longer listed as a disagreement between the course
and the adverse events: it is listed with its reason, who signed it and when, as a death's "no SAE
report needed" is."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bedside.commands import course_event_name
from bedside.i18n import _
from bedside.review import CourseEvent
from bedside.users import role_name

KIND = "outcome.no_aesi"


@dataclass(frozen=True)
class NoAesiNeeded:
    """A signed reason why the outcome (`outcome`, its course event's kind, at `at`) needs no adverse
    event of special interest."""

    outcome: str
    at: float
    reason: str
    by: str
    """The signer's printed name (the account where the entry holds no signature)."""
    role: str | None
    recorded_at: float


def reasons_from_log(log: Iterable[Mapping[str, Any]]) -> list[NoAesiNeeded]:
    """The reasons among safety-log entries as listed (dicts with "kind", "at", "actor" and
    "payload"), oldest first."""
    out = []
    for e in log:
        if e.get("kind") != KIND:
            continue
        p = e.get("payload") or {}
        signature = p.get("signature") or {}
        out.append(
            NoAesiNeeded(
                str(p.get("outcome") or ""),
                float(p.get("at") or 0.0),
                str(p.get("reason") or ""),
                str(signature.get("name") or e.get("actor") or ""),
                signature.get("role"),
                float(e["at"]),
            )
        )
    return out


def _latest(reasons: Sequence[NoAesiNeeded]) -> dict[tuple[str, float], NoAesiNeeded]:
    """Each outcome's latest reason (a later one restates or corrects the one before)."""
    return {(r.outcome, r.at): r for r in sorted(reasons, key=lambda r: r.recorded_at)}


def unexplained(events: Sequence[CourseEvent], reasons: Sequence[NoAesiNeeded]) -> list[CourseEvent]:
    """The course events no signed reason covers (the ones still to be listed as disagreeing)."""
    latest = _latest(reasons)
    return [e for e in events if (e.kind, e.at) not in latest]


def explained_lines(
    events: Sequence[CourseEvent], reasons: Sequence[NoAesiNeeded], when: Callable[[float], str]
) -> list[str]:
    """One line per outcome a signed reason covers, oldest first: the outcome, who signed why it needs
    no adverse event of special interest, when, and the reason in their words."""
    latest = _latest(reasons)
    lines = []
    for e in sorted(events, key=lambda e: e.at):
        r = latest.get((e.kind, e.at))
        if r is None:
            continue
        who = r.by if not r.role else _("{by} ({role})").format(by=r.by, role=role_name(r.role))
        lines.append(
            _(
                "{outcome} recorded {at} as an outcome: no adverse event of special interest needed, as "
                "{who} signed {signed}: {reason}"
            ).format(
                outcome=course_event_name(e.kind),
                at=when(e.at),
                who=who,
                signed=when(r.recorded_at),
                reason=r.reason,
            )
        )
    return lines
