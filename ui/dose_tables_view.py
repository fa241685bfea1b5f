"""The review's tables under the plots: each marker before and after the chosen dose (value, time
and change from baseline), and beside it how much of each window the data cover."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QSplitter, QTableWidget, QTableWidgetItem

from bedside import i18n
from bedside.review import PRE_DOSE, TIMEPOINTS, BeforeAfterRow
from bedside.review_data import ReviewData, coverage_label, dose_coverage, dose_rows
from bedside.review_text import table_rows
from bedside.status import DoseInfo

THIN_COVERAGE = 0.8
"""A window with less of its data than this is marked: a technical matter, never a calm patient."""


class DoseTablesView(QSplitter):
    """The before/after table (`table`) and the data coverage (`coverage`) of one dose. Its texts
    are the review window's, in that window's translation context."""

    def __init__(self, local) -> None:  # type: ignore[no-untyped-def]
        """`local(at, fmt)`: a time as the screen shows it."""
        super().__init__(Qt.Orientation.Horizontal)
        self._local = local
        self.table = QTableWidget(0, 2 + len(TIMEPOINTS))
        # Each time point's cell holds its value and time, and below it the change from baseline:
        # five narrow columns fit a 1366-px screen beside the coverage, where six wide ones were cut.
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ReviewWindow", "Marker"),
                i18n._(PRE_DOSE),
                *(
                    QCoreApplication.translate("ReviewWindow", "{timepoint} (change)").format(timepoint=label)
                    for label, _ in TIMEPOINTS
                ),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        self.coverage = QTableWidget(0, 5)
        self.coverage.verticalHeader().hide()
        self.coverage.verticalHeader().setDefaultSectionSize(22)
        self.coverage.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.addWidget(self.table)
        self.addWidget(self.coverage)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)

    def show_dose(self, data: ReviewData, dose: DoseInfo, quiet: str) -> list[BeforeAfterRow]:
        """Fill both tables for `dose`; a time point without a value is drawn in the `quiet` colour.
        Returns the table's rows."""
        rows = dose_rows(data, dose)
        texts = table_rows(rows, dose.start, sep="\n")
        self.table.setRowCount(len(texts))
        for r, (row, line) in enumerate(zip(rows, texts, strict=True)):
            for c, value in enumerate(line):
                item = QTableWidgetItem(value)
                cell = (
                    None
                    if c == 0
                    else (row.baseline if c == 1 else row.after.get(TIMEPOINTS[c - 2][0]) if c < 5 else None)
                )
                if cell is not None and cell.point is not None:
                    item.setToolTip(self._local(cell.point.at, "%d %b %Y %H:%M"))
                elif cell is not None:
                    item.setForeground(pg.mkColor(quiet))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        cov = dose_coverage(data, dose)
        windows = list(next(iter(cov.values())).keys()) if cov else []
        self.coverage.setColumnCount(1 + len(windows))
        self.coverage.setHorizontalHeaderLabels(
            [QCoreApplication.translate("ReviewWindow", "Coverage, dose {n}").format(n=dose.dose), *windows]
        )
        self.coverage.setRowCount(len(cov))
        for r, (name, shares) in enumerate(cov.items()):
            self.coverage.setItem(r, 0, QTableWidgetItem(coverage_label(name)))
            for c, share in enumerate(shares.values(), start=1):
                item = QTableWidgetItem("—" if share is None else f"{100 * share:.0f} %")
                if share is not None and share < THIN_COVERAGE:
                    # a thin window is a technical matter (cyan), never to be read as a calm patient
                    item.setBackground(pg.mkColor("#006064"))
                    item.setForeground(pg.mkColor("#e0f7fa"))
                self.coverage.setItem(r, c, item)
        self.coverage.resizeColumnsToContents()
        return rows
