"""Qt's own texts under `--lang es`: a text field's context menu and the standard buttons of a dialog
read in Spanish (Qt's shipped qtbase_es), and in English again after."""

from __future__ import annotations

from bedside_ui.i18n import install_language
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPlainTextEdit

Button = QDialogButtonBox.StandardButton


def _menu(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.text().split("\t")[0] for a in widget.createStandardContextMenu().actions() if a.text()]


def test_context_menus_and_standard_buttons_read_in_spanish(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        install_language(qapp, "es")
        field, note = QLineEdit(), QPlainTextEdit()
        qtbot.addWidget(field)
        qtbot.addWidget(note)
        for menu in (_menu(field), _menu(note)):
            assert {"&Deshacer", "Cor&tar", "&Copiar", "&Pegar", "Seleccionar todo"} <= set(menu), menu
        buttons = QDialogButtonBox(
            Button.Ok | Button.Cancel | Button.Save | Button.Close | Button.Yes | Button.No
        )
        qtbot.addWidget(buttons)
        shown = {b.text() for b in buttons.buttons()}
        assert shown == {"Aceptar", "Cancelar", "Guardar", "Cerrar", "&Sí", "&No"}
    finally:
        install_language(qapp, "en")
    assert "&Copy" in _menu(QLineEdit())
