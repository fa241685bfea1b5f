"""The review's list of a patient's adverse events with every version each one has (a follow-up
is a new version beside the first, never an overwrite), their seriousness, SUSAR flag and the
24-hour report clock of the serious ones; and, for an intensivist or investigator, recording that a
serious event was reported to the sponsor (which stops its clock), signed by the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bedside_ui.time_choice import TimeChoice
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.adverse_events_outcomes import outcomes_without_aesi
from bedside.ctcae import term_text
from bedside.death_sae import death_sae_text, from_review, outcome_conflicts
from bedside.i18n import strftime
from bedside.outcome_no_aesi import explained_lines, reasons_from_log, unexplained
from bedside.review_data import ReviewData
from bedside.review_text import adverse_event_history

Report = Callable[[int, float], None]
"""Record that event (version 1's id) was sent to the sponsor at that time."""
FollowUp = Callable[[int], None]
"""Open the form for a follow-up of that event (version 1's id)."""


class AdverseEventHistoryDialog(QDialog):
    def __init__(
        self,
        data: ReviewData,
        parent: QWidget | None = None,
        report: Report | None = None,
        follow_up: FollowUp | None = None,
    ) -> None:
        """`report`: given when the user may record a report to the sponsor; `follow_up`: when the
        user may record a follow-up."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Adverse events and their versions"))
        self._report = report
        self._follow_up = follow_up
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Each event as last recorded, then every version in the order recorded. A follow-up "
                "(the causality and seriousness assessed, the outcome, the end) is a new version; the "
                "earlier ones stay."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.death = QLabel("\n".join(death_lines(data)))
        self.death.setWordWrap(True)
        self.death.setStyleSheet("font-weight:bold;")
        self.death.setVisible(bool(self.death.text()))
        layout.addWidget(self.death)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFont("DejaVu Sans Mono", 9))
        lines = adverse_event_history(data)
        self.text.setPlainText("\n".join(lines) if lines else self.tr("No adverse event was recorded."))
        self.text.setMinimumSize(760, 300)
        layout.addWidget(self.text, 1)
        # Serious events whose report to the sponsor is not recorded yet.
        awaiting = [e for e in data.adverse_events if e.latest.seriousness and e.latest.sent_at is None]
        row = QHBoxLayout()
        self.event = QComboBox()
        for e in awaiting:
            self.event.addItem(
                self.tr("#{id} {term} G{grade}").format(
                    id=e.id, term=term_text(e.latest.term), grade=e.latest.grade
                ),
                e.id,
            )
        self.sent = TimeChoice(self.tr("choose when it was sent"), data.now)
        self.report_button = QPushButton(self.tr("Record report to sponsor…"))
        self.report_button.clicked.connect(self._record)
        self.report_button.setEnabled(bool(awaiting) and report is not None)
        if report is None:
            self.report_button.setToolTip(self.tr("An intensivist or investigator records it"))
        row.addWidget(QLabel(self.tr("Reported to the sponsor:")))
        row.addWidget(self.event, 1)
        row.addWidget(self.sent, 1)
        row.addWidget(self.report_button)
        self.reporting = QWidget()
        self.reporting.setLayout(row)
        self.reporting.setVisible(bool(awaiting))
        layout.addWidget(self.reporting)
        follow = QHBoxLayout()
        self.follow_event = QComboBox()
        for e in data.adverse_events:
            self.follow_event.addItem(
                self.tr("#{id} {term} G{grade}").format(
                    id=e.id, term=term_text(e.latest.term), grade=e.latest.grade
                ),
                e.id,
            )
        self.follow_up_button = QPushButton(self.tr("Record follow-up…"))
        self.follow_up_button.clicked.connect(self._record_follow_up)
        self.follow_up_button.setEnabled(bool(data.adverse_events) and follow_up is not None)
        if follow_up is None:
            self.follow_up_button.setToolTip(self.tr("Sign in on the nurse's screen to record a follow-up"))
        follow.addWidget(QLabel(self.tr("Follow-up of:")))
        follow.addWidget(self.follow_event, 1)
        follow.addWidget(self.follow_up_button)
        self.following = QWidget()
        self.following.setLayout(follow)
        self.following.setVisible(bool(data.adverse_events))
        layout.addWidget(self.following)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _record(self) -> None:
        sent = self.sent.value()
        if sent is None or self._report is None:
            self.error.setText(self.tr("Choose when the report was sent: nothing is recorded until then."))
            self.error.show()
            return
        event = int(self.event.currentData())
        self.accept()
        self._report(event, sent)

    def _record_follow_up(self) -> None:
        if self._follow_up is None or self.follow_event.currentData() is None:
            return
        event = int(self.follow_event.currentData())
        self.accept()
        self._follow_up(event)


def death_lines(data: ReviewData) -> list[str]:
    """The recorded death's SAE report while it is due (ICH E2A: a death is serious), and each
    adverse event whose outcome the death contradicts, naming the conflict."""
    death, outcomes = from_review(
        data.outcomes.died, data.log, [e.latest for e in data.adverse_events], aware=data.death_awareness
    )
    lines = [] if death is None or death.state != "due" else [death_sae_text(death, data.now, sent_text)]
    aware = None if death is None else death.aware
    conflicts = outcome_conflicts(outcomes, data.outcomes.died, sent_text, term_text, aware)
    # An outcome someone signed a reason for is listed with it, no longer as a disagreement.
    reasons = reasons_from_log(data.log)
    aesi = [e.latest.aesi for e in data.adverse_events]
    return (
        lines
        + conflicts
        + outcomes_without_aesi(unexplained(data.events, reasons), aesi, sent_text)
        + explained_lines(data.events, reasons, sent_text)
    )


def sent_text(at: float) -> str:
    return strftime(datetime.fromtimestamp(at), "%d %b %H:%M")
