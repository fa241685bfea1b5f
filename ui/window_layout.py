"""The nurse's screen's layout kept between runs (Qt settings): the window's geometry, the split
between trends and numerics, the trend span chosen and the lab shown."""

from __future__ import annotations

from bedside_ui.trends import PRESETS, TrendPanel
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


def restore_layout(
    window: QMainWindow, splitter: QSplitter, trends: TrendPanel, settings: QSettings, geometry_too: bool
) -> bool:
    """Put back what `save_layout` kept; True when the window's geometry was restored."""
    geometry = settings.value("window/geometry") if geometry_too else None
    restored = geometry is not None and window.restoreGeometry(geometry)
    split = settings.value("window/splitter")
    if split is not None:
        splitter.restoreState(split)
    preset = settings.value("trends/preset")
    if preset in dict(PRESETS):
        trends.choose_preset(str(preset))
    lab = settings.value("trends/lab")
    if lab:
        i = trends.lab_choice.findData(lab)
        if i >= 0:
            trends.lab_choice.setCurrentIndex(i)
    return restored


def save_layout(window: QMainWindow, splitter: QSplitter, trends: TrendPanel, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/splitter", splitter.saveState())
    checked = [n for n, b in trends.preset_buttons.items() if b.isChecked()]
    if checked:
        settings.setValue("trends/preset", checked[0])
    settings.setValue("trends/lab", trends.lab)
    settings.sync()
