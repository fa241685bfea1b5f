"""The question asked before closing with an alert unacknowledged reads in Spanish: its plural is
filed under the window's own translation context (where `self.tr` looks it up at run time)."""

from __future__ import annotations

import inspect

from bedside_ui import main_window
from bedside_ui.i18n import install_language
from PySide6.QtCore import QCoreApplication

SOURCE = (
    "%n High or escalated alert(s) not acknowledged. Once closed, Bedside no longer shows or sounds "
    "any alert; the monitor and the pump keep their own alarms."
)


def test_the_close_question_is_in_spanish_singular_and_plural(qapp) -> None:  # type: ignore[no-untyped-def]
    assert SOURCE.split("%n ")[1][:20] in inspect.getsource(main_window.MainWindow._close_confirmed)
    install_language(qapp, "es")
    try:
        one = QCoreApplication.translate("MainWindow", SOURCE, "", 1)
        two = QCoreApplication.translate("MainWindow", SOURCE, "", 2)
    finally:
        install_language(qapp, "en")
    assert one.startswith("1 alerta alta o escalada sin reconocer")
    assert two.startswith("2 alertas altas o escaladas sin reconocer")
