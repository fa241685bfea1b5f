"""The adverse-event form as an outside trial used it: its date pickers open on the current month
and a click on a day picks that day; the calendar's weekday header reads on the dark theme; the
handler's checks run before the signature, the form staying open with the message; the MedDRA field
takes digits only; the seriousness boxes stay legible and say who assesses them; a follow-up is
prefilled from the latest version and fits a 1366x768 screen."""

from __future__ import annotations

from datetime import datetime

import pytest
from bedside_ui.action_dialog import HEADER_BACKGROUND, HEADER_TEXT
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.dialogs import StopDoseDialog
from bedside_ui.theme import DARK, stylesheet
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from bedside.users import Role, User
from tests.listed_events import listed
from tests.ui.test_layout import WINDOW_MANAGER, misfits

NOW = datetime(2026, 12, 6, 15, 40).timestamp()
DOCTOR = User(username="luis", full_name="Luis Ortega", role=Role.INTENSIVIST)
NURSE = User(username="ana", full_name="Ana Ruiz", role=Role.NURSE)


def form(qtbot, user: User = DOCTOR, **kwargs) -> AdverseEventDialog:  # type: ignore[no-untyped-def]
    d = AdverseEventDialog([1, 2], [], user, now=NOW, **kwargs)
    qtbot.addWidget(d)
    return d


def choose_required(d: AdverseEventDialog) -> None:
    d.dose.setCurrentIndex(d.dose.findData(1))
    d.term.setCurrentText("Hypotension")
    d.grade.setCurrentIndex(d.grade.findData(3))
    d.relatedness.setCurrentIndex(d.relatedness.findData("possible"))
    d.onset.set(NOW - 3600)


# The offscreen platform cannot raise a popup or grab the keyboard for it (a real screen does).
POPUP = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")


def open_popup(qtbot, choice) -> None:  # type: ignore[no-untyped-def]
    edit = choice.edit
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, edit.height() // 2))
    qtbot.waitUntil(lambda: choice.calendar.isVisible())


@POPUP
def test_an_unset_date_opens_on_the_current_month_and_a_click_picks_that_day(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    d.show()
    assert d.end.value() is None
    open_popup(qtbot, d.end)
    today = QDate(2026, 12, 6)
    assert (d.end.calendar.yearShown(), d.end.calendar.monthShown()) == (2026, 12)
    d.end.calendar.clicked.emit(today)
    assert d.end.value() is not None
    assert datetime.fromtimestamp(d.end.value()).date() == today.toPython()
    # Another day of the month shown is that day, in this month.
    open_popup(qtbot, d.awareness)
    d.awareness.calendar.clicked.emit(QDate(2026, 12, 3))
    assert datetime.fromtimestamp(d.awareness.value()).date() == QDate(2026, 12, 3).toPython()


@POPUP
def test_a_set_date_opens_on_its_own_month(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    d.show()
    d.onset.set(datetime(2026, 11, 20, 9, 0).timestamp())
    open_popup(qtbot, d.onset)
    assert (d.onset.calendar.yearShown(), d.onset.calendar.monthShown()) == (2026, 11)


def test_the_weekday_header_is_readable_on_the_dark_theme(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    d.setStyleSheet(stylesheet(DARK))
    header = d.onset.calendar.headerTextFormat()
    text, back = header.foreground().color(), header.background().color()
    assert text == QColor(HEADER_TEXT) and back == QColor(HEADER_BACKGROUND)
    assert abs(text.lightness() - back.lightness()) > 120
    # The other forms' date pickers (a dose's stop, its start) have the same header.
    stop = StopDoseDialog(1, NOW, DOCTOR)
    qtbot.addWidget(stop)
    assert stop.at.calendarWidget().headerTextFormat().background().color() == QColor(HEADER_BACKGROUND)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.end.set(NOW - 7200), "The end is before the onset"),
        (lambda d: d.criteria["hospitalisation"].setChecked(True), "A serious event needs the time"),
    ],
)
def test_the_handlers_checks_come_before_the_signature(qtbot, change, message) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    d.show()
    choose_required(d)
    change(d)
    d.accept()
    assert d.isVisible() and d.result() == 0, "the form must stay open"
    assert d.error.isVisible() and d.error.text().startswith(message)
    assert d.term.currentText() == "Hypotension" and d.grade.currentData() == 3


def test_the_meddra_field_takes_digits_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot)
    d.show()
    qtbot.keyClicks(d.meddra, "10a02-0x8b5")
    assert d.meddra.text() == "1002085"  # the letters and the dash refused
    d.meddra.setText("1234")
    choose_required(d)
    d.accept()
    assert d.isVisible() and "8 digits" in d.error.text()


def _contrast(widget: QWidget) -> int:
    """The largest lightness difference between the widget's pixels and its background."""
    image = widget.grab().toImage()
    back = QColor(DARK.background).lightness()
    return max(
        abs(image.pixelColor(x, y).lightness() - back)
        for x in range(0, min(image.width(), 24))
        for y in range(image.height())
    )


@pytest.mark.parametrize("user", [DOCTOR, NURSE])
def test_the_seriousness_boxes_are_legible_on_the_dark_theme(qtbot, user: User) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot, user)
    d.setStyleSheet(stylesheet(DARK))
    d.show()
    QApplication.processEvents()
    box = d.criteria["death"]
    assert box.isEnabled() == (user is DOCTOR)
    assert _contrast(box) > 60, "the box's frame must stand out from the dark background"
    if user is NURSE:
        assert d.assessor_note.isVisible()
        assert d.assessor_note.text() == "Assessed by an intensivist or investigator"
        assert box.toolTip() == "Assessed by an intensivist or investigator"
    else:
        assert not d.assessor_note.isVisible()


LATEST_FIELDS = {
    "id": 7,
    "version": 2,
    "term": "Hypotension",
    "grade": 3,
    "relatedness": "not assessed",
    "dose": 2,
    "onset": NOW - 40 * 86400,
    "seriousness": None,
    "outcome": "recovering",
    "end": None,
    "action_taken": "interrupted",
    "treatment": "noradrenaline",
    "awareness": None,
    "meddra_code": "10021097",
    "notes": "after the second dose",
}
LATEST = listed(**LATEST_FIELDS)  # type: ignore[arg-type]
"""A follow-up's latest version (version 2 of event #7)."""


def test_a_follow_up_is_prefilled_from_the_latest_version(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot, latest=LATEST)
    assert "#7" in d.windowTitle()
    f = d.fields()
    assert f["follows"] == 7 and (f["term"], f["grade"]) == ("Hypotension", 3)
    assert f["onset"] == LATEST.latest.onset  # older than the 30 days a new event offers
    assert (f["outcome"], f["action_taken"], f["treatment"]) == ("recovering", "interrupted", "noradrenaline")
    assert d.dose.currentData() == 2 and f["meddra_code"] == "10021097"
    # The intensivist assesses causality and seriousness here.
    assert f["relatedness"] == ""
    d.relatedness.setCurrentIndex(d.relatedness.findData("probable"))
    d.criteria["hospitalisation"].setChecked(True)
    d.awareness.set(NOW - 600)
    d.show()
    d.accept()
    assert d.result() == 1, d.error.text()
    f = d.fields()
    assert (f["relatedness"], f["seriousness"], f["awareness"]) == (
        "probable",
        ("hospitalisation",),
        NOW - 600,
    )


def test_a_nurses_follow_up_carries_the_assessment(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot, NURSE, latest=listed(**{**LATEST_FIELDS, "relatedness": "possible", "seriousness": []}))
    d.end.set(NOW - 60)
    d.outcome.setCurrentIndex(d.outcome.findData("recovered"))
    d.show()
    d.accept()
    assert d.result() == 1, d.error.text()
    f = d.fields()
    assert (f["relatedness"], f["seriousness"], f["outcome"]) == ("", None, "recovered")


@pytest.mark.parametrize("user", [DOCTOR, NURSE])
def test_the_follow_up_fits_1366x768(qtbot, user: User) -> None:  # type: ignore[no-untyped-def]
    d = form(qtbot, user, latest=LATEST)
    d.show()
    QApplication.processEvents()
    hint = d.sizeHint().expandedTo(d.minimumSize())
    assert max(hint.width(), d.width()) <= 1366, (hint, d.size())
    assert max(hint.height(), d.height()) <= 768 - WINDOW_MANAGER, (hint, d.size())
    assert not misfits(d), misfits(d)


def test_a_reported_events_follow_up_says_it_was_reported_and_susar_yes_or_no(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = form(
        qtbot, latest=listed(**{**LATEST_FIELDS, "seriousness": ["hospitalisation"], "sent_at": NOW - 1800})
    )
    d.relatedness.setCurrentIndex(d.relatedness.findData("probable"))
    d.criteria["hospitalisation"].setChecked(True)
    d.awareness.set(NOW - 7200)
    said = d.derived.text()
    assert "reported to the sponsor" in said and "due" not in said, said
    assert "SUSAR: SUSAR" not in said and "SUSAR: not a SUSAR" not in said
    assert "SUSAR: yes" in said or "SUSAR: no" in said or "cannot be derived" in said, said
    fresh = form(qtbot, latest=listed(**{**LATEST_FIELDS, "seriousness": ["hospitalisation"]}))
    fresh.relatedness.setCurrentIndex(fresh.relatedness.findData("probable"))
    fresh.criteria["hospitalisation"].setChecked(True)
    fresh.awareness.set(NOW - 7200)
    assert "report to the sponsor due" in fresh.derived.text()
