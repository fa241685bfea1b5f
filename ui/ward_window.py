"""The ward overview: every bed as a tile, the beds that need attention first (bedside/ward.py ranks
them); a click or Enter opens the bed in the nurse's screen, Esc comes back.

A secondary display, as the nurse's screen: the bedside monitors and pumps keep the primary alarms.
It never looks calm about a bed it cannot see: a silent feed, a bed without a device, a stopped rule
engine or a database it cannot read are cyan and say what they mean.
"""

from __future__ import annotations

import itertools
import time
from datetime import datetime

from bedside_ui.alert_sound import unavailable_text
from bedside_ui.bed_tile import VALUE_PX, BedTile
from bedside_ui.loader import NOT_READY, NotReady, read_failure
from bedside_ui.main_window import MainWindow
from bedside_ui.theme import DARK, TECHNICAL, Theme, stylesheet
from bedside_ui.window_fit import fit_to_screen
from bedside_ui.worker import Worker
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bedside.alert_screen import AlertSound, alarming
from bedside.clock import Clock
from bedside.i18n import _
from bedside.model import PatientRef
from bedside.ports import WardQueries
from bedside.rules.ruleset import RuleSet
from bedside.ward import WardView, ward_view
from bedside.ward_text import WARD_NOTICE, summary_text, system_warnings

TILE_MIN_WIDTH = 420
"""At least this wide: three tiles across 1366 px, four across 1920 px (the numbers at VALUE_PX fit)."""
NOT_CURRENT_AFTER = 5.0
"""Seconds without a successful read after which the tiles are marked as not current."""


class WardOverview(QWidget):
    """The header (what this screen is, what it cannot see) and the tiles in a grid that reflows
    with the width: as many columns as fit without squeezing a number."""

    activated = Signal(str)

    def __init__(self, theme: Theme = DARK, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 6, 8, 6)
        root.setSpacing(4)
        header = QHBoxLayout()
        self.title = QLabel(self.tr("Ward overview"))
        self.title.setStyleSheet("font-size:18pt; font-weight:600;")
        header.addWidget(self.title)
        header.addStretch(1)
        self.read_label = QLabel("")
        header.addWidget(self.read_label)
        if demo:
            tag = QLabel(self.tr("DEMO · synthetic data"))
            tag.setStyleSheet(f"font-size:11pt; padding:2px 8px; border:1px solid {theme.quiet};")
            header.addWidget(tag)
        root.addLayout(header)
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size:12pt;")
        root.addWidget(self.summary)
        self.notice = QLabel(_(WARD_NOTICE))  # the core's text, in the language chosen
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color:{theme.quiet}; font-size:10pt;")
        root.addWidget(self.notice)
        self.system = QLabel("")  # alerting stopped, ingest silent, database unreadable: cyan, loud
        self.system.setTextFormat(Qt.TextFormat.RichText)
        self.system.setWordWrap(True)
        self.system.setStyleSheet("font-size:13pt; font-weight:600; padding:4px 6px;" + TECHNICAL)
        self.system.hide()
        root.addWidget(self.system)
        self.sound_note = QLabel("")
        self.sound_note.setWordWrap(True)
        self.sound_note.setStyleSheet("font-size:11pt; padding:2px 6px;" + TECHNICAL)
        self.sound_note.hide()
        root.addWidget(self.sound_note)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.canvas = QWidget()
        self.grid = QGridLayout(self.canvas)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        # No top alignment for the grid itself: aligned, a layout is no taller than its size hint,
        # which ignores how many lines a narrow tile's texts wrap to; a stretching row under the last
        # one keeps the tiles at the top instead.
        self.scroll.setWidget(self.canvas)
        root.addWidget(self.scroll, stretch=1)
        self.tiles: dict[str, BedTile] = {}
        self.order: list[str] = []
        self.columns = 0
        self.value_px = VALUE_PX
        self.view: WardView | None = None
        self.last_read: float | None = None
        self.failure = ""
        self.rules: RuleSet | None = None
        """The rule set in use, for the tiles' alert titles in the screen's language."""

    # ---- data --------------------------------------------------------------------------------------

    def show_view(self, view: WardView) -> None:
        self.view = view
        self.last_read = view.now
        self.failure = ""
        refs = [str(b.patient.ref) for b in view.beds]
        for ref in list(self.tiles):
            if ref not in refs:
                tile = self.tiles.pop(ref)
                self.grid.removeWidget(tile)
                tile.deleteLater()
        for bed in view.beds:
            ref = str(bed.patient.ref)
            if ref not in self.tiles:
                tile = BedTile(ref, self.theme, self.canvas)
                tile.rules = self.rules
                tile.value_px = self.value_px
                tile.activated.connect(self.activated)
                tile.move.connect(self._move_focus)
                self.tiles[ref] = tile
            self.tiles[ref].show_bed(bed, view, current=True)
        n = len(view.beds)
        self.title.setText(self.tr("Ward overview · %n bed(s)", "", n) if n else self.tr("Ward overview"))
        # Every read: new text can need another column count (a long alert title, an old value).
        changed = refs != self.order
        self.order = refs
        self._reflow(force=changed)
        self.summary.setText(summary_text(view))
        self.read_label.setText(
            self.tr("read {time}").format(time=datetime.fromtimestamp(view.now).strftime("%H:%M:%S"))
        )
        self.read_label.setStyleSheet(f"color:{self.theme.quiet};")
        self._show_system()

    def _repaint_tiles(self) -> None:
        view = self.view
        if view is None:
            return
        for bed in view.beds:
            tile = self.tiles.get(str(bed.patient.ref))
            if tile is not None:
                tile.show_bed(bed, view, current=not self.failure)

    def show_failure(self, message: str, now: float) -> None:
        self.failure = message
        if self.last_read is not None and now - self.last_read > NOT_CURRENT_AFTER and self.view is not None:
            for bed in self.view.beds:
                self.tiles[str(bed.patient.ref)].show_bed(bed, self.view, current=False)
        self._show_system()

    def _show_system(self) -> None:
        parts = system_warnings(self.view, self.failure, self.last_read)
        self.system.setText("<br>".join(parts))
        self.system.setVisible(bool(parts))

    # ---- layout ------------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self, force: bool = False) -> None:
        if not self.order:
            return
        space = self.scroll.viewport().width()
        spacing = self.grid.horizontalSpacing()
        # The narrowest a tile may be: what its content needs at the smallest numbers (the numbers
        # scale with the tile; the rest does not, so this errs on the wide side), at least the floor.
        needed = max(
            [TILE_MIN_WIDTH]
            + [int(t.minimumSizeHint().width() * VALUE_PX / t.value_px) + 1 for t in self.tiles.values()]
        )
        columns = max(1, min(len(self.order), (space + spacing) // (needed + spacing)))
        # Numbers as big as the tile's width allows: from across the room on a wide screen, and never
        # wider than the tile (the columns are counted at the smallest size, which fits).
        width = (space - spacing * (columns - 1)) / columns
        px = max(VALUE_PX, min(40, int(VALUE_PX * width / needed)))
        if px != self.value_px:
            self.value_px = px
            for tile in self.tiles.values():
                tile.value_px = px
            self._repaint_tiles()
        if columns == self.columns and not force:
            return
        self.columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 0)
        for i, ref in enumerate(self.order):
            self.grid.addWidget(self.tiles[ref], i // columns, i % columns, Qt.AlignmentFlag.AlignTop)
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch(-(-len(self.order) // columns), 1)
        # Tab follows the ranking: the bed that needs attention first is the first one reached.
        tiles = [self.tiles[r] for r in self.order]
        for a, b in itertools.pairwise(tiles):
            QWidget.setTabOrder(a, b)

    @Slot(object, int, int)
    def _move_focus(self, tile: BedTile, dx: int, dy: int) -> None:
        if tile.ref not in self.order or not self.columns:
            return
        i = self.order.index(tile.ref) + dx + dy * self.columns
        if 0 <= i < len(self.order):
            self.tiles[self.order[i]].setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(self.tiles[self.order[i]])

    def tiles_in_order(self) -> list[BedTile]:
        return [self.tiles[r] for r in self.order]


class WardWindow(QMainWindow):
    """The overview and, one click away, the nurse's screen of a bed (the same window: a central
    station switches between the ward and a bed; Esc or the button comes back)."""

    def __init__(
        self,
        ward: WardQueries,
        nurse: MainWindow,
        clock: Clock = time.time,
        stale_after: float = 15.0,
        refresh_ms: int = 1000,
        demo: bool = False,
        rules: RuleSet | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(
            self.tr("Bedside — ward overview — DEMO, synthetic data")
            if demo
            else self.tr("Bedside — ward overview")
        )
        self._clock = clock
        self.nurse = nurse
        self.theme = nurse.theme
        self.setStyleSheet(stylesheet(self.theme))
        self.overview = WardOverview(self.theme, demo)
        # Without an audio output no bed can sound: said here too, for as long as it lasts.
        self.overview.sound_note.setText(unavailable_text())
        self.overview.sound_note.setVisible(not nurse.player.available)
        self.overview.activated.connect(self.open_bed)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.overview)
        nurse.setWindowFlags(Qt.WindowType.Widget)
        self.stack.addWidget(nurse)
        self.setCentralWidget(self.stack)
        self.back_button = QPushButton(self.tr("◀ Ward overview (Esc)"))
        self.back_button.setToolTip(self.tr("Back to every bed"))
        self.back_button.clicked.connect(self.show_overview)
        nurse.statusBar().addPermanentWidget(self.back_button)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), nurse)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.show_overview)
        self.opening: str | None = None
        self.shown_bed: str | None = None
        self._opening_since = 0.0
        self._open_timer = QTimer(self)
        self._open_timer.setInterval(50)
        self._open_timer.timeout.connect(self._check_open)

        self._ward = ward
        self._stale_after = stale_after
        self._rule_signals = (rules or RuleSet.load()).signals_of()
        self.overview.rules = rules
        # The overview asks again only after an answer came back, so reads never pile up and happen
        # at most once per refresh interval.
        self._worker = Worker("bedside-ward-reader", self)
        self._worker.done.connect(self._read_done)
        self._worker.failed.connect(self._read_failed)
        self._waiting = False
        self.reads = 0
        self.sound = AlertSound()
        self.cues = 0
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        # Only while the overview is on screen: the nurse's screen reads its own bed meanwhile.
        if self._waiting or self.stack.currentWidget() is not self.overview:
            return
        self._waiting = True
        self._worker.submit("ward", self._read)

    def _read(self) -> WardView:
        """On the worker thread: every bed, ranked."""
        began = time.perf_counter()
        if not self._ward.schema_ready():
            raise NotReady(NOT_READY)
        now = self._clock()
        facts = self._ward.read_ward(now)
        return ward_view(facts, now, self._stale_after, self._rule_signals, time.perf_counter() - began)

    @Slot(str, object)
    def _read_done(self, _what: str, view: object) -> None:
        assert isinstance(view, WardView)
        self.on_loaded(view)

    @Slot(str, object)
    def _read_failed(self, _what: str, error: object) -> None:
        assert isinstance(error, Exception)
        self.on_failed(read_failure(error))

    def on_loaded(self, view: WardView) -> None:
        self._waiting = False
        self.reads += 1
        self.last_view = view
        self.overview.show_view(view)
        self._cue(view)

    def _cue(self, view: WardView) -> None:
        """The nurse's screen's sound for every bed: an unacknowledged High or escalated alert on any
        bed sounds, again every 30 s until acknowledged, through the nurse's screen's player; a mute
        set there silences this screen too (one station, one speaker)."""
        if self.nurse.sound.muted(view.now):
            return
        alerts = [a for bed in view.beds for a in bed.alerts]
        if self.sound.cue(alerts, view.now):
            self.cues += 1
            self.nurse.player.play_high()

    def on_failed(self, message: str) -> None:
        self._waiting = False
        self.overview.show_failure(message, self._clock())

    @Slot(str)
    def open_bed(self, ref: str) -> None:
        """The nurse's screen of this bed, once it shows this patient: never another patient's
        screen under this bed's name, even for the second its read takes."""
        self.opening = ref
        self._opening_since = time.monotonic()
        self.nurse.show_patient(PatientRef.parse(ref))
        self._open_timer.start()
        self._check_open()

    @Slot()
    def _check_open(self) -> None:
        snap = self.nurse.snapshot
        if self.opening is None:
            self._open_timer.stop()
            return
        if snap is not None and snap.patient is not None and str(snap.patient.ref) == self.opening:
            self._open_timer.stop()
            self.shown_bed, self.opening = self.opening, None
            self.stack.setCurrentWidget(self.nurse)
            self.nurse.setFocus()
            # The bed's screen asks for more height than the overview: kept on the screen, frame
            # included, so its bottom row (the way back to the ward) stays in view.
            QTimer.singleShot(0, lambda: fit_to_screen(self))
        elif time.monotonic() - self._opening_since > 10.0:
            self._open_timer.stop()
            self.opening = None
            self.overview.show_failure(
                self.tr("Cannot open the bed: its screen did not load within 10 s"), self._clock()
            )

    @Slot()
    def show_overview(self) -> None:
        self.stack.setCurrentWidget(self.overview)
        # Focus back on the bed just seen, so Enter reopens it and the arrows go on from there.
        tile = self.overview.tiles.get(self.shown_bed or "")
        if tile is not None:
            tile.setFocus()
        self.refresh()

    def shutdown(self) -> None:
        self._timer.stop()
        self._open_timer.stop()
        self._worker.stop()

    last_view: WardView | None = None

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Once closed, no bed's alert is shown or sounded any more: the person's own close asks first
        # while any bed has a High alert unacknowledged, as the nurse's screen does (and with its
        # question; a signal or a screenshot run clears `confirm_close` and stops at once).
        view = self.last_view
        beds = () if view is None else view.beds
        loud = [a for bed in beds for a in alarming(bed.alerts) if a.folded_into is None]
        if self.nurse.confirm_close and loud and not self.nurse._close_confirmed(len(loud)):
            event.ignore()
            return
        # The embedded nurse's screen gets no close event of its own: stop its reader too.
        self.shutdown()
        self.nurse.shutdown()
        super().closeEvent(event)
