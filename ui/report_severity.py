"""The report's severity-trend section: the daily SOFA table (each component's value and time, or a
dash and why it is missing), what the scores leave out, and the P/F, driving pressure and compliance
trends with the doses marked, drawn at their printed size."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui.report_pdf import Report
from bedside_ui.severity_plots import draw_trends
from bedside_ui.theme import LIGHT
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from bedside import i18n
from bedside.review_data import ReviewData
from bedside.severity import SOFA_COLUMNS, mechanics_summary, sofa_notes, sofa_rows

TREND_H = 330
CELL_CHARS = 17
"""Characters a line in a component's column at 6.5 pt (about 140 printed dots wide)."""


def trends_image(data: ReviewData, width: int, font_px: int) -> QImage:
    assert data.severity is not None
    widget = pg.GraphicsLayoutWidget()
    widget.setBackground("#ffffff")
    widget.resize(width, TREND_H)
    draw_trends(widget.ci, data.severity, data.doses, LIGHT, font_px=font_px)
    QApplication.processEvents()
    image = widget.grab().toImage()
    widget.close()
    widget.deleteLater()
    return image


def add_severity(r: Report, data: ReviewData, width: int, font_px: int) -> None:
    """Append the section (on a page of its own) to the report."""
    translate = QCoreApplication.translate
    severity = data.severity
    r.page_break()
    r.heading(translate("Report", "Severity over time: daily SOFA, P/F, driving pressure and compliance"))
    if severity is None:
        r.text(translate("Report", "Severity was not loaded for this report."))
        return
    r.text(
        translate(
            "Report",
            "SOFA after Vincent et al., Intensive Care Med 1996: each component is the worst value of "
            "its 24 h (day 0 starts at the start of dose 1). A component without data is shown as a dash "
            "with the reason and is not counted as normal; a total that lacks components says how many it "
            "sums. Driving pressure = plateau pressure − PEEP and static compliance = tidal volume / "
            "driving pressure (Amato et al., N Engl J Med 2015), per plateau "
            "reading as the ventilator reported it.",
        )
    )
    if severity.days:
        # Narrow columns on A4: every cell wrapped at CELL_CHARS, so nothing is cut at the column's edge.
        r.table(
            [i18n._(c) for c in SOFA_COLUMNS],  # the core's constants, translated where shown
            sofa_rows(severity.days, CELL_CHARS),
            [0.8, 1.3, *(1.4 for _ in range(6))],
            size=6.5,
        )
    else:
        r.text(
            translate("Report", "No day has any SOFA input (no labs, GCS, blood pressure or blood gases).")
        )
    notes = sofa_notes(severity.days)
    if notes:
        r.text(translate("Report", "Not included: {notes}.").format(notes="; ".join(notes)), size=8.0)
    r.text(mechanics_summary(severity.mechanics, severity.pf), size=8.0)
    r.image(trends_image(data, width, font_px), float(TREND_H))
