"""The review's words and numbers: units as clinicians write them, sensible precision, no '-0 h', and
plots that fit the time there is."""

from __future__ import annotations

from bedside.review import HOUR, MARKERS, TIMEPOINTS, BeforeAfterRow, Cell, Point, marker_heading, view_span
from bedside.review_text import change_text, offset_text, table_rows

SPECS = {m.key: m for m in MARKERS}
T0 = 1_780_000_000.0


def row(key: str, base: float, after: float | None) -> BeforeAfterRow:
    cells = {label: Cell(None, "not yet") for label, _ in TIMEPOINTS}
    if after is not None:
        cells["+24 h"] = Cell(Point(T0 + 23.6 * HOUR, after))
    return BeforeAfterRow(SPECS[key], Cell(Point(T0 - 20 * 60, base)), cells)


def test_units_as_clinicians_write_them() -> None:
    headings = {m.key: marker_heading(m.label, m.unit) for m in MARKERS}
    assert headings["lymphocytes"] == "Lymphocytes (10⁹/L)"
    assert headings["ferritin"] == "Ferritin (µg/L)"
    assert headings["ddimer_feu"] == "D-dimer (mg/L FEU)"
    assert headings["ddimer_ddu"] == "D-dimer (ng/mL DDU)"
    assert headings["cd19_abs"] == "CD19 (/µL)"
    assert headings["peep"] == "PEEP (cmH₂O)"
    assert headings["pf"] == "P/F ratio (mmHg)"
    assert not any("{" in h or "*" in h or "[" in h or "ug" in h or "uL" in h for h in headings.values())


def test_numbers_with_sensible_precision_and_no_minus_zero_hours() -> None:
    (pf,) = table_rows([row("pf", 151.795, 188.2)], T0)
    assert pf[1] == "152 (-20 min)"  # P/F 152, not 151.795; a baseline 20 min before is not "-0 h"
    assert pf[2] == "188 (+24 h)  +36 (+24 %)"
    (crp,) = table_rows([row("crp", 12.35, 9.8)], T0)
    assert crp[1] == "12.35 (-20 min)" and crp[2] == "9.8 (+24 h)  -2.55 (-21 %)"
    (lym,) = table_rows([row("lymphocytes", 0.8, 0.8)], T0)
    assert lym[2].endswith("±0.0 (±0 %)")  # never "-0.0"
    for seconds in (-1700.0, -1.0, 0.0, 1.0, 1790.0):
        assert "-0" not in offset_text(seconds)
    assert (
        offset_text(-3 * HOUR) == "-3 h" and offset_text(-29 * 60) == "-29 min" and offset_text(0) == "0 min"
    )
    missing = table_rows([row("crp", 12.0, None)], T0, sep="\n")[0][3]
    assert missing == "—\n(not yet)"
    assert change_text(Cell(None, "not yet"), Point(T0, 1.0)) == "—"


def test_plots_fit_the_time_there_is() -> None:
    # A dose 55 min ago with a day of history: the reaction is not a sliver at t = 0 of a 7-day axis.
    left, right = view_span(-24.0, 168.0, 55 / 60, -24.0, 55 / 60)
    assert right == 55 / 60 and left == -3.0
    assert (right - 0) / (right - left) > 0.2
    # A course well under way: from the first value to now, never the empty future.
    assert view_span(-24.0, 168.0, 80.0, -20.0, 79.5) == (-20.0, 80.0)
    # A finished week: the chosen window.
    assert view_span(-24.0, 168.0, 400.0, -30.0, 400.0) == (-24.0, 168.0)
    # Nothing at all yet: still a usable span.
    a, b = view_span(-24.0, 168.0, 0.1, None, None)
    assert b - a >= 1.0 and a <= 0.0 <= b
