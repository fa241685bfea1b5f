"""`bedside-cli review` and `cohort` as a person reads them: the review's header, each dose's
before/after values and the outcome set, or one line per treated patient, in the reader's language
(its numbers and dates). `--json` prints the machines' form instead, the same in every language."""

from __future__ import annotations

import re

from bedside.i18n import _
from bedside.outcomes import OUTCOME_COLUMNS, day0_text, outcome_rows
from bedside.review import PRE_DOSE, TIMEPOINTS, CohortRow
from bedside.review_data import ReviewData, dose_rows
from bedside.review_text import COHORT_COLUMNS, cohort_cells, local_time, review_header, table_rows


def _plain(html: str) -> str:
    """The review header's text without the screen's markup (its name in bold)."""
    return re.sub(r"<[^>]+>", "", html)


def review_lines(data: ReviewData, dose: int | None = None) -> list[str]:
    """The review as lines of text: the header, then each dose (only `dose` when given) with each
    marker's pre-dose value and its values after, then the outcome set."""
    lines = [_plain(review_header(data))]
    for d in data.doses:
        if dose is not None and d.dose != dose:
            continue
        lines += ["", _("Dose {n}, started {start}").format(n=d.dose, start=local_time(d.start))]
        rows = table_rows(dose_rows(data, d), d.start, sep=" ")
        if not rows:
            lines.append("  " + _("no marker values around this dose"))
        for marker, baseline, *after in rows:
            cells = [f"{_(PRE_DOSE)} {baseline}"]
            cells += [f"{label} {cell}" for (label, _at), cell in zip(TIMEPOINTS, after, strict=True)]
            lines.append(f"  {marker}: " + "; ".join(cells))
    lines += ["", _("Outcome set") + ". " + day0_text(data.doses[0].start if data.doses else None)]
    source, missing = (_(c).lower() for c in OUTCOME_COLUMNS[2:])
    for label, text, came_from, lacking in outcome_rows(data.outcome_set):
        said = f"  {label}: {text} ({source}: {came_from})"
        if lacking != "—":
            said += f"; {missing}: {lacking}"
        lines.append(said)
    if not data.outcome_set:
        lines.append("  " + _("none: nothing was loaded to compute it from"))
    return lines


def cohort_lines(rows: list[CohortRow]) -> list[str]:
    """Every treated patient on a line: the patient, then each column by its name."""
    if not rows:
        return [_("no treated patient")]
    out = []
    for row in rows:
        patient, *cells = cohort_cells(row)
        named = [f"{_(column)}: {cell}" for column, cell in zip(COHORT_COLUMNS[1:], cells, strict=True)]
        out.append(f"{patient} · " + " · ".join(named))
    return out
