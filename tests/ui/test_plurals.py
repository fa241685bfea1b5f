"""A count's text takes the language's plural form: English "1 page" and "3 pages" (English is the
source language and has no catalogue), Spanish "1 página" and "3 páginas", agreeing with the noun."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bedside_ui.i18n import install_language
from bedside_ui.report_command import ReportCommand
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

WRITTEN = {"file": "r.pdf", "pages": 1, "sha256": "ab" * 32}


@pytest.fixture
def language(qapp: QApplication) -> Iterator[str]:
    yield "en"
    install_language(qapp, "en")


def _pages(n: int) -> str:
    return QCoreApplication.translate("ReviewWindow", "{file}, %n page(s)", "", n).format(file="r.pdf")


def test_english_counts_read_singular_and_plural(qapp, language) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, "en")
    assert (_pages(1), _pages(0), _pages(3)) == ("r.pdf, 1 page", "r.pdf, 0 pages", "r.pdf, 3 pages")
    said = ReportCommand().written(WRITTEN, "t.csv", 1)
    assert said == f"Report written to r.pdf: 1 page; SHA-256 {'ab' * 32}. Its tables in t.csv: 1 row."
    assert "(s)" not in ReportCommand().written({**WRITTEN, "pages": 12}, "t.csv", 40)
    # A text without a count is left as written.
    assert QCoreApplication.translate("ReviewWindow", "Marker") == "Marker"


def test_spanish_counts_take_the_spanish_forms(qapp, language) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, "es")
    assert (_pages(1), _pages(3)) == ("r.pdf, 1 página", "r.pdf, 3 páginas")
    said = ReportCommand().written({**WRITTEN, "pages": 4}, "t.csv", 1)
    assert said == f"Informe escrito en r.pdf: 4 páginas; SHA-256 {'ab' * 32}. Sus tablas en t.csv: 1 fila."
    assert ReportCommand().progress(100, "página 4").startswith("informe: 100 %")
