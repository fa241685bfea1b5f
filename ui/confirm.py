"""A question that guards a step easy to take by mistake: the safe answer (Cancel) is the default,
the other button names what it does."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, go: str) -> bool:
    """Ask `text`; True only when the person pressed the button labelled `go`. The box is kept as
    `parent.dialog` while it is open, as the screen's other dialogs are (tests answer it there)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, parent)
    go_button = box.addButton(go, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    parent.dialog = box  # type: ignore[attr-defined]
    box.exec()
    return box.clickedButton() is go_button
