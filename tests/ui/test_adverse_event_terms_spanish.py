"""The adverse-event form lists the CTCAE terms in the screen's language and stores the English
CTCAE v5.0 term whichever language it was chosen or typed in; a term not in the list is stored as
written; a follow-up shows the stored term in the language."""

from __future__ import annotations

from datetime import datetime

from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.i18n import install_language
from PySide6.QtWidgets import QApplication

from bedside.users import Role, User
from tests.helpers import shown_alert
from tests.listed_events import listed

NOW = datetime(2026, 12, 6, 18, 20).timestamp()
NURSE = User(username="ana", full_name="Ana López", role=Role.NURSE)


def test_terms_listed_in_spanish_stored_in_english(qtbot, qapp: QApplication) -> None:
    install_language(qapp, "es")
    try:
        dialog = AdverseEventDialog([1], [], NURSE, None, NOW)
        qtbot.addWidget(dialog)
        shown = [dialog.term.itemText(i) for i in range(dialog.term.count())]
        assert "Reacción relacionada con la infusión" in shown and "Infusion related reaction" not in shown
        dialog.term.setCurrentIndex(shown.index("Reacción relacionada con la infusión"))
        assert dialog.term_stored() == "Infusion related reaction"
        dialog.term.setCurrentText("fiebre")
        assert dialog.term_stored() == "Fever"
        dialog.term.setCurrentText("Exantema en el brazo")
        assert dialog.term_stored() == "Exantema en el brazo"
    finally:
        install_language(qapp, "en")


def test_terms_in_english_unchanged(qtbot) -> None:
    dialog = AdverseEventDialog([1], [], NURSE, None, NOW)
    qtbot.addWidget(dialog)
    assert dialog.term.itemText(0) == "Infusion related reaction"
    dialog.term.setCurrentIndex(0)
    assert dialog.term_stored() == "Infusion related reaction"


LATEST = listed(
    id=7,
    version=2,
    term="Infusion related reaction",
    grade=3,
    relatedness="possible",
    dose=1,
    onset=NOW - 3600,
    alert_ids=[3],
)
"""A follow-up's latest version, linked to alert #3 (as version 1 linked it)."""
FEVER = shown_alert(3, 1, "F1", "Fever", "low", "raised", NOW - 4000, "Temperature 39.2 °C")


def test_a_follow_up_shows_the_linked_alert_and_keeps_it(qtbot, qapp: QApplication) -> None:
    install_language(qapp, "es")
    try:
        dialog = AdverseEventDialog([1], [FEVER], NURSE, None, NOW, latest=LATEST)
        qtbot.addWidget(dialog)
        assert dialog.alert.currentText().startswith("F1 Fiebre (")
        assert dialog.alert.currentData() == 3 and not dialog.alert.isEnabled()
        assert dialog.term.currentText() == "Reacción relacionada con la infusión"
        assert dialog.fields()["term"] == "Infusion related reaction"
        # Read where the form does not list the alerts (the review): still named, never "no linked alert".
        bare = AdverseEventDialog([1], [], NURSE, None, NOW, latest=LATEST)
        qtbot.addWidget(bare)
        assert bare.alert.currentData() == 3 and "3" in bare.alert.currentText()
        assert bare.alert.currentText() != bare.alert.itemText(0)
    finally:
        install_language(qapp, "en")
