"""Labels that shrink their font to fit their rectangle: a number on a clinical screen is never
clipped nor elided (a systolic of 114 cut to "14" is a wrong value, not a cosmetic flaw)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent, Qt, QTextDocument
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def text_width(font: QFont, text: str, rich: bool) -> float:
    """The width `text` takes in `font`: the widest line for plain text, the laid-out width for HTML."""
    if rich:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        doc.setHtml(text)
        return doc.idealWidth()
    metrics = QFontMetricsF(font)
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0.0)


def text_height(font: QFont, text: str, rich: bool) -> float:
    if rich:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        doc.setHtml(text)
        return doc.size().height()
    return QFontMetricsF(font).lineSpacing() * (text.count("\n") + 1)


class FitLabel(QLabel):
    """A label shown at `size` (pixels, or points with `points=True`) and made smaller, down to
    `smallest`, when its text would not fit the width the layout gives it (and, with `fit_height`,
    its height). Its size hints are those
    of the full-size text (the layout offers room for it) and, as the minimum, of the smallest font
    (the layout never squeezes it below what still fits)."""

    def __init__(
        self,
        text: str = "",
        size: float = 10.0,
        points: bool = True,
        bold: bool = False,
        smallest: float | None = None,
        parent: QWidget | None = None,
        fit_height: bool = False,
    ) -> None:
        super().__init__(parent)
        self._fit_height = fit_height
        self._points = points
        self._bold = bold
        self._size = size
        self._smallest = smallest if smallest is not None else size * 0.6
        self._measured: dict[tuple, tuple[float, float]] = {}
        """(text, size, rich, family) → (width, height): a live value changes every second, but among
        few texts, and laying out rich text for every candidate size is what a refresh cost most."""
        self._fitted_for: tuple | None = None
        self.setText(text)

    def set_size(self, size: float, smallest: float | None = None) -> None:
        """The full size (the panel's big numbers follow the tile's height)."""
        if smallest is not None:
            self._smallest = smallest
        if size != self._size:
            self._size = size
            self.updateGeometry()
            self._fit()

    def setText(self, text: str) -> None:  # type: ignore[override]
        if text != self.text():
            super().setText(text)
            self.updateGeometry()
            self._fit()

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:  # type: ignore[override]
        super().setTextFormat(fmt)
        self._fit()

    @property
    def full_size(self) -> float:
        return self._size

    def _rich(self) -> bool:
        fmt = self.textFormat()
        return fmt == Qt.TextFormat.RichText or (
            fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(self.text())
        )

    def _font(self, size: float) -> QFont:
        font = QFont(self.font())
        if self._points:
            font.setPointSizeF(max(1.0, size))
        else:
            font.setPixelSize(max(1, int(size)))
        font.setBold(self._bold)
        return font

    def _extra(self) -> int:
        m = self.contentsMargins()
        return m.left() + m.right() + 2 * self.margin() + max(0, self.indent())

    def _measure(self, size: float) -> tuple[float, float]:
        """Width and height of the text at `size` (the height at least one line of the font)."""
        rich = self._rich()
        key = (self.text(), size, rich, self._points, self._bold, self.font().family())
        known = self._measured.get(key)
        if known is None:
            if len(self._measured) > 512:
                self._measured.clear()
            font = self._font(size)
            known = (
                text_width(font, self.text(), rich),
                max(text_height(font, self.text(), rich), QFontMetricsF(font).height()),
            )
            self._measured[key] = known
        return known

    def _hint(self, size: float) -> QSize:
        width, height = self._measure(size)
        width += 1
        m = self.contentsMargins()
        return QSize(
            int(width + 0.999) + self._extra(), int(height + 0.999) + m.top() + m.bottom() + 2 * self.margin()
        )

    def sizeHint(self) -> QSize:
        return self._hint(self._size)

    def minimumSizeHint(self) -> QSize:
        return QSize(self._hint(self._smallest).width(), self._hint(self._size).height())

    def fitted_size(self) -> float:
        """The largest size, from the full one down to the smallest, at which the text fits."""
        room = self.contentsRect().width() - 2 * self.margin() - max(0, self.indent())
        tall = self.contentsRect().height() - 2 * self.margin()
        rich = self._rich()
        size = self._size
        step = 0.5 if self._points else 1.0

        def fits(size: float) -> bool:
            if self._fit_height:
                font = self._font(size)
                width, height = text_width(font, self.text(), rich), text_height(font, self.text(), rich)
            else:
                width, height = self._measure(size)[0], 0.0
            # A row squeezed by its layout (a short tile) takes a smaller font, never half a line.
            return width + 1 <= room and (not self._fit_height or height <= tall + 0.5)

        while size > self._smallest and not fits(size):
            size -= step
        return max(size, self._smallest)

    def _fit(self) -> None:
        # The same text in the same rectangle at the same sizes fits as it did.
        key = (self.text(), self.textFormat(), self.contentsRect().size(), self._size, self._smallest)
        if key == self._fitted_for:
            return
        self._fitted_for = key
        font = self._font(self.fitted_size())
        if font != self.font():
            self.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class NoteLabel(QLabel):
    """A note beside controls (what the view shows, never a value): on one line where the row has
    room, else on two in a smaller font (the row's height holds two), shortened with an ellipsis
    only where even two lines have no room, the whole text in its tooltip. It asks for no width of
    its own, so a long note (longer in Spanish) never widens the window past the screen."""

    SMALLER = 0.85
    """The two-line note's font, of the label's own: two lines within a button's height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._note = ""
        self._font = QFont(self.font())
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_note(self, text: str) -> None:
        if text == self._note:
            return  # set again on every refresh: shortening the same text again costs a text layout
        self._note = text
        self.setToolTip(text)
        self._elide()

    def note(self) -> str:
        return self._note

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.width())
        font = QFont(self._font)
        shown = self._note
        if QFontMetricsF(font).horizontalAdvance(shown) > room:
            font.setPointSizeF(self._font.pointSizeF() * self.SMALLER)
            shown = _two_lines(self._note, QFontMetricsF(font), room) or QFontMetricsF(font).elidedText(
                self._note, Qt.TextElideMode.ElideRight, room
            )
        if font != self.font():
            self.setFont(font)
        if shown != self.text():
            self.setText(shown)


def _two_lines(text: str, metrics: QFontMetricsF, room: float) -> str | None:
    """`text` broken at the space that best balances two lines each within `room`; None if none does."""
    best: tuple[float, str] | None = None
    for i, ch in enumerate(text):
        if ch != " ":
            continue
        first, second = text[:i], text[i + 1 :]
        widest = max(metrics.horizontalAdvance(first), metrics.horizontalAdvance(second))
        if widest <= room and (best is None or widest < best[0]):
            best = (widest, f"{first}\n{second}")
    return None if best is None else best[1]
