"""The follow-up form of an event whose awareness time is recorded: left as it was, the time is
handed over exactly as recorded; moved, the form asks why before the signature (the 24-hour report
still runs from the earliest awareness), and the reason goes with the follow-up."""

from __future__ import annotations

from datetime import datetime

from bedside_ui.adverse_event_dialog import AdverseEventDialog
from PySide6.QtWidgets import QApplication

from bedside.users import Role, User
from tests.listed_events import listed
from tests.ui.test_adverse_event_form_checks import LATEST_FIELDS
from tests.ui.test_layout import WINDOW_MANAGER, misfits

NOW = datetime(2026, 12, 6, 15, 40).timestamp()
DOCTOR = User(username="luis", full_name="Luis Ortega", role=Role.INTENSIVIST)
AWARE = NOW - 7200 + 0.25  # stored to the millisecond


def form(qtbot) -> AdverseEventDialog:  # type: ignore[no-untyped-def]
    d = AdverseEventDialog(
        [1, 2], [], DOCTOR, now=NOW, latest=listed(**{**LATEST_FIELDS, "awareness": AWARE})
    )
    qtbot.addWidget(d)
    return d


def test_an_unchanged_awareness_time_is_handed_over_as_recorded(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    f = d.fields()
    assert f["awareness"] == AWARE and "awareness_reason" not in f and not d.awareness_moved()


def test_moving_the_awareness_time_asks_why_before_the_signature(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    d.relatedness.setCurrentIndex(d.relatedness.findData("possible"))
    d.awareness.set(NOW - 3600)
    d.show()
    d.accept()
    assert d.result() == 0 and "Say why the time the team became aware changes" in d.error.text()
    d.awareness_reason.setText("the ward's note was misdated")
    d.accept()
    assert d.result() == 1, d.error.text()
    f = d.fields()
    assert (f["awareness"], f["awareness_reason"]) == (NOW - 3600, "the ward's note was misdated")


def test_the_follow_up_with_the_reason_row_fits_1366x768(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    d.show()
    QApplication.processEvents()
    hint = d.sizeHint().expandedTo(d.minimumSize())
    assert max(hint.width(), d.width()) <= 1366 and max(hint.height(), d.height()) <= 768 - WINDOW_MANAGER
    assert not misfits(d), misfits(d)
