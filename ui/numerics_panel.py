"""The left column: one tile per vital or ventilator value, readable from across the room."""

from __future__ import annotations

from datetime import datetime

from bedside_ui.fit import FitLabel
from bedside_ui.theme import DARK, SEVERITY_STYLE, SEVERITY_TEXT, Theme, severity_text
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from bedside.feeds import describe_silence
from bedside.i18n import localize_number
from bedside.numerics import NUMERICS, NumericReading
from bedside.units import display_unit

TILE_FLAG = {
    "high": QT_TRANSLATE_NOOP("NumericTile", "HIGH alert"),
    "medium": QT_TRANSLATE_NOOP("NumericTile", "MEDIUM alert"),
    "low": QT_TRANSLATE_NOOP("NumericTile", "LOW alert"),
}
"""The flag of a tile whose parameter has an open alert: the alert's priority, said as the alert's
(a bare "ALTA" beside a low pressure would read as a statement about the value)."""


def tile_flag(severity: str) -> str:
    """'● HIGH alert' / '● alerta alta'; an unknown severity with the screen's own word for it."""
    name = TILE_FLAG.get(severity)
    return "● " + (QCoreApplication.translate("NumericTile", name) if name else severity_text(severity))


WIDE_VALUES = frozenset({"abp_sys"})
"""Tiles whose value is three numbers (sys/dia (mean)) and whose baseline is as long."""


class NumericTile(QFrame):
    """Name and severity top left, the value big on the right, the baseline and the change below.
    Every line shrinks its font to its width: a value is never clipped (114/62 (79) must not read
    14/62 (79)); the value's size follows the tile's height, which the column shares equally."""

    SMALL_PT = 10.0

    def __init__(self, key: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("panel")
        self.theme = theme
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 2, 8, 3)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(0)
        # Name, alert flag and baseline stacked on the left, the value beside them as tall as the
        # tile: on a 768-line screen a tile is about 45 px, too short for three rows above each other.
        self.name = FitLabel("", self.SMALL_PT, smallest=7.0, fit_height=True)
        self.flag = FitLabel("", self.SMALL_PT, smallest=7.0, fit_height=True)
        self.base = FitLabel("", self.SMALL_PT, smallest=7.0, fit_height=True)
        # A value sharing its height with the baseline's row fits that height too.
        self.value = FitLabel("—", 34, points=False, bold=True, smallest=12, fit_height=key in WIDE_VALUES)
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.context = FitLabel("", self.SMALL_PT, smallest=7.0, fit_height=True)
        self.context.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.context.hide()
        for row, label in enumerate((self.name, self.flag, self.base)):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(label, row, 0)
            layout.setRowStretch(row, 1)
        if key in WIDE_VALUES:
            # "114/62 (79)" beside a baseline as long ("base 111/58 (76) -37") left the number a
            # third of the size of the others: the baseline takes the bottom row's whole width and
            # the value the rest of the tile, as large as fits there.
            layout.addWidget(self.base, 2, 0, 1, 2)
            layout.addWidget(self.value, 0, 1, 2, 1)
        else:
            layout.addWidget(self.value, 0, 1, 3, 1)
        layout.addWidget(self.context, 3, 0, 1, 2)
        # The value is what a nurse reads from across the room: it takes two thirds of the width, and
        # a long baseline text ("base 111/58 (76) -37") shrinks in its third rather than the number.
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 3 if key in WIDE_VALUES else 2)
        for label in (self.name, self.flag, self.value, self.base, self.context):
            # The rows share the tile's height, never more than it has; each text fits its share.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.reading: NumericReading | None = None
        self._look: tuple = ()
        self._held: tuple = ()
        self.value_px = 34
        # The column shares its height equally: tiles must not hold the window taller than a
        # 768-line screen (less a window manager's title bar and panel).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self._paint()

    def show_reading(self, reading: NumericReading) -> None:
        self.reading = reading
        self._paint()
        self._hold_minimums()

    def _hold_minimums(self) -> None:
        """Each text keeps at least the width it needs at its smallest font: the columns share the
        tile by stretch, but no text is ever cut (a baseline number included)."""
        labels = (self.name, self.flag, self.base, self.value)
        held = (self.value_px, *(label.text() for label in labels))
        if held == self._held:  # the same texts at the same size: the same widths
            return
        self._held = held
        for label in labels:
            label.setMinimumWidth(label.minimumSizeHint().width())

    def minimumSizeHint(self) -> QSize:
        # Wide enough for each line at its smallest font; the height is the column's to share.
        m = self.contentsMargins()
        lay = self.layout().contentsMargins()
        left = max(label.minimumSizeHint().width() for label in (self.name, self.flag, self.base))
        width = max(left + 6 + self.value.minimumSizeHint().width(), self.context.minimumSizeHint().width())
        return QSize(width + lay.left() + lay.right() + m.left() + m.right(), 40)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_value()

    def _size_value(self) -> None:
        """The value as tall as the tile allows, at most 48 px (readable at 3 m), never so tall that
        its line does not fit the tile."""
        lay = self.layout().contentsMargins()
        room = self.contentsRect().height() - lay.top() - lay.bottom()
        if self.context.isVisibleTo(self):
            room -= room // 4  # the context line takes its row of four
        if self.key in WIDE_VALUES:
            room -= room // 3  # the baseline takes the bottom row of three across the whole tile
        px = 48
        while px > 12 and QFontMetricsF(_pixel_font(self.value.font(), px)).height() > room:
            px -= 1
        if px != self.value_px:
            self.value_px = px
        self.value.set_size(px, smallest=min(12, px))

    def _paint(self) -> None:
        r, theme = self.reading, self.theme
        # A value no longer current is greyed, its age beside it, even while its alert is open: the
        # flag still names the alert, the colour no longer says the patient is so now.
        shown = r.shown_severity if r is not None else None
        style = SEVERITY_STYLE.get(shown, "") if shown else ""
        colour = theme.quiet if r is None or r.stale else theme.text
        look = (style, colour, theme.name)
        if look != self._look:  # style sheets are costly: set them only when the colouring changes
            self._look = look
            # On a severity colour the text takes that colour's own (white on red, black on yellow).
            fg = f"color:{SEVERITY_TEXT[shown]};" if shown else f"color:{colour};"
            panel = style or f"background:{theme.panel};"
            # Colours only: each line sets its own font size, to fit (a style sheet's font would win).
            self.setStyleSheet(
                f"QFrame#panel {{ {panel} border-radius:4px; }} QLabel {{ background:transparent; {fg} }}"
            )
        if r is None:
            return
        unit = display_unit(r.spec.unit)
        # A value entered by hand says so, with its time: it is one reading, not a live feed.
        manual = (
            "  "
            + QCoreApplication.translate("NumericTile", "(manual {time})").format(
                time=datetime.fromtimestamp(r.at).strftime("%H:%M")
            )
            if r.manual and r.at
            else ""
        )
        self.name.setText(f"{r.label}  {unit}{manual}")
        flag = [tile_flag(r.severity)] if r.severity else []
        if r.value is not None and r.stale and r.age is not None:
            flag.append(
                QCoreApplication.translate("NumericTile", "{age} old").format(age=describe_silence(r.age))
            )
        self.flag.setText("  ".join(flag))
        # The core's texts with the language's decimal separator (the same text where it has it already).
        self.value.setText(localize_number(r.text()))
        # A pre-existing abnormal value is context, not a new finding: say so, and what will alert.
        context = r.context if r.value is not None else ""
        if self.context.isVisibleTo(self) != bool(context):
            self.context.setVisible(bool(context))
            grid = self.layout()
            assert isinstance(grid, QGridLayout)
            grid.setRowStretch(3, 1 if context else 0)
            self._size_value()
        self.context.setText(context)
        self.base.setToolTip(r.context)
        if r.value is None:
            self.base.setText(QCoreApplication.translate("NumericTile", "no value in the last 75 min"))
            return
        parts = []
        if r.site:
            parts.append(r.site)
        base = r.baseline_text()
        if base:
            parts.append(base + (f"  {r.change_text()}" if r.change_text() else ""))
        self.base.setText(localize_number("   ".join(parts)))


def _pixel_font(font: QFont, px: int) -> QFont:
    out = QFont(font)
    out.setPixelSize(px)
    return out


class NumericsPanel(QWidget):
    def __init__(self, theme: Theme = DARK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.tiles = {spec.key: NumericTile(spec.key, theme) for spec in NUMERICS}
        for tile in self.tiles.values():
            layout.addWidget(tile, stretch=1)
        self.setMaximumWidth(320)

    def minimumSizeHint(self) -> QSize:
        # At least as wide as the widest tile's text at its smallest font (a value is never clipped).
        width = max(max(tile.minimumSizeHint().width() for tile in self.tiles.values()), 210)
        return QSize(width, 40 * len(self.tiles))

    def show_readings(self, readings: list[NumericReading]) -> None:
        for r in readings:
            self.tiles[r.spec.key].show_reading(r)

    def apply_theme(self, theme: Theme) -> None:
        for tile in self.tiles.values():
            tile.theme = theme
            tile._paint()
