"""Why the screen locked, in the status bar's language: the safety log keeps the code ("switch
user"), a person reads "cambio de usuario" on a Spanish screen."""

from __future__ import annotations

import pytest
from bedside_ui.i18n import install_language
from bedside_ui.screen_lock import LOCK_REASONS, lock_reason_text
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("es", "Bloqueada (cambio de usuario): sesión de Ana López cerrada"),
        ("en", "Locked (switch user): Ana López signed out"),
    ],
)
def test_the_lock_reason_in_the_language(qapp: QApplication, language: str, said: str) -> None:
    install_language(qapp, language)
    try:
        line = QCoreApplication.translate("MainWindow", "Locked ({reason}): {name} signed out").format(
            reason=lock_reason_text("switch user"), name="Ana López"
        )
        assert line == said
        if language == "es":
            assert all(lock_reason_text(code) != code for code in LOCK_REASONS)
        assert lock_reason_text("a reason from a newer version") == "a reason from a newer version"
    finally:
        install_language(qapp, "en")
