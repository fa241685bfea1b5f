"""The dialogs in both languages: each fits a 1366x768 screen with every text whole (Spanish is
longer), shows its texts in Spanish once the language is Spanish, keeps the stored value of each
choice while its label is translated, takes a decimal comma (and still a point) where a number is
typed, and writes dates with the language's months."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from types import SimpleNamespace

import pytest
from bedside_ui import adverse_history
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.dialogs import (
    AckDialog,
    ConfirmDoseDialog,
    MuteDialog,
    RecordVitalsDialog,
    SignCheckDialog,
    StartDoseDialog,
    StopDoseDialog,
)
from bedside_ui.i18n import install_language
from bedside_ui.login_dialog import DemoAccount, LoginDialog
from bedside_ui.medication_dialog import RecordMedicationDialog
from bedside_ui.signature_dialog import SignatureDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from bedside.model import PatientRef
from bedside.session import Session, SignatureRequest
from bedside.users import IMPLIED_MEANING, Action, Role, User
from tests.listed_events import listed
from tests.ui.signing import Accounts
from tests.ui.test_layout import WINDOW_MANAGER, misfits

NOW = datetime(2026, 12, 6, 14, 30).timestamp()
"""A December afternoon: the month's abbreviation differs between the languages (Dec, dic)."""
PATIENT = PatientRef.parse("MRN1^HOSP")
NURSE = User(username="ana", full_name="María de los Ángeles Castellanos Villanueva", role=Role.NURSE)
DOCTOR = User(username="luis", full_name="Luis Ortega Fernández-Villaverde", role=Role.INTENSIVIST)
ALERT = SimpleNamespace(
    id=7,
    severity="high",
    rule_id="C1",
    title="Infusion reaction",
    message="Temperature 38.9 °C, +1.4 °C from baseline, 35 min after the start of dose 2",
    fired_at=NOW - 900,
)
DOSE = SimpleNamespace(dose=2, source="pcd10", start=NOW - 2400)


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The language set before a dialog is built, and English again after the test."""
    install_language(qapp, request.param)
    yield request.param
    install_language(qapp, "en")


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    install_language(qapp, "es")
    yield
    install_language(qapp, "en")


def _adverse_event(user: User) -> QDialog:
    dialog = AdverseEventDialog([1, 2], [ALERT], user, now=NOW)
    dialog.term.setCurrentText("Infusion related reaction")
    dialog.accept()  # the refusal's line shown too: its height counts
    return dialog


def _vitals() -> QDialog:
    dialog = RecordVitalsDialog(PATIENT, NOW, NURSE)
    dialog.show()
    dialog.accept()  # nothing entered: the refusal shown
    return dialog


def _medication() -> QDialog:
    dialog = RecordMedicationDialog(PATIENT, NOW, NURSE)
    dialog.dose.setText("six")
    dialog.show()
    dialog.accept()
    return dialog


def _signature(action: Action, both: bool) -> QDialog:
    request = SignatureRequest(action, DOCTOR, IMPLIED_MEANING.get(action), both_components=both)
    return SignatureDialog(request, Accounts(), Session(60), "the adverse event Fever, grade 2")


def _history(monkeypatch: pytest.MonkeyPatch) -> QDialog:
    # The history's lines are the review's text (its own catalogue); this measures the dialog's own.
    monkeypatch.setattr(adverse_history, "adverse_event_history", lambda data: [])
    events = [listed(id=1, term="Anaphylaxis", grade=4, seriousness=("death",))]
    data = SimpleNamespace(
        adverse_events=events,
        now=NOW,
        outcomes=SimpleNamespace(died=None),
        log=[],
        events=[],
        death_awareness=None,
    )
    return adverse_history.AdverseEventHistoryDialog(data, None, None)  # type: ignore[arg-type]


DIALOGS: dict[str, Callable[[pytest.MonkeyPatch], QDialog]] = {
    "acknowledge": lambda _: AckDialog(ALERT, NURSE),
    "mute": lambda _: MuteDialog(2.5, "HIGH C1 Infusion reaction, MEDIUM C3 Hypoxaemia", NURSE),
    "start dose": lambda _: StartDoseDialog(
        2, NOW, NURSE, gaps=["no baseline set", "no labs in 24 h", "no blood gas in 6 h"]
    ),
    "stop dose": lambda _: StopDoseDialog(2, NOW, NURSE),
    "confirm start": lambda _: ConfirmDoseDialog(DOSE, NURSE),
    "sign check": lambda _: SignCheckDialog(
        [("t15", "15 min"), ("t60", "60 min")], "T 38.9 °C, HR 118, BP 92/51 (65), SpO2 93", NURSE
    ),
    "record vitals": lambda _: _vitals(),
    "adverse event, intensivist": lambda _: _adverse_event(DOCTOR),
    "adverse event, nurse": lambda _: _adverse_event(NURSE),
    "record medication": lambda _: _medication(),
    "signature, both components": lambda _: _signature(Action.ACKNOWLEDGE, True),
    "signature with its meaning stated": lambda _: _signature(Action.RECORD_ADVERSE_EVENT, False),
    "login": lambda _: LoginDialog(
        Accounts(),
        last_user=DOCTOR,
        demo_accounts=[
            DemoAccount(u.username, "pw-" + u.username, str(u.role), u.full_name) for u in (NURSE, DOCTOR)
        ],
    ),
    "adverse events history": _history,
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_each_dialog_fits_1366x768_with_every_text_whole(qtbot, language, name, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog = DIALOGS[name](monkeypatch)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    hint = dialog.sizeHint().expandedTo(dialog.minimumSize())
    assert max(hint.width(), dialog.width()) <= 1366, (language, name, hint, dialog.size())
    assert max(hint.height(), dialog.height()) <= 768 - WINDOW_MANAGER, (language, name, hint, dialog.size())
    assert misfits(dialog) == [], (language, name)
    dialog.reject()


def test_the_adverse_event_form_in_spanish_keeps_the_stored_values(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    d = AdverseEventDialog([1, 2], [ALERT], DOCTOR, now=NOW)
    qtbot.addWidget(d)
    assert d.windowTitle() == "Registrar un acontecimiento adverso"
    d.term.setCurrentText("Hypotension")
    d.grade.setCurrentIndex(d.grade.findData(3))
    assert d.grade.currentText() == "3: grave o médicamente significativo"
    d.relatedness.setCurrentIndex(d.relatedness.findData("unlikely"))
    assert d.relatedness.currentText() == "improbable"
    d.onset.set(NOW - 1200)
    d.criteria["hospitalisation"].setChecked(True)
    assert d.criteria["hospitalisation"].text() == "hospitalización/prolongación"
    d.outcome.setCurrentIndex(d.outcome.findData("recovering"))
    d.action_taken.setCurrentIndex(d.action_taken.findData("stopped"))
    f = d.fields()
    assert (f["grade"], f["relatedness"], f["seriousness"]) == (3, "unlikely", ("hospitalisation",))
    assert (f["outcome"], f["action_taken"]) == ("recovering", "stopped")
    assert d.derived.text().startswith("Carácter esperado: inesperado (ISR, versión 1.0)")
    d.awareness.now_button.click()
    assert d.awareness.now_button.text() == "Ahora"
    # The 24-hour deadline in Spanish order and months: 7 December, 14:30.
    assert "notificación al promotor antes del 07 dic 14:30" in d.derived.text()
    # The linked alert by its rule's Spanish title (what is stored is English).
    assert "C1 Patrón de tipo anafilaxia (06 dic 14:15)" in [
        d.alert.itemText(i) for i in range(d.alert.count())
    ]


def test_the_adverse_event_form_in_spanish_refuses_in_spanish(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    d = AdverseEventDialog([1], [], NURSE, now=NOW)
    qtbot.addWidget(d)
    d.show()
    d.term.setCurrentText("Fever")
    d.accept()
    assert d.isVisible() and d.error.isVisible()
    assert d.error.text().endswith(": no se registra nada hasta que se elijan.")
    # A nurse documents relatedness as not yet assessed: the label translated, the value the code's.
    assert (
        d.relatedness.currentText() == "aún no evaluado" and d.fields()["relatedness"] == "not yet assessed"
    )
    assert "Por" in [
        d.form.itemAt(i, d.form.ItemRole.LabelRole).widget().text()
        for i in range(d.form.rowCount())
        if d.form.itemAt(i, d.form.ItemRole.LabelRole)
    ]


def test_vital_signs_take_a_decimal_comma_or_a_point_in_spanish(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    dialog = RecordVitalsDialog(PATIENT, NOW, NURSE)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Registrar constantes vitales"
    assert dialog.temp.placeholderText() == "p. ej. 38,4"  # the example with the comma a nurse types
    assert dialog.temp_site.itemText(dialog.temp_site.findData("tympanic")) == "timpánica"
    dialog.show()
    dialog.temp.setText("38,4")
    dialog.temp_site.setCurrentIndex(dialog.temp_site.findData("tympanic"))
    dialog.sys.setText("85")
    dialog.dia.setText("50")
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        dialog.accept()
    assert dialog.command is not None
    assert (dialog.command.temp, dialog.command.temp_site, dialog.command.sys) == (38.4, "tympanic", 85.0)
    point = RecordVitalsDialog(PATIENT, NOW, NURSE)
    qtbot.addWidget(point)
    point.show()
    point.temp.setText("38.4")
    point.temp_site.setCurrentIndex(point.temp_site.findData("core"))
    with qtbot.waitSignal(point.accepted, timeout=5_000):
        point.accept()
    assert point.command is not None and point.command.temp == 38.4


def test_a_refused_vital_sign_names_its_field_in_spanish(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    dialog = RecordVitalsDialog(PATIENT, NOW, NURSE)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.hr.setText("noventa")
    dialog.accept()
    assert dialog.isVisible() and dialog.command is None
    assert dialog.error.text().startswith("Frecuencia cardiaca: 'noventa'")


def test_dose_and_weight_take_a_decimal_comma_or_a_point_and_show_the_comma(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    dialog = StartDoseDialog(1, NOW, NURSE)
    qtbot.addWidget(dialog)
    dialog.show()
    for box, typed, value in ((dialog.weight, "70.5", 70.5), (dialog.cells_per_kg, "1,25", 1.25)):
        box.lineEdit().selectAll()
        QTest.keyClicks(box, typed)
        box.interpretText()
        assert box.value() == value, (typed, box.value())
    dialog.weight.lineEdit().selectAll()
    QTest.keyClicks(dialog.weight, "71,25")
    dialog.weight.interpretText()
    assert dialog.weight.value() == 71.25
    assert dialog.weight.text() == "71,25 kg"  # shown with the language's separator
    assert dialog.cells_per_kg.text() == "1,25 ×10⁶ células/kg"


def test_a_medication_dose_takes_a_decimal_comma_in_spanish(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    dialog = RecordMedicationDialog(PATIENT, NOW, NURSE)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Registrar medicación"
    dialog.drug.setText("Paracetamol")
    dialog.dose.setText("0,5")
    for box, value in ((dialog.drug_class, "antipyretic"), (dialog.unit, "g"), (dialog.route, "IV")):
        box.setCurrentIndex(box.findData(value))
    dialog.show()
    dialog.accept()
    assert dialog.command is not None, dialog.error.text()
    assert (dialog.command.dose, dialog.command.unit, dialog.command.route) == (0.5, "g", "IV")
    dialog = RecordMedicationDialog(PATIENT, NOW, NURSE)
    qtbot.addWidget(dialog)
    dialog.dose.setText("seis")
    dialog.show()
    dialog.accept()
    assert dialog.error.text() == "La dosis «seis» no es un número."


def test_dates_in_spanish_order_and_months(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    ack = AckDialog(ALERT, NURSE)
    qtbot.addWidget(ack)
    assert ack.windowTitle() == "Reconocer alerta"
    intro = ack.findChildren(type(ack.form.labelForField(ack.comment)))[0].text()
    assert "<b>ALTA C1 Patrón de tipo anafilaxia</b> desde el 06 dic 14:15" in intro
    stop = StopDoseDialog(2, NOW, NURSE)
    qtbot.addWidget(stop)
    assert stop.windowTitle() == "Finalizar la dosis 2"
    assert "dic" in stop.at.text() and stop.at.text().startswith("06 ")
    confirm = ConfirmDoseDialog(DOSE, NURSE)
    qtbot.addWidget(confirm)
    texts = [label.text() for label in confirm.findChildren(type(confirm.form.labelForField(confirm.at)))]
    assert any(t.startswith("La bomba comunicó un inicio el 06 dic 13:50.") for t in texts), texts


def test_the_sign_in_and_the_signature_speak_spanish(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    login = LoginDialog(Accounts(), last_user=NURSE)
    qtbot.addWidget(login)
    assert login.windowTitle() == "Iniciar sesión"
    assert login.buttons.button(login.buttons.StandardButton.Ok).text() == "Iniciar sesión"
    login.show()
    login.username.setText("nobody")
    login.password.setText("wrong")
    login.accept()
    qtbot.waitUntil(lambda: login.error.text().startswith("No se ha iniciado sesión:"), timeout=5_000)
    sign = _signature(Action.ACKNOWLEDGE, True)
    qtbot.addWidget(sign)
    assert sign.sign_button.text() == "Firmar"
    assert sign.printed_name.text() == f"<b>{DOCTOR.full_name}</b> (intensivista)"
    # The meaning shown before signing is in Spanish; the one signed and stored stays English.
    assert sign.implied is not None and sign.implied.text() == "Reconocida: he visto esta alerta"
    assert IMPLIED_MEANING[Action.ACKNOWLEDGE] == "Acknowledged: I have seen this alert"
