"""The review's list of a patient's adverse events with every version each one has (a follow-up
is a new version beside the first, never an overwrite), their seriousness, SUSAR flag and the
24-hour report clock of the serious ones: read-only, from the review's data."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from bedside.review_data import ReviewData
from bedside.review_text import adverse_event_history


class AdverseEventHistoryDialog(QDialog):
    def __init__(self, data: ReviewData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adverse events and their versions")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Each event as last recorded, then every version in the order recorded. A follow-up or a "
            "report to the sponsor is recorded with bedside-cli (adverse-event-follow-up, "
            "adverse-event-reported)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFont("DejaVu Sans Mono", 9))
        lines = adverse_event_history(data)
        self.text.setPlainText("\n".join(lines) if lines else "No adverse event was recorded.")
        self.text.setMinimumSize(760, 320)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
