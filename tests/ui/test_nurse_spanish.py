"""The nurse's screen and the ward overview in Spanish: their texts translated, the numbers a nurse
reads with a decimal comma (a temperature of 38,4, never 38.4 beside a Spanish label), the trend
plots' axes with the decimal comma and Spanish weekday and month names, and the ward overview whole
at 1366x768 and 1920x1080. The language is set before the windows are built, English again after."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from bedside_ui.i18n import install_language
from bedside_ui.plot_frame import LocalDateAxis, StackAxis, local_tick
from bedside_ui.theme import severity_text
from PySide6.QtWidgets import QApplication

from bedside import i18n
from bedside.nurse_screen import SECONDARY_NOTICE
from tests.ui.test_layout import misfits
from tests.ui.test_nurse_screen import reacting, window_for  # noqa: F401  (reacting: the fixture)
from tests.ui.test_ward_overview import NOW, REACTING, close, ward_db, ward_for  # noqa: F401  (ward_db: the fixture)

POINT_DECIMAL = re.compile(r"\d\.\d")


@pytest.fixture
def spanish(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    install_language(qapp, "es")
    try:
        yield
    finally:
        install_language(qapp, "en")


@pytest.mark.usefixtures("spanish")
def test_the_nurse_screen_in_spanish_with_decimal_commas(qtbot, reacting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    engine, now = reacting
    window = window_for(qtbot, engine, now)
    try:
        qtbot.waitUntil(
            lambda: bool(window.status.alerts) and window.numerics.tiles["temp"].reading is not None,
            timeout=15_000,
        )
        assert window.windowTitle() == "Bedside"
        assert window.sign_button.text() == "Firmar control…"
        assert window.vitals_button.text() == "Registrar constantes…"
        assert window.review_button.text() == "Revisión…"
        assert window.trends.follow_button.text() == "● En directo"
        assert window.trends.preset_buttons["Course"].text() == "Evolución"
        assert window.header.session_bar.sign_in_button.text().startswith("Bloqueada — iniciar sesión")
        assert "Señales" in window.feeds_label.text()
        # The statement that Bedside is a secondary alarm system: the core's text, translated.
        assert window.notice_label.text() == i18n._(SECONDARY_NOTICE)
        # The temperature has one decimal: a comma in the tile and in its trend's title.
        temp = window.numerics.tiles["temp"]
        assert temp.reading is not None and temp.reading.value is not None
        assert temp.value.text() == f"{temp.reading.value:.1f}".replace(".", ",")
        assert not POINT_DECIMAL.search(temp.base.text())
        title = window.trends.plot("Temperature").title_item.toPlainText()
        assert title.startswith(i18n._("Temperature")) and re.search(r"\d,\d", title), title
        # Severity words in Spanish wherever the screen writes one itself.
        severities = {a.severity for a in window.status.alerts}
        flags = " ".join(t.flag.text() for t in window.numerics.tiles.values())
        assert severity_text("high") == "ALTA" and "HIGH" not in flags
        # A tile's flag is the alert's priority, never a bare word beside the value ("68/36 ● ALTA").
        assert any(f"● alerta {severity_text(s).lower()}" in flags for s in severities), flags
        assert not re.search(r"● (ALTA|MEDIA|BAJA)\b", flags), flags
        # The Alerts list's headers and states.
        window.show_alert_list()
        listed = window.alert_list
        assert listed is not None
        headers = [listed.table.horizontalHeaderItem(i).text() for i in range(listed.table.columnCount())]
        assert headers[:3] == ["Gravedad", "Regla", "Alerta"]
        assert listed.table.item(0, 0).text() in {"ALTA", "MEDIA", "BAJA"}
        listed.close()
    finally:
        window.shutdown()


def _days_level(axis: LocalDateAxis):  # type: ignore[no-untyped-def]
    """The zoom level whose ticks are days ("Mon 07"), as a view of a few days shows them."""
    return next(z for z in axis.zoomLevels.values() if any("%a" in s.format for s in z.tickSpecs))


@pytest.mark.usefixtures("spanish")
def test_the_trend_axes_in_spanish() -> None:
    # 7 December 2026 was a Monday.
    monday = datetime(2026, 12, 7, 14, 30, 5, 250_000, tzinfo=UTC)
    assert local_tick(monday, "%a %d") == "lun 07"
    assert local_tick(monday, "%b") == "dic"
    assert local_tick(monday, "%H:%M") == "14:30"
    assert local_tick(monday, "%S.%f") == "05,250"
    assert local_tick(monday, "%Y") == "2026"
    # The value axis: a decimal comma, whole numbers as they were.
    axis = StackAxis("left")
    assert axis.tickStrings([37.5, 38.0, 38.5], 1.0, 0.5) == ["37,5", "38,0", "38,5"]
    assert axis.tickStrings([80, 90, 100], 1.0, 10) == ["80", "90", "100"]
    # The time axis at a day's spacing writes the weekday in Spanish.
    dates = LocalDateAxis(orientation="bottom", utcOffset=0)
    dates.zoomLevel = _days_level(dates)
    day = next(s for s in dates.zoomLevel.tickSpecs if "%a" in s.format)
    assert dates.tickStrings(
        [monday.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()], 1.0, day.spacing
    ) == ["lun 07"]


def test_the_trend_axes_in_english_are_pyqtgraphs(qapp) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, "en")
    axis = StackAxis("left")
    assert axis.tickStrings([37.5, 38.5], 1.0, 0.5) == ["37.5", "38.5"]
    monday = datetime(2026, 12, 7, tzinfo=UTC)
    dates = LocalDateAxis(orientation="bottom", utcOffset=0)
    dates.zoomLevel = _days_level(dates)
    day = next(s for s in dates.zoomLevel.tickSpecs if "%a" in s.format)
    assert dates.tickStrings([monday.timestamp()], 1.0, day.spacing) == [monday.strftime("%a %d")]


@pytest.mark.usefixtures("spanish")
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_ward_overview_in_spanish_fits(qtbot, ward_db, size) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ward = ward_for(qtbot, ward_db, NOW + 2, size=size)
    try:
        overview = ward.overview
        qtbot.waitUntil(lambda: len(overview.tiles) == 3 and overview.columns > 0, timeout=15_000)
        tiles = overview.tiles_in_order()
        assert tiles[0].ref == REACTING
        assert "<b>ALTA</b>" in tiles[0].alerts_label.text()
        assert "por reconocer: 1" in tiles[0].alerts_label.text()
        assert overview.title.text() == "Vista de la unidad · 3 camas"
        assert ward.back_button.text() == "◀ Vista de la unidad (Esc)"
        for tile in tiles:
            temp = tile.numeric_labels["temp"][1].text()
            assert not POINT_DECIMAL.search(temp), temp
            assert not POINT_DECIMAL.search(tile.numeric_labels["temp"][2].text())
        assert any("," in t.numeric_labels["temp"][1].text() for t in tiles)
        # At least two across 1366 px (three at 1920, and at 1366 where the values are short), every
        # bed on the one screen, every text whole, nothing off the window.
        assert overview.columns >= (3 if size[0] >= 1920 else 2)
        qtbot.waitUntil(lambda: all(t.minimumSizeHint().width() <= t.width() for t in tiles), timeout=5_000)
        QApplication.processEvents()
        assert overview.canvas.width() <= overview.scroll.viewport().width()
        assert overview.canvas.height() <= overview.scroll.viewport().height()
        assert ward.width() <= size[0]
        # The numbers grow with the tiles once the columns are settled: measured when they have.
        try:
            qtbot.waitUntil(lambda: not misfits(ward), timeout=5_000)
        except AssertionError:
            pytest.fail("\n".join(misfits(ward)))
    finally:
        close(ward)


@pytest.mark.usefixtures("spanish")
def test_the_core_texts_the_screen_states_are_translated_when_shown(qtbot, reacting, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The secondary-alarm statement and the trend titles are the core's constants: the screen shows
    them through the core's catalogue, looked up when the window is built (not at import)."""
    from bedside_ui import checks_view, trend_plot

    marked = lambda text: f"«{text}»"  # noqa: E731
    monkeypatch.setattr(checks_view, "_", marked)
    monkeypatch.setattr(trend_plot, "_", marked)
    engine, now = reacting
    window = window_for(qtbot, engine, now)
    try:
        assert window.notice_label.text() == f"«{SECONDARY_NOTICE}»"
        qtbot.waitUntil(lambda: window.refreshes >= 1, timeout=15_000)
        assert window.trends.plot("Temperature").title_item.toPlainText().startswith("«Temperature»")
    finally:
        window.shutdown()
