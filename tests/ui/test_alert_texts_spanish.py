"""Every screen that shows an alert's title or message shows the rule's text in the screen's language
(the Alerts list with its signature's meaning, the acknowledge dialog, the trend chart's markers, the ward tiles, the adverse-event
form's linked alert, the mute dialog's sounding alerts), with the decimal comma in Spanish; what is
stored stays English."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.alert_list import AlertListDialog
from bedside_ui.alert_marks import describe
from bedside_ui.alert_words import alert_message, alert_title
from bedside_ui.bed_tile import BedTile
from bedside_ui.dialogs import AckDialog
from bedside_ui.i18n import install_language
from bedside_ui.theme import THEMES
from PySide6.QtWidgets import QApplication, QLabel

from bedside.model import Patient, PatientRef
from bedside.rules.messages import message
from bedside.rules.ruleset import RuleSet
from bedside.users import Role, SignedBy, User
from bedside.ward import BedView, DoseState, WardView
from tests.helpers import shown_alert

RULES = RuleSet.load()
NOW = datetime(2026, 12, 6, 18, 20).timestamp()
NURSE = User(username="ana", full_name="Ana López", role=Role.NURSE)
FEVER = shown_alert(
    3,
    1,
    "F1",
    "Fever",
    "low",
    "raised",
    NOW - 600,
    message(RULES.rule("F1").message, {"temp": 39.2, "base.temp": 37.1}),
)
SPANISH = {
    "title": "Fiebre",
    "message": "Temperatura 39,2 °C, al menos 38,0 °C (basal 37,1 °C",
    "signature": "enfermería · Reconocida: he visto esta alerta",
}
ENGLISH = {
    "title": "Fever",
    "message": "Temperature 39.2 °C, at least 38.0 °C (pre-dose 37.1 °C",
    "signature": "nurse · Acknowledged: I have seen this alert",
}


@pytest.fixture(params=["en", "es"])
def words(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[dict[str, str]]:
    install_language(qapp, request.param)
    yield SPANISH if request.param == "es" else ENGLISH
    install_language(qapp, "en")


def test_the_alert_words_in_the_screens_language(words) -> None:
    assert alert_title(FEVER, RULES) == words["title"]
    assert alert_message(FEVER).startswith(words["message"])
    assert FEVER.message.startswith(ENGLISH["message"])  # the stored text stays English


def test_the_acknowledge_dialog_reads_the_alert_in_the_language(qtbot, words) -> None:
    dialog = AckDialog(FEVER, NURSE, None, RULES)
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"F1 {words['title']}</b>" in text
    assert words["message"] in text


def test_the_trend_markers_name_the_alert_in_the_language(words) -> None:
    assert describe([FEVER], RULES).endswith(f"F1 {words['title']}")
    assert describe([FEVER]).endswith(f"F1 {words['title']}")


def test_the_ward_tile_names_the_top_problem_in_the_language(qtbot, words) -> None:
    tile = BedTile("MRN1^HOSP", THEMES["dark"])
    qtbot.addWidget(tile)
    tile.rules = RULES
    bed = BedView(
        Patient(PatientRef.parse("MRN1^HOSP"), "Ruiz", "Eva"),
        DoseState.NONE,
        None,
        (FEVER,),
        (),
        (),
        (FEVER,),
    )
    tile.show_bed(bed, WardView(NOW, (bed,), NOW, "r", NOW), current=True)
    assert f"</b> {words['title']} · " in tile.alerts_label.text()


def test_the_adverse_event_form_names_the_linked_alert_in_the_language(qtbot, words) -> None:
    dialog = AdverseEventDialog([1], [FEVER], NURSE, None, NOW, rules=RULES)
    qtbot.addWidget(dialog)
    assert dialog.alert.itemText(1).startswith(f"F1 {words['title']} (")


def test_the_adverse_event_form_names_a_stopped_feed_by_its_title_alone(qtbot, words) -> None:
    stale = replace(FEVER, id=2, rule_id="STALE", title="Feed stopped")
    dialog = AdverseEventDialog([1], [stale], NURSE, None, NOW, rules=RULES)
    qtbot.addWidget(dialog)
    assert "STALE" not in dialog.alert.itemText(1)


def test_the_alert_list_reads_title_message_and_signature_in_the_language(qtbot, words) -> None:
    signed = SignedBy("Ana López", "nurse", "Acknowledged: I have seen this alert", NOW - 300)
    acked = replace(FEVER, state="acknowledged", acked_by="ana", acked_at=NOW - 300, ack_signature=signed)
    dialog = AlertListDialog({"low": 30.0}, "secondary display", clock=lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show_alerts([acked], [])
    assert dialog.table.item(0, 2).text() == words["title"]
    assert dialog.table.item(0, 2).toolTip().startswith(words["message"])
    assert dialog.table.item(0, 9).text() == words["signature"]


@pytest.mark.parametrize("count", [1, 2])
def test_the_ward_tile_agrees_acknowledged_with_the_count(qtbot, qapp, count: int) -> None:  # type: ignore[no-untyped-def]
    # "1 baja", "2 bajas": the severity agrees with how many alerts it counts.
    acked = tuple(
        shown_alert(10 + i, 1, "F1", "Fever", "low", "acknowledged", NOW - 600 + i, FEVER.message)
        for i in range(count)
    )
    install_language(qapp, "es")
    try:
        tile = BedTile("MRN1^HOSP", THEMES["dark"])
        qtbot.addWidget(tile)
        tile.rules = RULES
        bed = BedView(
            Patient(PatientRef.parse("MRN1^HOSP"), "Ruiz", "Eva"), DoseState.NONE, None, acked, (), (), acked
        )
        tile.show_bed(bed, WardView(NOW, (bed,), NOW, "r", NOW), current=True)
        said = tile.alerts_label.text()
    finally:
        install_language(qapp, "en")
    counted = "abiertas: 1 (1 baja)" if count == 1 else "abiertas: 2 (2 bajas)"
    assert f"{counted}; por reconocer: 0" in said, said


def test_a_stopped_feed_is_named_by_its_title_alone(qtbot, words) -> None:  # type: ignore[no-untyped-def]
    stale = replace(FEVER, rule_id="STALE", title="Feed stopped", message="No monitor values for 79 s.")
    title = "Señal detenida" if words is SPANISH else "Feed stopped"
    said = describe([stale], RULES)
    assert said.endswith(f" {title}") and "STALE" not in said, said
    dialog = AckDialog(stale, NURSE, None, RULES)
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"{title}</b>" in text and "STALE" not in text, text
