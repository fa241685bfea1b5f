"""The report's serious adverse event listing, on a page of its own: each serious event's latest
version (bedside.sae_listing decides the rows), the reference safety information it was judged
against, the events not yet assessed for seriousness, and the safety log's chain head the listing
was read at."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from datetime import datetime

from bedside_ui.report_pdf import Report
from PySide6.QtCore import QCoreApplication

from bedside import i18n
from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.adverse_events_outcomes import outcomes_without_aesi
from bedside.ctcae import rsi_text, term_text
from bedside.death_sae import death_sae_text, from_review, outcome_conflicts
from bedside.log_text import people_of, person_name
from bedside.outcome_no_aesi import explained_lines, reasons_from_log, unexplained
from bedside.review_data import ReviewData
from bedside.sae_listing import COLUMNS, sae_listing

SIZE = 6.0
PAGE_CHARS = 140
"""Characters one line across the printed width holds at 6 pt on A4 (a little under what fits):
each column gets its share, and its cells are wrapped to it, never cut."""


translate = QCoreApplication.translate


def _when(at: float) -> str:
    """A moment whose date is kept whole on one line (no-break spaces), its time on the next where
    the column is narrow: a deadline never reads '08' above 'dic 2026'."""
    moment = datetime.fromtimestamp(at)
    return i18n.strftime(moment, "%d %b %Y").replace(" ", "\u00a0") + " " + i18n.strftime(moment, "%H:%M")


def _widths(rows: list[list[str]]) -> list[float]:
    """Each column as wide as its longest word (at least 6 characters), so words are rarely split; a
    moment (its spaces no-break) is one word."""
    return [
        max(6, *(len(word) for row in rows for word in re.split(r"[ \n]", row[c])))
        for c in range(len(rows[0]))
    ]


def _wrap(cell: str, chars: int) -> str:
    """The cell in lines of at most `chars`; a word longer than that is split with a hyphen."""
    lines: list[str] = []
    for line in [
        part
        for given in cell.split("\n")
        for part in (textwrap.wrap(given, chars, break_long_words=False, break_on_hyphens=False) or [""])
    ]:
        while len(line) > chars:
            lines.append(line[: chars - 1] + "-")
            line = line[chars - 1 :]
        lines.append(line)
    return "\n".join(lines)


def named(
    events: Sequence[ListedAdverseEvent], people: Mapping[str, tuple[str, str]]
) -> list[ListedAdverseEvent]:
    """The events with who assessed or changed them by printed name as signed, for reading: a copy,
    what is stored keeps the account."""
    return [e.named(lambda account: person_name(account, people)) for e in events]


def add_sae_listing(r: Report, data: ReviewData) -> None:
    """Append the section to the report."""
    listing = sae_listing(named(data.adverse_events, people_of(data.log)), data.now, _when)
    r.page_break()
    r.heading(translate("Report", "Serious adverse events (SAE listing)"))
    head = (
        translate("Report", "none")
        if data.chain_head is None
        else translate("Report", "entry {seq}, sha256 {digest}").format(
            seq=data.chain_head[0], digest=data.chain_head[1]
        )
    )
    r.text(
        translate(
            "Report",
            "Each serious adverse event (ICH E2A criteria) as last recorded: a follow-up is a new version, "
            "and every version stays in the safety log. SUSAR (suspected unexpected serious adverse "
            "reaction) is derived from relatedness (a reasonable possibility), seriousness and expectedness, "
            "never entered. Grades are CTCAE v5.0 unless the term is not a CTCAE term. A serious event is "
            "reported to the sponsor within 24 h of the team becoming aware. Read at safety log head {head}.",
        ).format(head=head),
        size=8.0,
    )
    r.text(
        translate(
            "Report",
            "An event once assessed serious and later reassessed as not serious stays listed: what it "
            "was (and whether it was a SUSAR), who reassessed it and when, and where its 24 h report "
            "stood then.",
        ),
        size=8.0,
    )
    if listing.rows:
        # The core names its columns as constants (N_): translated here, where they are shown.
        table = [[i18n._(c) for c in COLUMNS], *listing.rows]
        widths = _widths(table)
        chars = [max(4, int(w / sum(widths) * PAGE_CHARS)) for w in widths]
        wrapped = [[_wrap(cell, n) for cell, n in zip(row, chars, strict=True)] for row in table]
        r.table(wrapped[0], wrapped[1:], [float(w) for w in widths], size=SIZE)
    else:
        r.text(translate("Report", "No adverse event of this patient is recorded as serious."))
    if listing.rsi:
        r.text(
            translate("Report", "Expectedness judged against: {rsi}.").format(
                rsi="; ".join(rsi_text(label) for label in listing.rsi)
            ),
            size=8.0,
        )
    if listing.not_assessed:
        r.text(
            # One sentence for one event and one for several (Spanish, like English, has these two).
            translate(
                "Report",
                "1 adverse event of this patient has no seriousness assessment yet "
                "and is not in this listing until an intensivist or investigator assesses it.",
            )
            if listing.not_assessed == 1
            else translate(
                "Report",
                "{n} adverse events of this patient have no seriousness assessment yet "
                "and are not in this listing until an intensivist or investigator assesses them.",
            ).format(n=listing.not_assessed),
            size=8.0,
        )
    add_death(r, data)


def add_death(r: Report, data: ReviewData) -> None:
    """The recorded death and the SAE report it calls for (ICH E2A: a death is serious), and each
    adverse event whose outcome the death contradicts."""
    death, outcomes = from_review(
        data.outcomes.died, data.log, [e.latest for e in data.adverse_events], aware=data.death_awareness
    )
    if death is not None:
        r.text(translate("Report", "Death: {line}.").format(line=death_sae_text(death, data.now, _when)), 9.0)
    aware = None if death is None else death.aware
    for conflict in outcome_conflicts(outcomes, data.outcomes.died, _when, term_text, aware):
        r.text(translate("Report", "Outcome and death disagree: {conflict}.").format(conflict=conflict), 9.0)
    reasons = reasons_from_log(data.log)
    aesi = [e.latest.aesi for e in data.adverse_events]
    for line in outcomes_without_aesi(unexplained(data.events, reasons), aesi, _when):
        r.text(translate("Report", "Course and adverse events disagree: {line}.").format(line=line), 9.0)
    for line in explained_lines(data.events, reasons, _when):
        r.text(
            translate("Report", "Outcome without an adverse event of special interest: {line}.").format(
                line=line
            ),
            9.0,
        )
