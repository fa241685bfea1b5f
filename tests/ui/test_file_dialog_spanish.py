"""Qt's own file dialog (the report's "Save as") reads in Spanish under `--lang es`: Qt's shipped
Spanish, with the texts it lacks ("Look in:", "Files of type:") from Bedside's catalogue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bedside_ui.i18n import install_language
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    install_language(qapp, "es")
    yield
    install_language(qapp, "en")


@pytest.mark.parametrize("mode", [QFileDialog.AcceptMode.AcceptSave, QFileDialog.AcceptMode.AcceptOpen])
def test_the_file_dialog_reads_in_spanish(qtbot, spanish, tmp_path, mode) -> None:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "", str(tmp_path), "PDF (*.pdf)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(mode)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = {w.text() for w in dialog.findChildren(QLabel) if w.text()}
    buttons = {w.text() for w in dialog.findChildren(QAbstractButton) if w.text()}
    assert {"&Buscar en:", "&Nombre de fichero:", "Ficheros de &tipo:"} <= labels
    assert "Cancelar" in buttons and buttons & {"&Guardar", "&Abrir"}
    english = {"&Look in:", "File &name:", "Files of &type:", "Cancel", "&Save", "&Open"}
    assert not (labels | buttons) & english
