"""The adverse-event form: grade, relatedness and onset start unchosen and the form refuses to go on
until each is chosen, naming what is missing; a nurse cannot assess relatedness or seriousness;
what it hands over is what was chosen; it fits a 1366x768 screen in English and in Spanish."""

from __future__ import annotations

from dataclasses import replace

import pytest
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.i18n import install_language
from PySide6.QtWidgets import QApplication

from bedside.commands import NOT_ASSESSED
from bedside.model import PatientRef
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
    assert d.error.text().startswith(
        "Choose the grade, the relatedness, the onset; choose the dose it follows, or “not linked to a dose”"
    )
    assert d.dose.currentData() is None  # the dose link is a choice too, never the last dose by default
    d.grade.setCurrentIndex(d.grade.findData(3))
    d.relatedness.setCurrentIndex(d.relatedness.findData("possible"))
    d.accept()
    assert d.error.text().startswith("Choose the onset; choose the dose") and d.isVisible()
    d.onset.set(NOW - 600)
    d.accept()
    assert d.error.text().startswith("Choose the dose it follows") and d.isVisible()
    d.dose.setCurrentIndex(d.dose.findData(1))
    d.accept()
    assert not d.isVisible() and d.result() == 1 and d.linked_dose() == 1


def test_not_linked_to_a_dose_is_a_choice_of_its_own(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog_for(qtbot)
    d.show()
    d.term.setCurrentText("Hypotension")
    d.grade.setCurrentIndex(d.grade.findData(3))
    d.relatedness.setCurrentIndex(d.relatedness.findData("unrelated"))
    d.onset.set(NOW - 600)
    d.dose.setCurrentIndex(d.dose.findText("not linked to a dose"))
    d.accept()
    assert d.result() == 1 and d.linked_dose() is None


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
    assert "Expectedness: unexpected" in d.derived.text() and "SUSAR: yes" in d.derived.text()
    assert "report to the sponsor due" in d.derived.text()
    d.not_serious.setChecked(True)
    assert d.fields()["seriousness"] == () and "SUSAR: no" in d.derived.text()


def test_a_nurse_records_relatedness_and_seriousness_as_not_assessed(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = dialog_for(qtbot, NURSE)
    assert not d.relatedness.isEnabled() and d.fields()["relatedness"] == NOT_ASSESSED
    assert not d.criteria["death"].isEnabled() or not d.criteria["death"].parentWidget().isEnabled()
    assert d.fields()["seriousness"] is None


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_form_fits_1366x768(qtbot, qapp, language) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, language)  # built in each language: Spanish's texts are longer
    try:
        _fits(qtbot)
    finally:
        install_language(qapp, "en")


def _fits(qtbot) -> None:  # type: ignore[no-untyped-def]
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
        patient_ref=PatientRef("P", "H"),
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


def test_the_nurse_screen_with_two_open_sae_clocks_still_fits_1366x768(qtbot, sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    """Two serious events awaiting their report: the clock line under the checks must not push the
    window past a 768-line screen."""
    import os
    from pathlib import Path

    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db.queries import sql_ports
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork
    from bedside_ui.main_window import MainWindow
    from PySide6.QtCore import QSettings

    from bedside.commands import RecordAdverseEvent
    from bedside.handlers import record_adverse_event
    from bedside.model import PatientRef
    from bedside.parameters import ParameterCatalog
    from bedside.users import Action
    from tests.acting import signs
    from tests.ui.signing import Accounts
    from tests.ui.test_layout import SCREENS, WINDOW_MANAGER
    from tests.ui.test_nurse_screen import DOSE, PATIENT, RULES, fill

    now = DOSE + 40 * 60
    fill(sqlite_engine, now, step=30.0)
    AlertingService(sqlite_engine, RULES).evaluate_patient(PatientRef.parse(PATIENT), now)
    for term in ("Anaphylaxis", "Thromboembolic event"):
        record_adverse_event(
            SqlUnitOfWork(sqlite_engine),
            RecordAdverseEvent(
                patient=PatientRef.parse(PATIENT),
                term=term,
                grade=4,
                relatedness="possible",
                onset=now - 600,
                seriousness=("life_threatening", "medically_important"),
                awareness=now - 300,
                **signs("luis", Action.RECORD_ADVERSE_EVENT, Role.INTENSIVIST, now),
                recorded_at=now,
            ),
        )
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(sqlite_engine),
        ParameterCatalog.load(),
        clock=lambda: now,
        refresh_ms=100,
        settings=settings,
        authenticator=Accounts(),
    )
    qtbot.addWidget(window)
    window.resize(*SCREENS[0])
    window.show()
    try:
        qtbot.waitUntil(lambda: window.checks.sae_label.isVisible(), timeout=15_000)
        assert window.checks.sae_label.text().count("SAE report due") == 2
        least = window.minimumSizeHint()
        assert least.height() <= 768 - WINDOW_MANAGER and least.width() <= 1366, least
    finally:
        window.shutdown()
