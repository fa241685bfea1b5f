"""The screens in the nurse's language: Qt's translators and locale, and the core's catalogue, set
together so that every text on screen (Qt's and the core's) and every number is in one language.

Qt's catalogues are `resources/i18n/<lang>/*.ts`, one per part of the UI, compiled to `.qm` with
`pyside6-lrelease` by `make translations` (which `make run` and `make test` call). A checkout where
a `.qm` is missing or older than its `.ts` gets it compiled at start into the user's cache, so a
translation is never silently left out.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from bedside_ui.qt_supplement import DISAMBIGUATED
from platformdirs import user_cache_dir
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from bedside import i18n
from bedside.resources import resource_path

log = logging.getLogger(__name__)

LOCALES = {
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
    "es": QLocale(QLocale.Language.Spanish, QLocale.Country.Spain),
}


_held: list[bytes] = []
"""The compiled catalogues the installed translators read, in memory. Qt maps a `.qm` file it loads
by name and reads it in place: a catalogue recompiled while the application runs (`make
translations`) would pull the pages from under it, and the process would die (SIGBUS). Qt does not
copy data it is given, so it is kept here while its translator is installed."""


class EnglishPlurals(QTranslator):
    """English is the source language and has no catalogue, so Qt would show a count's text as
    written ("%n page(s)" → "1 page(s)"). This gives English its two forms: "(s)" dropped for one,
    "s" for any other count ("1 page", "0 pages", "3 pages"); every other text is left to Qt."""

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def,override]
        if n < 0 or "(s)" not in source:
            return None  # not ours: Qt shows the source text
        return source.replace("(s)", "" if n == 1 else "s")

    def isEmpty(self) -> bool:
        return False


class QtSupplement(QTranslator):
    """Answers the texts Qt asks for with a disambiguation that Bedside's catalogue holds without one
    (`bedside_ui.qt_supplement.DISAMBIGUATED`: a folder's type in the file dialog's list)."""

    def __init__(self, parent: QCoreApplication, catalogues: list[QTranslator]) -> None:
        super().__init__(parent)
        self._catalogues = catalogues

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def,override]
        if not disambiguation or (context, source) not in DISAMBIGUATED:
            return None
        for catalogue in self._catalogues:
            said = catalogue.translate(context, source, None, n)
            if said:
                return said
        return None

    def isEmpty(self) -> bool:
        return False


def catalogues(language: str) -> list[Path]:
    """Qt's `.ts` catalogues of one language."""
    return sorted(resource_path("i18n", language).glob("*.ts"))


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.is_file() else shutil.which("pyside6-lrelease")


def compiled(ts: Path) -> Path | None:
    """The `.qm` of a `.ts`: beside it when current, else compiled now into the user's cache."""
    qm = ts.with_suffix(".qm")
    if qm.is_file() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    tool = _lrelease()
    if tool is None:
        log.error("%s is not compiled and pyside6-lrelease was not found: its texts stay in English", ts)
        return None
    cache = Path(user_cache_dir("bedside")) / "i18n" / ts.parent.name
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / qm.name
    subprocess.run([tool, "-silent", str(ts), "-qm", str(out)], check=True, capture_output=True)
    return out


def install_language(app: QCoreApplication, requested: str | None = None) -> str:
    """Use `requested` ("es"), else the system's language: Qt's texts, Qt's own dialogs, numbers and
    dates Qt formats, and the core's texts. Returns the language chosen."""
    language = i18n.set_language(requested)
    QLocale.setDefault(LOCALES[language])
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    _held.clear()
    if language == i18n.SOURCE:
        app.installTranslator(EnglishPlurals(app))  # parented: kept alive as long as the application
        return language
    loaded: list[QTranslator] = []
    for ts in catalogues(language):
        qm = compiled(ts)
        translator = QTranslator(app)  # parented: kept alive as long as the application
        data = qm.read_bytes() if qm is not None else b""
        if not data or not translator.load(data):
            log.error("Qt catalogue %s could not be loaded: its texts stay in English", ts)
            continue
        _held.append(data)
        app.installTranslator(translator)
        loaded.append(translator)
    app.installTranslator(QtSupplement(app, loaded))
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(LOCALES[language], "qtbase", "_", qt_dir):
        app.installTranslator(qt_own)  # Qt's standard buttons and dialogs (Cancel, Save...)
    return language
