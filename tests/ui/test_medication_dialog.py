"""Co-medication recorded from the nurse's screen: the dialog's required choices (none preselected),
its refusal shown in place, the write through the handler with its safety-log entry, and its size
on a 1366x768 screen."""

from __future__ import annotations

from datetime import UTC

import pytest
from bedside_adapters.db.co_medication_store import administrations
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.safety_store import log_listing
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_ui.i18n import install_language
from bedside_ui.main_window import MainWindow
from bedside_ui.medication_dialog import RecordMedicationDialog
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialogButtonBox

from bedside.co_medication import DrugClass
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from tests.helpers import adt_a01
from tests.ui.signing import AB, sign_when_asked
from tests.ui.test_layout import WINDOW_MANAGER, check_dialog
from tests.ui.test_nurse_screen import answer_dialog
from tests.ui.test_nurse_screen import window_for as nurse_window

NOW = 1_790_000_000.0
REF = "MRN1^HOSP"


@pytest.fixture
def admitted(sqlite_engine):
    pipeline = IngestPipeline(IngestStore(sqlite_engine), ParameterCatalog.load(), lambda: NOW, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    return sqlite_engine


def stored(engine):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return administrations(conn, PatientRef.parse(REF))


def window_for(qtbot, engine) -> MainWindow:  # type: ignore[no-untyped-def]
    window = nurse_window(qtbot, engine, NOW, AB)
    qtbot.waitUntil(lambda: window.medication_button.isEnabled(), timeout=15_000)
    return window


def test_a_medication_recorded_from_the_screen_is_stored_and_logged(qtbot, admitted) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, admitted)
    states: list[bool] = []
    at = NOW - 2 * 3600

    def enter(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, RecordMedicationDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        for box in (dialog.drug_class, dialog.unit, dialog.route):
            assert box.currentData() is None  # a required choice, never a default
        dialog.drug.setText("Paracetamol")
        dialog.dose.setText("1")
        dialog.drug_class.setCurrentIndex(dialog.drug_class.findData("antipyretic"))
        dialog.unit.setCurrentIndex(dialog.unit.findData("g"))
        states.append(ok.isEnabled())  # the route is still to choose
        dialog.route.setCurrentIndex(dialog.route.findData("IV"))
        states.append(ok.isEnabled())
        dialog.start.setDateTime(QDateTime.fromSecsSinceEpoch(int(at)))

    answer_dialog(enter)
    sign_when_asked(AB)  # a record from a screen is signed by the user signed in, as on the command line
    qtbot.mouseClick(window.medication_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(stored(admitted)), timeout=15_000)
    assert states == [False, True]
    [given] = stored(admitted)
    assert (given.drug, given.drug_class, given.dose, given.unit, given.route, given.start) == (
        "Paracetamol",
        DrugClass.ANTIPYRETIC,
        1.0,
        "g",
        "IV",
        at,
    )
    assert (given.source.value, given.source_id) == ("entered", AB.username)
    entries = [e for e in log_listing(admitted, MrnQuery("MRN1")) if e["kind"] == "medication.recorded"]
    assert len(entries) == 1 and entries[0]["actor"] == AB.username
    signature = entries[0]["payload"]["signature"]
    assert (signature["role"], signature["meaning"]) == (
        "nurse",
        "Recorded: this drug was given as I entered it",
    )


def test_a_refused_entry_stays_open_with_the_reason(qtbot) -> None:  # type: ignore[no-untyped-def]
    from bedside.model import PatientRef

    dialog = RecordMedicationDialog(PatientRef.parse(REF), NOW, AB)
    qtbot.addWidget(dialog)
    dialog.drug.setText("Dexamethasone")
    dialog.dose.setText("six")
    for box, value in ((dialog.drug_class, "corticosteroid"), (dialog.unit, "mg"), (dialog.route, "IV")):
        box.setCurrentIndex(box.findData(value))
    dialog.show()
    dialog.accept()
    assert dialog.isVisible() and dialog.command is None
    assert dialog.error.text() == "The dose 'six' is not a number."
    dialog.dose.setText("0")
    dialog.accept()
    assert dialog.error.text() == "The dose must be a number above 0."
    dialog.dose.setText("6")
    dialog.accept()
    assert dialog.command is not None and dialog.command.drug_class == "corticosteroid"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_dialog_fits_a_1366x768_screen(qtbot, qapp, admitted, language) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, language)  # before the window and the dialog are built
    try:
        window = window_for(qtbot, admitted)
        found = check_dialog(qtbot, window, window.medication_button.click, "Record medication")
        assert found == []
        dialog = RecordMedicationDialog(window._patient, NOW, AB, window)
        qtbot.addWidget(dialog)
        hint = dialog.sizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768 - WINDOW_MANAGER
    finally:
        install_language(qapp, "en")


def test_what_is_signed_reads_the_dose_with_the_languages_decimal_comma(qtbot, qapp, admitted) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, "es")
    try:
        window = window_for(qtbot, admitted)
        signing: list[str] = []

        def enter(dialog) -> None:  # type: ignore[no-untyped-def]
            dialog.drug.setText("Adrenalina")
            dialog.dose.setText("0,5")
            dialog.drug_class.setCurrentIndex(dialog.drug_class.findData("vasopressor"))
            dialog.unit.setCurrentIndex(dialog.unit.findData("mg"))
            dialog.route.setCurrentIndex(dialog.route.findData("IM"))

        answer_dialog(enter)
        window._sign = lambda action, what: signing.append(what)  # type: ignore[method-assign]
        qtbot.mouseClick(window.medication_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(signing), timeout=15_000)
        assert "Adrenalina 0,5 mg IM" in signing[0] and "0.5" not in signing[0]
    finally:
        install_language(qapp, "en")
