"""Escape in the adverse event form (in the term's field too) never loses what was typed without
asking: a filled form asks before it is discarded, and stays open with its input on Cancel; an
untouched form closes at once."""

from __future__ import annotations

from bedside_ui.adverse_event_dialog import AdverseEventDialog
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from bedside.users import Role, User

NOW = 1_780_000_000.0
DOCTOR = User(username="luis", full_name="Luis Ortega", role=Role.INTENSIVIST)


def press_escape_in_the_term(qtbot, dialog: AdverseEventDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.term.setFocus()
    qtbot.keyClick(dialog.term.lineEdit() or dialog.term, "\x1b")


def answer(dialog: AdverseEventDialog, discard: bool, asked: list[str]) -> None:
    def go() -> None:
        box = getattr(dialog, "dialog", None)
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(20, go)
            return
        asked.append(box.text())
        chosen = (
            next(b for b in box.buttons() if b.text() == "Discard")
            if discard
            else box.button(QMessageBox.StandardButton.Cancel)
        )
        chosen.click()

    QTimer.singleShot(0, go)


def test_escape_in_a_filled_form_asks_and_cancel_keeps_the_input(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AdverseEventDialog([1, 2], [], DOCTOR, now=NOW)
    qtbot.addWidget(dialog)
    dialog.term.setCurrentText("Hypotension")
    dialog.notes.setPlainText("after the second bag")
    asked: list[str] = []
    answer(dialog, discard=False, asked=asked)
    press_escape_in_the_term(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(asked))
    assert "will be lost" in asked[0]
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.term.currentText() == "Hypotension" and dialog.notes.toPlainText() == "after the second bag"
    answer(dialog, discard=True, asked=asked)
    press_escape_in_the_term(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(asked) == 2


def test_escape_in_an_untouched_form_closes_it_without_asking(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AdverseEventDialog([1, 2], [], DOCTOR, now=NOW)
    qtbot.addWidget(dialog)
    press_escape_in_the_term(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert getattr(dialog, "dialog", None) is None
