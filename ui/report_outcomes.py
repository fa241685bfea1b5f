"""The report's outcome set: each outcome with its value (or why there is none), its source and what
is missing, the definitions, and the day 0 they count from (bedside.outcomes words them). The table's
cells are wrapped onto lines here, measured at the page's resolution: the painter never cuts a line."""

from __future__ import annotations

from bedside_ui.report_pdf import DPI, MARGIN, PAGE_W, Report
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontMetricsF, QImage

from bedside import i18n
from bedside.outcomes import DEFINITIONS, OUTCOME_COLUMNS, day0_text, outcome_rows
from bedside.review_data import ReviewData

WIDTHS = [1.3, 2.4, 2.0, 1.6]
SIZE = 7.0


def page_metrics(size: float) -> QFontMetricsF:
    page = QImage(8, 8, QImage.Format.Format_RGB32)
    page.setDotsPerMeterX(round(DPI / 0.0254))
    page.setDotsPerMeterY(round(DPI / 0.0254))
    font = QFont("DejaVu Sans")
    font.setPointSizeF(size)
    return QFontMetricsF(font, page)


def wrap(text: str, width: float, metrics: QFontMetricsF) -> str:
    """`text` on as many lines as it needs to fit `width` pixels (a word longer than the line keeps a
    line of its own)."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split(" "):
            tried = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(tried) > width:
                lines.append(line)
                line = word
            else:
                line = tried
        lines.append(line)
    return "\n".join(lines)


def add_outcomes(r: Report, data: ReviewData) -> None:
    translate = QCoreApplication.translate
    r.heading(translate("Report", "Outcome set"))
    if not data.outcome_set:
        r.text(translate("Report", "No outcome set: nothing was loaded to compute it from."))
        return
    # DEFINITIONS and the column names are the core's constants: translated where they are shown.
    r.text(day0_text(data.doses[0].start if data.doses else None) + " " + i18n._(DEFINITIONS), 8.0)
    flagged = [o.flag for o in data.outcome_set if o.flag]
    if flagged:
        r.text(translate("Report", "Flagged: {flags}.").format(flags="; ".join(flagged)), 9.0)
    metrics = page_metrics(SIZE)
    table_w = PAGE_W - 2 * MARGIN
    # 8 px of padding in each cell, and a little room for the PDF's own rounding of glyph widths
    columns = [table_w * w / sum(WIDTHS) - 8 - 6 for w in WIDTHS]
    rows = [
        [wrap(cell, columns[c], metrics) for c, cell in enumerate(row)]
        for row in outcome_rows(data.outcome_set)
    ]
    header = [wrap(i18n._(c), columns[k], page_metrics(SIZE)) for k, c in enumerate(OUTCOME_COLUMNS)]
    r.table(header, rows, WIDTHS, size=SIZE)
