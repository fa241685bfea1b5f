"""Severity over time for the review and the report: the daily SOFA, the P/F ratio of each blood gas,
and driving pressure and compliance per plateau reading, with the words the screen and the paper share."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import datetime

from bedside.i18n import N_, _, ngettext
from bedside.i18n import strftime as local_strftime
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
    return "—" if at is None else local_strftime(datetime.fromtimestamp(at), fmt)


def day_label(day: SofaDay, wrap: int | None = None) -> str:
    """'Day 0\n03 Dec 14:00' (day 0 starts at the first dose); on paper the time on its own line."""
    name = _("Day 0") if day.index == 0 else _("Day {n}").format(n=f"{day.index:+d}")
    return f"{name}\n{_local(day.start, '%d %b' if wrap else '%d %b %H:%M')}" + (
        f"\n{_local(day.start, '%H:%M')}" if wrap else ""
    )


def component_text(c: Component, wrap: int | None = None) -> str:
    """One table cell: the score and the value with its time, or a dash and why it is missing.
    `wrap`: at most this many characters a line (paper's narrow columns: wrapped, never cut)."""
    if c.score is None:
        lines = ["—", c.missing]  # worded by bedside.sofa in the reader's language
    elif wrap is None:
        lines = [str(c.score), f"{c.value} · {_local(c.at, '%H:%M')}"]
    else:
        lines = [str(c.score), *c.value.split(", "), _local(c.at, "%H:%M")]
    if wrap is not None:
        lines = [
            part for line in lines for part in (textwrap.wrap(line, wrap, break_long_words=False) or [""])
        ]
    return "\n".join(lines)


def component_detail(c: Component) -> str:
    """The whole of a component (the cell's tooltip and the report's notes): source and what is left out."""
    system = _(c.system)
    if c.score is None:
        lines = [_("{system}: missing: {reason}").format(system=system, reason=c.missing)]
    else:
        lines = [_("{system}: {score} from {value}").format(system=system, score=c.score, value=c.value)]
    if c.at is not None:
        lines.append(_("measured {at}").format(at=_local(c.at, "%d %b %Y %H:%M")))
    if c.source:
        lines.append(_("source: {source}").format(source=c.source))
    if c.note:
        lines.append(c.note)
    return "\n".join(lines)


TOTAL_CHARS = 11
"""'components)': the total's column on paper wraps at this many characters."""
SOFA_COLUMNS: tuple[str, ...] = (N_("Day"), N_("Total"), *SYSTEMS)
"""In English; translated where shown (`_(column)`)."""


def sofa_rows(days: list[SofaDay], wrap: int | None = None) -> list[list[str]]:
    """The daily SOFA table, one row a day, newest first."""
    return [
        [
            day_label(d, wrap),
            _total_cell(d, wrap),
            *(component_text(c, wrap) for c in d.components),
        ]
        for d in reversed(days)
    ]


def _total_cell(day: SofaDay, wrap: int | None) -> str:
    """'SOFA 9' over '(5 of 6 components)'; on paper each wrapped to the narrow column."""
    lines = day.total_text().replace(" (", "\n(").split("\n")
    if wrap is not None:
        lines = [part for line in lines for part in textwrap.wrap(line, TOTAL_CHARS, break_long_words=False)]
    return "\n".join(lines)


def _name(day: SofaDay) -> str:
    return _("day 0") if day.index == 0 else _("day {n}").format(n=f"{day.index:+d}")


def latest_text(days: list[SofaDay], now: float) -> str:
    """The newest whole day's SOFA, and the running day's so far (a day just begun has little data)."""
    if not days:
        return _("No day has any SOFA input (no labs, GCS, blood pressure or blood gases).")
    parts = []
    whole = [d for d in days if d.end <= now]
    if whole:
        parts.append(
            _("Last whole day ({day}): {total}.").format(day=_name(whole[-1]), total=whole[-1].total_text())
        )
    if days[-1].end > now:
        parts.append(_("So far on {day}: {total}.").format(day=_name(days[-1]), total=days[-1].total_text()))
    return " ".join(parts)


def sofa_notes(days: list[SofaDay]) -> list[str]:
    """What the scores leave out, each said once, naming its days when it is not every day's."""
    where: dict[str, list[str]] = {}
    for d in days:
        for c in d.components:
            if c.note:
                where.setdefault(f"{_(c.system)}: {c.note}", []).append(_name(d))
    return [
        text if len(names) == len(days) else f"{text} ({', '.join(names)})" for text, names in where.items()
    ]


def mechanics_summary(m: Mechanics, pf: Samples) -> str:
    parts = [
        ngettext(
            "P/F: {n} blood gas with a FiO2 in force", "P/F: {n} blood gases with a FiO2 in force", len(pf)
        ).format(n=len(pf)),
        ngettext(
            "driving pressure: {n} plateau reading with a PEEP",
            "driving pressure: {n} plateau readings with a PEEP",
            int(m.times.size),
        ).format(n=m.times.size),
    ]
    missing = m.missing()
    if missing:
        parts.append(missing)
    return "; ".join(parts) + "."
