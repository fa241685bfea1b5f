"""Keeping a top-level window whole: on the screen's free area, and its wrapped texts as tall as their
lines need."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow


def fit_to_screen(window: QMainWindow) -> None:
    """The whole window, its frame included, on the screen's free area: never wider than the screen,
    and the bottom row of buttons above the screen's edge even where a window manager placed the
    window lower (openbox puts it at y=40 under a panel). Shrinks, never grows."""
    screen = window.screen()
    if screen is None or window.isFullScreen() or window.isMaximized():
        return
    free = screen.availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    width = min(inner.width(), free.width() - extra_w)
    height = min(inner.height(), free.height() - extra_h)
    x = min(max(frame.x(), free.x()), free.x() + free.width() - width - extra_w)
    y = min(max(frame.y(), free.y()), free.y() + free.height() - height - extra_h)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)
    if frame.y() > y:  # a window manager may refuse the move: then fit below where it is
        height = min(height, free.y() + free.height() - frame.y() - extra_h)
    if (width, height) != (inner.width(), inner.height()):
        window.resize(width, height)


class KeptOnScreen(QObject):
    """Keeps a window within the screen for as long as it lives. Qt grows a top-level window whenever
    its layout's minimum width grows (a long text for a moment: an alert's title, a header while the
    history is still arriving) and never shrinks it back when the text shortens: after every resize
    or change of layout that leaves the window larger than the screen's free area, fit it again once
    Qt is done (it cannot shrink below the layout's minimum: a text still long keeps it wide until it
    shortens, the next change of layout)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pending = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() in _LOOKED_AT and not self._pending:
            screen = self._window.screen()
            if screen is not None:
                free, frame = screen.availableGeometry(), self._window.frameGeometry()
                if frame.width() > free.width() or frame.height() > free.height():
                    self._pending = True
                    QTimer.singleShot(0, self._fit)
        return False

    def _fit(self) -> None:
        self._pending = False
        fit_to_screen(self._window)


_LOOKED_AT = (QEvent.Type.Resize, QEvent.Type.LayoutRequest)


def hold_wrapped(window: QMainWindow) -> None:
    """A wrapped text (the banner, the checks, the feeds) keeps the height its lines need at the width
    it has: Qt's main window does not ask for heights for widths, and would cut the last line of an
    alert's message; the other widgets (the trends) give up the height instead. Call on every resize."""
    central = window.centralWidget()
    if central is None:
        return
    for label in central.findChildren(QLabel):
        if not label.wordWrap():
            continue
        visible = label.isVisibleTo(window)
        # Laying the text out again is the costly part: only when what it depends on has changed.
        key = (label.text(), label.width(), visible, label.font().key(), label.styleSheet())
        if _HELD.get(label) == key:
            continue
        _HELD[label] = key
        need = _text_height(label) if visible else 0
        if need > 0 and label.minimumHeight() != need:
            label.setMinimumHeight(need)


def _text_height(label: QLabel) -> int:
    """The height the label's text takes at its width. Qt's answer is never below the label's
    minimum height, so the minimum held for a narrower width is lifted first: else a window that
    grew wide again would keep the taller texts of its narrow moment and take the height from the
    trends."""
    held = label.minimumHeight()
    if held == 0:
        return label.heightForWidth(label.width())
    blocked = label.blockSignals(True)
    try:
        label.setMinimumHeight(0)
        return label.heightForWidth(label.width())
    finally:
        label.setMinimumHeight(held)
        label.blockSignals(blocked)


_HELD: WeakKeyDictionary[QLabel, tuple] = WeakKeyDictionary()
"""Per wrapped label, what its held height was worked out for."""
