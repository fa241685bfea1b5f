"""The adverse-event form: grade, relatedness and onset start unchosen and the form refuses to go on
until each is chosen, naming what is missing; a nurse cannot assess relatedness or seriousness;
what it hands over is what was chosen; it fits a 1366x768 screen."""

from __future__ import annotations

from dataclasses import replace

from bedside_ui.adverse_event_dialog import AdverseEventDialog
from PySide6.QtWidgets import QApplication

from bedside.commands import NOT_ASSESSED
from bedside.users import Role, User
from tests.ui.test_layout import WINDOW_MANAGER, misfits

NOW = 1_780_000_000.0
DOCTOR = User(username="luis", full_name="Luis Ortega", role=Role.INTENSIVIST)
NURSE = User(username="ana", full_name="Ana Ruiz", role=Role.NURSE)


def dialog_for(qtbot, user: User = DOCTOR) -> AdverseEventDialog:  # type: ignore[no-untyped-def]
    dialog = AdverseEventDialog([1, 2], [], user, now=NOW)
    qtbot.addWidget(dialog)
    return dialog


def test_nothing_is_chosen_for_the_clinician(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog_for(qtbot)
    f = d.fields()
    assert (f["grade"], f["relatedness"], f["onset"], f["seriousness"]) == (None, "", None, None)
    assert (f["outcome"], f["end"], f["awareness"], f["action_taken"]) == (None, None, None, None)


def test_the_form_refuses_until_each_required_choice_is_made(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog_for(qtbot)
    d.show()
    d.term.setCurrentText("Hypotension")
    d.accept()
    assert d.isVisible() and d.result() == 0
    assert d.error.isVisible()
    assert d.error.text().startswith("Choose the grade, the relatedness, the onset")
    d.grade.setCurrentIndex(d.grade.findData(3))
    d.relatedness.setCurrentIndex(d.relatedness.findData("possible"))
    d.accept()
    assert d.error.text().startswith("Choose the onset:") and d.isVisible()
    d.onset.set(NOW - 600)
    d.accept()
    assert not d.isVisible() and d.result() == 1


def test_what_is_chosen_is_what_is_handed_over(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog_for(qtbot)
    d.term.setCurrentText("Hypotension")
    d.grade.setCurrentIndex(d.grade.findData(3))
    d.relatedness.setCurrentIndex(d.relatedness.findData("probable"))
    d.onset.set(NOW - 1200)
    d.criteria["life_threatening"].setChecked(True)
    d.awareness.now_button.click()
    d.outcome.setCurrentIndex(d.outcome.findData("recovering"))
    d.action_taken.setCurrentIndex(d.action_taken.findData("stopped"))
    d.treatment.setText("noradrenaline")
    f = d.fields()
    assert (f["term"], f["grade"], f["relatedness"]) == ("Hypotension", 3, "probable")
    assert (f["onset"], f["awareness"], f["seriousness"]) == (NOW - 1200, NOW, ("life_threatening",))
    assert (f["outcome"], f["action_taken"], f["treatment"]) == ("recovering", "stopped", "noradrenaline")
    # What Bedside derives is shown before it is signed.
    assert "Expectedness: unexpected" in d.derived.text() and "SUSAR: SUSAR" in d.derived.text()
    assert "report to the sponsor due" in d.derived.text()
    d.not_serious.setChecked(True)
    assert d.fields()["seriousness"] == () and "SUSAR: not a SUSAR" in d.derived.text()


def test_a_nurse_records_relatedness_and_seriousness_as_not_assessed(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog_for(qtbot, NURSE)
    assert not d.relatedness.isEnabled() and d.fields()["relatedness"] == NOT_ASSESSED
    assert not d.criteria["death"].isEnabled() or not d.criteria["death"].parentWidget().isEnabled()
    assert d.fields()["seriousness"] is None


def test_the_form_fits_1366x768(qtbot) -> None:  # type: ignore[no-untyped-def]
    for user in (DOCTOR, NURSE):
        d = dialog_for(qtbot, user)
        d.show()
        d.term.setCurrentText("Infusion related reaction")
        d.accept()  # the refusal's line shown too
        QApplication.processEvents()
        hint = d.sizeHint().expandedTo(d.minimumSize())
        assert max(hint.width(), d.width()) <= 1366, (hint, d.size())
        assert max(hint.height(), d.height()) <= 768 - WINDOW_MANAGER, (hint, d.size())
        assert not misfits(d), misfits(d)
        d.reject()


def test_the_nurse_screen_shows_each_open_sae_clock_until_reported(qtbot) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.checks_view import ChecksView
    from PySide6.QtWidgets import QWidget

    from bedside.adverse_events import AdverseEventVersion
    from bedside.status import EMPTY_STATUS

    holder = QWidget()
    qtbot.addWidget(holder)
    view = ChecksView()
    holder.setLayout(view.layout)
    holder.show()
    event = AdverseEventVersion(
        id=7,
        patient_ref="P^H",
        episode_id=None,
        term="Sepsis",
        grade=4,
        relatedness="possible",
        onset=NOW - 7200,
        reported_by="luis",
        reported_at=NOW - 3600,
        seriousness=("life_threatening",),
        awareness=NOW - 3600,
    )
    view.show_sae_reports(replace(EMPTY_STATUS, adverse_events=(event,)), NOW)
    assert view.sae_label.isVisible() and "SAE #7 Sepsis G4: SAE report due" in view.sae_label.text()
    assert "(in 23 h 00 min)" in view.sae_label.text()
    view.show_sae_reports(replace(EMPTY_STATUS, adverse_events=(replace(event, sent_at=NOW - 60),)), NOW)
    assert not view.sae_label.isVisible()
