"""The report's outcome set: each outcome with its value (or why there is none), its source and what
is missing, the definitions, and the day 0 they count from (bedside.outcomes words them)."""

from __future__ import annotations

from bedside_ui.report_pdf import Report

from bedside.outcomes import DEFINITIONS, OUTCOME_COLUMNS, day0_text, outcome_rows
from bedside.review_data import ReviewData


def add_outcomes(r: Report, data: ReviewData) -> None:
    r.heading("Outcome set")
    if not data.outcome_set:
        r.text("No outcome set: nothing was loaded to compute it from.")
        return
    r.text(day0_text(data.doses[0].start if data.doses else None) + " " + DEFINITIONS, 8.0)
    flagged = [o.flag for o in data.outcome_set if o.flag]
    if flagged:
        r.text("Flagged: " + "; ".join(flagged) + ".", 9.0)
    r.table(list(OUTCOME_COLUMNS), outcome_rows(data.outcome_set), [1.3, 2.4, 2.0, 1.6], size=7.0)
