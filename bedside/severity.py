"""Severity over time for the review and the report: the daily SOFA, the P/F ratio of each blood gas,
and driving pressure and compliance per plateau reading, with the words the screen and the paper share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bedside.mechanics import Mechanics
from bedside.review import Samples
from bedside.sofa import SYSTEMS, Component, SofaDay


@dataclass
class Severity:
    anchor: float
    """Day 0 starts here: the first dose's start (or the start of the data when there is no dose)."""
    days: list[SofaDay] = field(default_factory=list)
    pf: Samples = field(default_factory=Samples)
    """P/F (mmHg) per arterial blood gas, with the FiO2 in force."""
    mechanics: Mechanics = field(default_factory=Mechanics)
    vasopressors_recorded: bool = False


def _local(at: float | None, fmt: str = "%d %b %H:%M") -> str:
    return "—" if at is None else datetime.fromtimestamp(at).strftime(fmt)


def day_label(day: SofaDay) -> str:
    """'Day 0\n03 Dec 14:00' (day 0 starts at the first dose)."""
    name = "Day 0" if day.index == 0 else f"Day {day.index:+d}"
    return f"{name}\n{_local(day.start)}"


def component_text(c: Component) -> str:
    """One table cell: the score and the value with its time, or a dash and why it is missing."""
    if c.score is None:
        return f"—\n{c.missing}"
    return f"{c.score}\n{c.value} · {_local(c.at, '%H:%M')}"


def component_detail(c: Component) -> str:
    """The whole of a component (the cell's tooltip and the report's notes): source and what is left out."""
    lines = [f"{c.system}: " + ("missing: " + c.missing if c.score is None else f"{c.score} from {c.value}")]
    if c.at is not None:
        lines.append(f"measured {_local(c.at, '%d %b %Y %H:%M')}")
    if c.source:
        lines.append(f"source: {c.source}")
    if c.note:
        lines.append(c.note)
    return "\n".join(lines)


SOFA_COLUMNS: tuple[str, ...] = ("Day", "Total", *SYSTEMS)


def sofa_rows(days: list[SofaDay]) -> list[list[str]]:
    """The daily SOFA table, one row a day, newest first."""
    return [
        [day_label(d), d.total_text().replace(" (", "\n("), *(component_text(c) for c in d.components)]
        for d in reversed(days)
    ]


def sofa_notes(days: list[SofaDay]) -> list[str]:
    """What every scored day leaves out, said once (the urine output, the vasopressors, sedation)."""
    seen: list[str] = []
    for d in days:
        for c in d.components:
            if c.note and f"{c.system}: {c.note}" not in seen:
                seen.append(f"{c.system}: {c.note}")
    return seen


def mechanics_summary(m: Mechanics, pf: Samples) -> str:
    parts = [
        f"P/F: {len(pf)} blood gases with a FiO2 in force",
        f"driving pressure: {m.times.size} plateau readings with a PEEP",
    ]
    missing = m.missing()
    if missing:
        parts.append(missing)
    return "; ".join(parts) + "."
