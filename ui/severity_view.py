"""The review's severity tab: the daily SOFA table (each component's score with the value and time it
came from, or a dash and why it is missing; the source and what is left out on hover), and the P/F,
driving pressure and compliance trends with the doses marked."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui.severity_plots import draw_trends
from bedside_ui.theme import Theme
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bedside.i18n import _
from bedside.review_data import ReviewData
from bedside.severity import (
    SOFA_COLUMNS,
    component_detail,
    latest_text,
    mechanics_summary,
    sofa_notes,
    sofa_rows,
)

SOURCES = QT_TRANSLATE_NOOP(
    "SeverityView",
    "SOFA: Vincent et al., Intensive Care Med 1996 (each component the worst value of its 24 h; day 0 "
    "starts at dose 1). Driving pressure = plateau − PEEP, static compliance = tidal volume / driving "
    "pressure (Amato et al., N Engl J Med 2015). Supports review; not a diagnosis.",
)


class SeverityView(QWidget):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 4, 6, 4)
        self.summary = QLabel(self.tr("No review loaded."))
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size:12pt;")
        root.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(SOFA_COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in SOFA_COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        split.addWidget(self.table)
        self.plots_view = pg.GraphicsLayoutWidget()
        self.plots_view.setBackground(theme.background)
        self.plots_view.setMinimumSize(400, 160)
        split.addWidget(self.plots_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        root.addWidget(split, stretch=1)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        root.addWidget(self.notes)
        self.plots: dict[str, pg.PlotItem] = {}
        self.data: ReviewData | None = None

    def show_severity(self, data: ReviewData) -> None:
        self.data = data
        severity = data.severity
        if severity is None:
            self.summary.setText(self.tr("Severity not loaded."))
            return
        days = severity.days
        self.summary.setText(
            latest_text(days, data.now)
            + " "
            + self.tr("A dash is a component without data that day, never a normal score.")
        )
        rows = sofa_rows(days)
        ordered = list(reversed(days))
        self.table.setRowCount(len(rows))
        for r, (row, day) in enumerate(zip(rows, ordered, strict=True)):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c >= 2:
                    component = day.components[c - 2]
                    item.setToolTip(component_detail(component))
                    if component.score is None:
                        item.setForeground(pg.mkColor(self.theme.quiet))
                elif c == 1:
                    item.setToolTip(day.total_text())
                self.table.setItem(r, c, item)
        # Day and total as wide as their text; the six components share the rest and wrap, so the
        # table fits a 1366-px screen without a horizontal scroll bar.
        header = self.table.horizontalHeader()
        for c in range(len(SOFA_COLUMNS)):
            mode = QHeaderView.ResizeMode.ResizeToContents if c < 2 else QHeaderView.ResizeMode.Stretch
            header.setSectionResizeMode(c, mode)
        self.table.resizeRowsToContents()
        notes = sofa_notes(days)
        self.notes.setText(
            " · ".join([*notes, mechanics_summary(severity.mechanics, severity.pf)]) + "\n" + self.tr(SOURCES)
        )
        self.plots = draw_trends(self.plots_view.ci, severity, data.doses, self.theme)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.plots_view.setBackground(theme.background)
        if self.data is not None:
            self.show_severity(self.data)
