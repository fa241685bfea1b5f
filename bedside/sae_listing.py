"""The serious adverse event listing the report and the review show: one row per serious event (its
latest version), with the ICH E2A criteria, the CTCAE grade, relatedness, expectedness against the
reference safety information, the derived SUSAR flag, outcome, when the team became aware, and when
it was reported to the sponsor (or the 24-hour clock while it is not). Events whose seriousness was
never assessed are counted, not silently left out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bedside import adverse_events as ae

COLUMNS = (
    "Event",
    "Onset",
    "Seriousness (ICH E2A)",
    "CTCAE grade",
    "Relatedness",
    "Expectedness",
    "SUSAR",
    "Outcome",
    "Team aware",
    "Reported to sponsor",
    "Version",
)


@dataclass(frozen=True)
class SaeListing:
    rows: list[list[str]]
    not_assessed: int
    """Adverse events whose seriousness nobody has assessed yet (not listed)."""
    rsi: tuple[str, ...]
    """The reference safety information the listed events were judged against."""


def _susar(e: Mapping[str, Any]) -> str:
    if e.get("susar") is True:
        return "SUSAR"
    if e.get("susar") is False:
        return "no"
    missing = e.get("susar_missing") or []
    return f"cannot be derived: {' and '.join(missing)} not assessed" if missing else "cannot be derived"


def _reported(e: Mapping[str, Any], now: float, when: Callable[[float], str]) -> str:
    clock = ae.report_clock(e.get("seriousness"), e.get("awareness"), e.get("sent_at"), now)
    if clock.state == "reported" and clock.reported_at is not None:
        late = clock.due is not None and clock.reported_at > clock.due
        return when(clock.reported_at) + (" (after the 24 h)" if late else "")
    return "not reported: " + ae.clock_text(clock, when)


def sae_listing(events: Sequence[Mapping[str, Any]], now: float, when: Callable[[float], str]) -> SaeListing:
    """`events`: the review's adverse events (the latest version of each, as dicts)."""
    rows = []
    for e in events:
        criteria = e.get("seriousness")
        if not criteria:
            continue
        term = f"#{e['id']} {e['term']}" + (f" (special interest: {e['aesi']})" if e.get("aesi") else "")
        rows.append(
            [
                term,
                "not recorded" if e.get("onset") is None else when(e["onset"]),
                "\n".join(c.replace("_", " ") for c in criteria),
                str(e["grade"]) if e.get("ctcae_version") else f"{e['grade']} (term not CTCAE)",
                e["relatedness"],
                e.get("expectedness") or "not assessed",
                _susar(e),
                (e.get("outcome") or "not recorded").replace("_", " "),
                "not recorded" if e.get("awareness") is None else when(e["awareness"]),
                _reported(e, now, when),
                f"{e.get('version', 1)} of {e.get('versions', 1)}",
            ]
        )
    rsi = tuple(sorted({str(e["rsi"]) for e in events if e.get("seriousness") and e.get("rsi")}))
    not_assessed = sum(1 for e in events if e.get("seriousness") is None)
    return SaeListing(rows, not_assessed, rsi)
