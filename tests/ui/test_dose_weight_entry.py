"""The dose's weight in the start-dose dialog: a text with the language's thousands separator
("1.234,5", "1,234.5") is read whole, never cut at the separator, and a weight outside an adult ICU
patient's plausible range is refused with the range in the language, the dialog left open."""

from __future__ import annotations

from datetime import datetime

import pytest
from bedside_ui.dialogs import StartDoseDialog
from bedside_ui.i18n import install_language
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bedside.users import Role, User

NOW = datetime(2026, 12, 6, 18, 20).timestamp()
NURSE = User(username="ana", full_name="Ana López", role=Role.NURSE)


@pytest.mark.parametrize(
    ("language", "typed", "refusal"),
    [
        ("es", "1.234,5", "Peso para la dosis 1234,5 kg está fuera de 30-300 kg: compruebe el valor."),
        ("es", "0,8", "Peso para la dosis 0,8 kg está fuera de 30-300 kg: compruebe el valor."),
        ("en", "1,234.5", "Dosing weight 1234.5 kg is outside 30-300 kg: check the value."),
        ("es", "72,5", ""),
        ("en", "72.5", ""),
    ],
)
def test_the_dose_weight_is_read_whole_and_an_implausible_one_refused(
    qtbot, qapp: QApplication, language: str, typed: str, refusal: str
) -> None:
    install_language(qapp, language)
    try:
        dialog = StartDoseDialog(1, NOW, NURSE)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.weight.lineEdit().selectAll()
        dialog.weight.lineEdit().insert(typed)  # as pasted: the whole text at once
        dialog.accept()
        assert dialog.error.isVisible() == bool(refusal)
        assert dialog.error.text() == refusal
        assert dialog.result() == (0 if refusal else 1)
        if not refusal:
            assert dialog.weight.value() == 72.5
    finally:
        install_language(qapp, "en")


def test_a_weight_typed_key_by_key_with_a_thousands_point_is_never_taken_cut(
    qtbot, qapp: QApplication
) -> None:
    install_language(qapp, "es")
    try:
        dialog = StartDoseDialog(1, NOW, NURSE)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.weight.lineEdit().selectAll()
        QTest.keyClicks(dialog.weight, "1.234,5")
        dialog.accept()
        # Whatever the box kept of it, it is no weight silently taken: refused with the range.
        assert dialog.error.isVisible() and "fuera de 30-300 kg" in dialog.error.text()
        assert dialog.result() == 0
    finally:
        install_language(qapp, "en")
