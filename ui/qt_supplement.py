"""Qt's own texts that Qt's shipped Spanish (qtbase_es) leaves in English, translated in Bedside's
catalogue: the file dialog's "Look in:" and "Files of type:" labels (the report's "Save as"), the
type its list gives a folder, a link or a drive, and a refused file name. Qt asks its most recently
installed translator first, Qt's own, and falls back to Bedside's for a text Qt's lacks; each text
here is in Qt's own context, spelled as Qt writes it."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_TEXTS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Folder"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Shortcut"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "File"),
    QT_TRANSLATE_NOOP(
        "QFileSystemModel",
        '<b>The name "%1" cannot be used.</b><p>Try using another name, with fewer characters or no '
        "punctuation marks.",
    ),
)
"""Marks them for the catalogue (lupdate reads this module); nothing calls it."""

DISAMBIGUATED = frozenset(
    {("QAbstractFileIconProvider", "Folder"), ("QAbstractFileIconProvider", "Shortcut")}
)
"""Texts Qt asks for with a disambiguation ("Folder", "All other platforms"), which pyside6-lupdate
cannot mark: marked above without it, and answered for Qt by `bedside_ui.i18n.QtSupplement`."""
