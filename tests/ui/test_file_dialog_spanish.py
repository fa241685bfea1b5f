"""Qt's own file dialog (the report's "Save as") reads in Spanish under `--lang es`: Qt's shipped
Spanish, with the texts it lacks ("Look in:", "Files of type:", a folder's type) from Bedside's
catalogue, and the file name it offers is Spanish too."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from bedside_ui.i18n import install_language
from bedside_ui.review_exports import suggested_name
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QTreeView

from bedside.model import PatientRef


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


def test_the_file_dialogs_list_names_a_folders_type_in_spanish(qtbot, spanish, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "informes").mkdir()
    dialog = QFileDialog(None, "", str(tmp_path), "PDF (*.pdf)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.show()
    view = next(v for v in dialog.findChildren(QTreeView) if v.isVisible())
    model = view.model()

    def folder_type() -> str:
        root = view.rootIndex()
        rows = [model.index(r, 0, root) for r in range(model.rowCount(root))]
        named = [i for i in rows if i.data() == "informes"]
        return str(named[0].siblingAtColumn(2).data()) if named else ""

    qtbot.waitUntil(lambda: folder_type() != "", timeout=5_000)
    assert folder_type() == "Carpeta"


@pytest.mark.parametrize(
    ("language", "name"), [("en", "bedside-review-SIM4417.pdf"), ("es", "bedside-revision-SIM4417.pdf")]
)
def test_the_report_file_name_offered_is_in_the_readers_language(qapp, language, name) -> None:  # type: ignore[no-untyped-def]
    data = SimpleNamespace(patient=SimpleNamespace(ref=PatientRef.parse("SIM4417^HOSP")))
    install_language(qapp, language)
    try:
        assert suggested_name(data, "pdf") == name  # type: ignore[arg-type]
    finally:
        install_language(qapp, "en")
