"""The review's outcome tab: the outcome set (bedside.outcomes) as a table, each outcome with its
value or why there is none, where it came from and what is missing; a death within 24 h of a dose in
the alarm colour of a high-priority finding."""

from __future__ import annotations

from bedside_ui.theme import SEVERITY_COLOUR, Theme
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from bedside.i18n import _
from bedside.outcomes import DEFINITIONS, OUTCOME_COLUMNS, day0_text, outcome_rows
from bedside.review_data import ReviewData


class OutcomesView(QWidget):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 4, 6, 4)
        self.day0 = QLabel(self.tr("No review loaded."))
        self.day0.setWordWrap(True)
        self.day0.setStyleSheet("font-size:12pt;")
        root.addWidget(self.day0)
        self.table = QTableWidget(0, len(OUTCOME_COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in OUTCOME_COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        self.table.horizontalHeader().setStretchLastSection(True)
        root.addWidget(self.table, stretch=1)
        self.definitions = QLabel(_(DEFINITIONS))
        self.definitions.setWordWrap(True)
        root.addWidget(self.definitions)

    def show_outcomes(self, data: ReviewData) -> None:
        items = data.outcome_set
        first = data.doses[0].start if data.doses else None
        self.day0.setText(day0_text(first))
        rows = outcome_rows(items)
        self.table.setRowCount(len(rows))
        for r, (item, row) in enumerate(zip(items, rows, strict=True)):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if item.flag and c < 2:
                    cell.setBackground(QColor(SEVERITY_COLOUR["high"]))
                    cell.setForeground(QColor("#ffffff"))
                elif c == 1 and item.value is None:
                    cell.setForeground(QColor(self.theme.quiet))
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        for c in range(len(OUTCOME_COLUMNS) - 1):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 420))
        self.table.resizeRowsToContents()

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
