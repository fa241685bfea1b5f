"""A window a long text has grown wider than the screen comes back within the screen once the text
is short again (Qt grows a top-level window to its layout's minimum and never shrinks it)."""

from __future__ import annotations

from bedside_ui.window_fit import KeptOnScreen
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def _grown(qtbot, kept: bool) -> tuple[QMainWindow, QLabel, int]:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    label = QLabel("short")
    window.setCentralWidget(label)
    qtbot.addWidget(window)
    free = window.screen().availableGeometry().width()
    window.resize(free // 2, 200)
    window.show()
    qtbot.waitExposed(window)
    if kept:
        KeptOnScreen(window)
    label.setText("a header while the history is still arriving " * 12)
    qtbot.waitUntil(lambda: window.width() > free, timeout=5_000)
    label.setText("short again")
    return window, label, free


def test_a_window_grown_past_the_screen_by_a_long_text_comes_back_within_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    window, _label, free = _grown(qtbot, kept=True)
    qtbot.waitUntil(lambda: window.frameGeometry().width() <= free, timeout=5_000)


def test_without_it_qt_leaves_the_window_wider_than_the_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    """What the filter is for: Qt alone keeps the grown width (so the test above can fail)."""
    window, _label, free = _grown(qtbot, kept=False)
    for _ in range(5):
        QApplication.processEvents()
    assert window.width() > free
