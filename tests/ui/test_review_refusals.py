"""The review's Record outcome dialog is refused as the command line is, with the handler's reason
shown: a death dated in the future records nothing."""

from __future__ import annotations

import re
import time
from datetime import datetime

from bedside_adapters.db import schema as t
from bedside_adapters.db.queries import sql_ports
from bedside_ui import review_window
from bedside_ui.review_window import ReviewWindow
from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from bedside import i18n
from bedside.model import PatientRef
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT
from tests.ui.signing import GH, acting_as, sign_when_asked


def test_a_death_in_the_future_is_refused_with_its_reason(qtbot, reaction_engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warned: list[str] = []
    monkeypatch.setattr(
        review_window.QMessageBox, "warning", lambda _parent, _title, text: warned.append(text)
    )
    acting = acting_as(GH)
    w = ReviewWindow(sql_ports(reaction_engine), PatientRef.parse(PATIENT), clock=lambda: NOW, acting=acting)
    acting.setParent(w)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
    try:

        def fill() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, fill)
                return
            dialog.kind.setCurrentIndex(dialog.kind.findData("death"))
            dialog.at.setDateTime(QDateTime.fromSecsSinceEpoch(int(time.time() + 86400)))
            dialog.accept()

        QTimer.singleShot(0, fill)
        sign_when_asked(GH)  # a course event from a screen is signed; the refusal comes after
        w.outcome_button.click()
        qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
        assert "the time is in the future" in warned[0]
        with reaction_engine.connect() as conn:
            deaths = select(func.count()).select_from(t.course_event).where(t.course_event.c.kind == "death")
            assert conn.execute(deaths).scalar_one() == 0
    finally:
        w.shutdown()


def test_a_course_events_signature_names_its_time_as_the_dialog_shows_it(
    qtbot, reaction_engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # The time field shows "07 Dec 2026 02:09": what is signed says the same, never "2026-12-07 02:09".
    acting = acting_as(GH)
    signing: list[str] = []
    monkeypatch.setattr(acting, "sign", lambda _action, what: signing.append(what))
    w = ReviewWindow(sql_ports(reaction_engine), PatientRef.parse(PATIENT), clock=lambda: NOW, acting=acting)
    acting.setParent(w)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
    try:
        shown: list[str] = []

        def fill() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, fill)
                return
            dialog.kind.setCurrentIndex(dialog.kind.findData("death"))
            dialog.at.setDateTime(QDateTime.fromSecsSinceEpoch(int(NOW - 3600)))
            shown.append(dialog.at.text())
            dialog.accept()

        QTimer.singleShot(0, fill)
        w.outcome_button.click()
        qtbot.waitUntil(lambda: bool(signing), timeout=20_000)
        # Day, month in words, year, as the time field shows it (whose month abbreviation is Qt's).
        said = i18n.strftime(datetime.fromtimestamp(int(NOW - 3600)), "%d %b %Y %H:%M")
        assert said in signing[0] and shown[0][:2] == said[:2], (shown, signing)
        assert not re.search(r"\d{4}-\d\d-\d\d", signing[0]), signing
    finally:
        w.shutdown()
