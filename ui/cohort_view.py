"""The review's Cohort tab: every treated patient's row (bedside.review_text words it), the cohort in
numbers (per outcome and per marker: n, median (IQR) and the denominator; bedside.outcome_cohort),
with the plain statement of what an uncontrolled series cannot show, and the courses overlaid, each
on its first dose."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui import review_plots
from bedside_ui.theme import Theme
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bedside.i18n import _
from bedside.outcome_cohort import UNCONTROLLED, marker_table, outcome_lines
from bedside.review import CohortRow
from bedside.review_data import ReviewData, dose_rows
from bedside.review_text import COHORT_COLUMNS, cohort_cells


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.resizeColumnsToContents()  # the headers whole before the rows come (the cohort is read last)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            item = QTableWidgetItem(v)
            item.setToolTip(v)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.resizeRowsToContents()


class CohortView(QWidget):
    def __init__(self, theme: Theme) -> None:
        super().__init__()
        root = QVBoxLayout(self)
        self.note = QLabel(
            self.tr("Every patient with a dose in this database; changes are at +7 d from the first dose.")
            + " "
            + _(UNCONTROLLED)
        )
        self.note.setWordWrap(True)
        root.addWidget(self.note)
        self.table = _table([_(c) for c in COHORT_COLUMNS])
        self.outcomes = _table([self.tr("Outcome"), self.tr("n, median (IQR) or how many")])
        self.markers = _table([self.tr("Marker")])
        self.views = QTabWidget()
        self.views.addTab(self.table, self.tr("Patients"))
        self.views.addTab(self.outcomes, self.tr("Outcomes: n, median (IQR)"))
        self.views.addTab(self.markers, self.tr("Markers after the first dose: n, median (IQR)"))
        self.plots_view = pg.GraphicsLayoutWidget()
        self.plots_view.setBackground(theme.background)
        self.plots_view.setMinimumSize(400, 200)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.views)
        split.addWidget(self.plots_view)
        root.addWidget(split, stretch=1)

    def show_cohort(
        self, rows: list[CohortRow], courses: list[tuple[str, ReviewData]], theme: Theme
    ) -> dict[str, pg.PlotItem]:
        """Returns the plots drawn, by marker."""
        _fill(self.table, [cohort_cells(row) for row in rows])
        treated = [data for _, data in courses if data.doses]
        _fill(self.outcomes, [list(x) for x in outcome_lines([d.outcome_set for d in treated])])
        header, lines = marker_table([dose_rows(d, d.doses[0]) for d in treated])
        self.markers.setColumnCount(len(header))
        self.markers.setHorizontalHeaderLabels(header)
        _fill(self.markers, lines)
        return review_plots.draw_cohort(self.plots_view.ci, courses, theme)

    def apply_theme(self, theme: Theme) -> None:
        self.plots_view.setBackground(theme.background)
