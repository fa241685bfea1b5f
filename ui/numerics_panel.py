"""The left column: one tile per vital or ventilator value, readable from across the room."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from bedside.feeds import describe_silence
from bedside.numerics import NUMERICS, NumericReading
from bedside.units import display_unit
from ui.theme import DARK, SEVERITY_STYLE, SEVERITY_TEXT, Theme


class NumericTile(QFrame):
    def __init__(self, key: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("panel")
        self.theme = theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 3)
        layout.setSpacing(0)
        self.name = QLabel("")
        self.value = QLabel("—")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.base = QLabel("")
        self.base.setAlignment(Qt.AlignmentFlag.AlignRight)
        for w in (self.name, self.value, self.base):
            layout.addWidget(w)
        self.reading: NumericReading | None = None
        self._look: tuple = ()
        self.value_px = 34
        # The column shares its height equally (the font follows, NumericsPanel.resizeEvent): tiles
        # must not hold the window taller than a 768-line screen.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self._paint()

    def show_reading(self, reading: NumericReading) -> None:
        self.reading = reading
        self._paint()

    def _paint(self) -> None:
        r, theme = self.reading, self.theme
        style = SEVERITY_STYLE.get(r.severity, "") if r is not None and r.severity else ""
        colour = theme.quiet if r is None or r.stale else theme.text
        look = (style, colour, theme.name, self.value_px)
        if look != self._look:  # style sheets are costly: set them only when the colouring changes
            self._look = look
            # On a severity colour the text takes that colour's own (white on red, black on yellow).
            fg = f"color:{SEVERITY_TEXT[r.severity]};" if r is not None and r.severity else f"color:{colour};"
            panel = style or f"background:{theme.panel};"
            self.setStyleSheet(f"QFrame#panel {{ {panel} border-radius:4px; }}")
            px = (
                self.value_px if self.key != "abp_sys" else int(self.value_px * 0.75)
            )  # sys/dia (mean) is wide
            self.value.setStyleSheet(f"background:transparent; {fg} font-size:{px}px; font-weight:600;")
            self.base.setStyleSheet(f"background:transparent; {fg} font-size:10pt;")
            self.name.setStyleSheet(f"background:transparent; {fg} font-size:10pt;")
        if r is None:
            return
        unit = display_unit(r.spec.unit)
        # A value entered by hand says so, with its time: it is one reading, not a live feed.
        manual = f"  (manual {datetime.fromtimestamp(r.at).strftime('%H:%M')})" if r.manual and r.at else ""
        severity = f"   ● {r.severity.upper()}" if r.severity else ""
        self.name.setText(f"{r.label}  {unit}{manual}{severity}")
        self.value.setText(r.text())
        if r.value is None:
            self.base.setText("no value in the last 75 min")
            return
        parts = []
        if r.site:
            parts.append(r.site)
        if r.stale and r.age is not None:
            parts.append(f"{describe_silence(r.age)} old")
        base = r.baseline_text()
        if base:
            parts.append(base + (f"  {r.change_text()}" if r.change_text() else ""))
        # A pre-existing abnormal value is context, not a new finding: say so, and what will alert.
        self.base.setText("   ".join(parts) + (f"\n{r.context}" if r.context else ""))
        self.base.setToolTip(r.context)


class NumericsPanel(QWidget):
    def __init__(self, theme: Theme = DARK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.tiles = {spec.key: NumericTile(spec.key, theme) for spec in NUMERICS}
        for tile in self.tiles.values():
            layout.addWidget(tile, stretch=1)
        self.setMinimumWidth(210)
        self.setMaximumWidth(280)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Numbers as big as the column allows: readable at 3 m on 1080 lines, still fitting on 768."""
        super().resizeEvent(event)
        px = max(16, min(48, int(self.height() / len(self.tiles) * 0.40)))
        for tile in self.tiles.values():
            if tile.value_px != px:
                tile.value_px = px
                tile._paint()

    def show_readings(self, readings: list[NumericReading]) -> None:
        for r in readings:
            self.tiles[r.spec.key].show_reading(r)

    def apply_theme(self, theme: Theme) -> None:
        for tile in self.tiles.values():
            tile.theme = theme
            tile._paint()
