"""The review's Cohort tab: every treated patient's row (bedside.review_text words it) and their
courses overlaid, each on its first dose."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui import review_plots
from bedside_ui.theme import Theme
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from bedside.review import CohortRow
from bedside.review_data import ReviewData
from bedside.review_text import COHORT_COLUMNS, cohort_cells


class CohortView(QWidget):
    def __init__(self, theme: Theme) -> None:
        super().__init__()
        root = QVBoxLayout(self)
        self.note = QLabel(
            "Every patient with a dose in this database; changes are at +7 d from the first dose."
        )
        root.addWidget(self.note)
        self.table = QTableWidget(0, len(COHORT_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COHORT_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.plots_view = pg.GraphicsLayoutWidget()
        self.plots_view.setBackground(theme.background)
        self.plots_view.setMinimumSize(400, 200)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.plots_view)
        root.addWidget(split, stretch=1)

    def show_cohort(
        self, rows: list[CohortRow], courses: list[tuple[str, ReviewData]], theme: Theme
    ) -> dict[str, pg.PlotItem]:
        """Returns the plots drawn, by marker."""
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, v in enumerate(cohort_cells(row)):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        return review_plots.draw_cohort(self.plots_view.ci, courses, theme)

    def apply_theme(self, theme: Theme) -> None:
        self.plots_view.setBackground(theme.background)
