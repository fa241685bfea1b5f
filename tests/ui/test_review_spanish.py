"""The review in Spanish: the screen's headers, tabs and notes in Spanish, numbers with the decimal
comma (tables and plot axes), and the CSV for data management unchanged by the language."""

from __future__ import annotations

import csv
import re

import pytest
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.review_store import load_review
from bedside_ui.i18n import install_language
from bedside_ui.review_window import ReviewWindow
from PySide6.QtWidgets import QApplication

from bedside.model import PatientRef
from bedside.review_text import export_csv
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT
from tests.ui.signing import GH, acting_as

DECIMAL_COMMA = re.compile(r"\d,\d")
DECIMAL_POINT = re.compile(r"\d\.\d")


@pytest.fixture
def spanish(qapp: QApplication):  # type: ignore[no-untyped-def]
    install_language(qapp, "es")
    yield
    install_language(qapp, "en")


def headers(table) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def cells(table) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c) is not None
    ]


def test_the_review_reads_in_spanish_with_the_decimal_comma(qtbot, reaction_engine, spanish) -> None:  # type: ignore[no-untyped-def]
    acting = acting_as(GH)
    w = ReviewWindow(sql_ports(reaction_engine), PatientRef.parse(PATIENT), clock=lambda: NOW, acting=acting)
    acting.setParent(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
    assert w.windowTitle() == "Bedside — revisión"
    tabs = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    assert tabs[:3] == ["Paciente", "Medicación concomitante", "Desenlaces"]
    assert headers(w.table)[:3] == ["Marcador", "Valor predosis", "+24 h\n(cambio)"]
    markers = [w.table.item(r, 0).text() for r in range(w.table.rowCount())]
    assert "Cociente P/F (mmHg)" in markers and "Dímero D (mg/L FEU)" in markers
    values = cells(w.table)
    # CRP and lymphocytes carry decimals: written with a comma, never a point, in Spanish.
    assert any(DECIMAL_COMMA.search(v) for v in values)
    assert not any(DECIMAL_POINT.search(v) for v in values)
    assert any("(aún no)" in v for v in values)  # a time point not reached says why, in Spanish
    names = [w.coverage.item(r, 0).text() for r in range(w.coverage.rowCount())]
    assert "Frecuencia cardiaca" in names and "Gasometrías (PaO2)" in names
    assert "intubado" in w.header.text() and "día 28: aún no se sabe" in w.header.text()
    assert w.footer.text().startswith("Alertas clínicas")
    assert headers(w.outcomes_view.table) == ["Desenlace", "Valor", "Origen", "Qué falta"]
    assert headers(w.severity.table)[:3] == ["Día", "Total", "Respiratorio"]
    assert headers(w.co_medication.table)[:2] == ["Dosis", "Cuándo"]
    # The Spanish notes are longer: each wraps onto as many lines as it needs, none is cut.
    w.tabs.setCurrentWidget(w.co_medication)
    notes = w.co_medication.table
    assert notes.rowCount() > 0
    qtbot.waitUntil(
        lambda: all(notes.rowHeight(r) >= notes.sizeHintForRow(r) for r in range(notes.rowCount())),
        timeout=5_000,
    )
    assert any("puede quedar enmascarada" in v for v in cells(notes))
    # A plot's axis numbers with the decimal comma.
    axis = w.plots["lymphocytes"].getAxis("left")
    assert axis.tickStrings([0.5, 1.0, 1.5], 1.0, 0.5) == ["0,5", "1,0", "1,5"]
    w.close()


def test_the_csv_is_the_same_in_every_language(qapp, reaction_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW)
    english = tmp_path / "en.csv"
    export_csv(data, english)
    install_language(qapp, "es")
    try:
        spanish = tmp_path / "es.csv"
        export_csv(load_review(reaction_engine, PatientRef.parse(PATIENT), NOW), spanish)
    finally:
        install_language(qapp, "en")
    assert spanish.read_bytes() == english.read_bytes()
    with spanish.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    numbers = [r["value"] for r in rows if r["value"]]
    assert any("." in n for n in numbers)
    for n in numbers + [r["hours_from_start"] for r in rows if r["hours_from_start"]]:
        float(n)  # a machine reads it: a decimal point, never a comma
    assert any(r["missing"] == "not yet" for r in rows)  # reasons stay in English for machines
