"""The review's Signatures tab: every signed record of the patient with its electronic signature
(printed name, role, meaning, time)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from bedside import i18n
from bedside.review_signatures import SIGNATURE_COLUMNS, signed_rows


class SignaturesView(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, len(SIGNATURE_COLUMNS))
        self.setHorizontalHeaderLabels([i18n._(c) for c in SIGNATURE_COLUMNS])
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setStretchLastSection(True)

    def show_signatures(self, log: list[dict]) -> int:
        """Fill the table from the patient's safety-log entries; returns how many records are signed."""
        rows = signed_rows(log)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        return len(rows)
