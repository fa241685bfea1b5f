"""The nurse's screen keeps its layout between runs: the trend span chosen, the split between trends
and numerics, and the window's geometry come back in the next window opened on the same settings."""

from __future__ import annotations

from bedside_adapters.db.queries import sql_ports
from bedside_ui.main_window import MainWindow
from PySide6.QtCore import QSettings

from bedside.parameters import ParameterCatalog

NOW = 1_760_000_000.0


def window_on(qtbot, engine, settings: QSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(sql_ports(engine), ParameterCatalog.load(), clock=lambda: NOW, settings=settings)
    qtbot.addWidget(window)
    return window


def test_the_layout_saved_comes_back_in_the_next_window(qtbot, sqlite_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    first = window_on(qtbot, sqlite_engine, settings)
    first.resize(1200, 700)
    first.show()
    first.trends.choose_preset("24 h")
    sizes = first.splitter.sizes()
    first.save_layout()
    first.shutdown()

    second = window_on(qtbot, sqlite_engine, settings)
    assert second.restored
    assert [n for n, b in second.trends.preset_buttons.items() if b.isChecked()] == ["24 h"]
    second.show()
    assert sum(second.splitter.sizes()) > 0 and len(second.splitter.sizes()) == len(sizes)
    second.shutdown()
