"""The ward overview: every bed as a tile, the beds that need attention first (bedside/ward.py ranks
them); a click or Enter opens the bed in the nurse's screen, Esc comes back.

A secondary display, as the nurse's screen: the bedside monitors and pumps keep the primary alarms.
It never looks calm about a bed it cannot see: a silent feed, a bed without a device, a stopped rule
engine or a database it cannot read are cyan and say what they mean.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Mapping
from datetime import datetime

from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.ward_store import read_ward
from bedside_ui.main_window import HEARTBEAT_STALE_AFTER, MainWindow
from bedside_ui.theme import DARK, SEVERITY_COLOUR, SEVERITY_STYLE, TECHNICAL, Theme, stylesheet
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.feeds import describe_silence
from bedside.numerics import NumericReading
from bedside.rules.ruleset import RuleSet
from bedside.units import display_unit
from bedside.ward import DoseState, WardView, ward_view

log = logging.getLogger(__name__)

WARD_NOTICE = (
    "Secondary display: the bedside monitors and infusion pumps keep the primary alarms. "
    "Beds that need attention come first: HIGH not acknowledged, escalated, no data during a dose "
    "window, infusing, other open alerts, the 6 h and 24 h windows."
)
TILE_MIN_WIDTH = 420
"""At least this wide: three tiles across 1366 px, four across 1920 px (the numbers at VALUE_PX fit)."""
VALUE_PX = 22
"""The numbers' size in a tile TILE_MIN_WIDTH wide; wider tiles (fewer beds) get bigger numbers."""
NOT_CURRENT_AFTER = 5.0
"""Seconds without a successful read after which the tiles are marked as not current."""


class WardLoader(QObject):
    """Reads the whole ward off the GUI thread (as ui/loader.py does for one patient)."""

    loaded = Signal(object)  # WardView
    failed = Signal(str)

    def __init__(
        self,
        store: SqlSeriesStore,
        clock: Clock,
        stale_after: float,
        rule_signals: Mapping[str, frozenset[str]],
    ) -> None:
        super().__init__()
        self._store = store
        self._clock = clock
        self._stale_after = stale_after
        self._rule_signals = rule_signals

    @Slot()
    def load(self) -> None:
        began = time.perf_counter()
        try:
            if not self._store.schema_ready():
                self.failed.emit("Waiting for the ingest service to create the database…")
                return
            now = self._clock()
            facts = read_ward(self._store, now)
            view = ward_view(facts, now, self._stale_after, self._rule_signals, time.perf_counter() - began)
        except Exception as exc:  # a database error must show on screen, never kill the UI
            log.exception("reading the ward failed")
            self.failed.emit(f"Cannot read the database: {type(exc).__name__}: {exc}")
            return
        self.loaded.emit(view)


class WardReader(QObject):
    """Owns the worker thread. The overview asks again only after an answer came back, so reads
    never pile up and happen at most once per refresh interval."""

    request = Signal()

    def __init__(self, loader: WardLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self._thread = QThread()
        self._thread.setObjectName("bedside-ward-reader")
        loader.moveToThread(self._thread)
        self.request.connect(loader.load)
        self._thread.start()

    def stop(self) -> None:
        self._thread.quit()
        if not self._thread.wait(10_000):
            log.error("the ward reader did not stop within 10 s")


def _hms(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%H:%M")


def dose_text(view_bed, now: float) -> str:  # type: ignore[no-untyped-def]
    d, state = view_bed.dose, view_bed.dose_state
    if d is None:
        return "No dose recorded"
    of = f" of {d.course_doses}" if d.course_doses else ""
    if state is DoseState.INFUSING:
        s = max(0, int(now - d.start))
        unconfirmed = " · start not confirmed" if d.state == "candidate" else ""
        return (
            f"<b>INFUSING</b> dose {d.dose}{of} · {s // 3600:02d}:{(s % 3600) // 60:02d}"
            f" since {_hms(d.start)}{unconfirmed}"
        )
    assert d.end is not None
    ago = describe_silence(now - d.end)
    if state is DoseState.WINDOW_6H:
        return f"<b>Dose {d.dose}{of} ended {ago} ago</b> · 6 h window"
    if state is DoseState.WINDOW_24H:
        return f"Dose {d.dose}{of} ended {ago} ago · 24 h window"
    return f"No dose in the last 24 h (dose {d.dose} ended {ago} ago)"


def summary_text(view: WardView) -> str:
    """The ward in one line, most urgent first; counts only, never an all-clear."""
    beds = view.beds
    counts = [
        (sum(1 for b in beds if b.count("high", unacknowledged=True)), "HIGH not acknowledged"),
        (sum(1 for b in beds if b.escalated), "escalated"),
        (sum(1 for b in beds if b.blind), "without data"),
        (sum(1 for b in beds if b.dose_state is DoseState.INFUSING), "infusing"),
        (sum(1 for b in beds if b.problems), "with open alerts"),
        (sum(1 for b in beds if b.dose_state is DoseState.WINDOW_6H), "within 6 h of a dose"),
        (sum(1 for b in beds if b.dose_state is DoseState.WINDOW_24H), "within 24 h"),
    ]
    parts = [f"<b>{n}</b> {what}" for n, what in counts if n]
    return "Beds: " + (" · ".join(parts) if parts else "none infusing or in a dose window, no open alert")


class BedTile(QFrame):
    """One bed. Focusable: Tab and the arrow keys move between beds, Enter opens the focused one."""

    activated = Signal(str)  # the patient's reference
    move = Signal(object, int, int)  # this tile, columns, rows

    def __init__(self, ref: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ref = ref
        self.theme = theme
        self.setObjectName("bed")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        root = QVBoxLayout(self)
        root.setContentsMargins(10, 6, 10, 8)
        root.setSpacing(3)
        top = QHBoxLayout()
        self.bed_label = QLabel("")
        self.reason_label = QLabel("")
        self.reason_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.reason_label.setWordWrap(True)
        top.addWidget(self.bed_label)
        top.addStretch(1)
        top.addWidget(self.reason_label)
        root.addLayout(top)
        self.patient_label = QLabel("")
        self.patient_label.setWordWrap(True)  # a long name wraps rather than widening the tile
        self.alerts_label = QLabel("")
        self.alerts_label.setTextFormat(Qt.TextFormat.RichText)
        self.alerts_label.setWordWrap(True)
        self.dose_label = QLabel("")
        self.dose_label.setTextFormat(Qt.TextFormat.RichText)
        self.dose_label.setWordWrap(True)
        for w in (self.patient_label, self.alerts_label, self.dose_label):
            root.addWidget(w)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(0)
        self.numeric_labels: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for col, key in enumerate(("hr", "spo2", "abp_sys", "temp")):
            name, value, base = QLabel(""), QLabel("—"), QLabel("")
            grid.addWidget(name, 0, col)
            grid.addWidget(value, 1, col)
            grid.addWidget(base, 2, col, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(col, 2 if key == "abp_sys" else 1)
            self.numeric_labels[key] = (name, value, base)
        root.addLayout(grid)
        self.feeds_label = QLabel("")
        self.feeds_label.setTextFormat(Qt.TextFormat.RichText)
        self.feeds_label.setWordWrap(True)
        root.addWidget(self.feeds_label)
        self._sheets: dict[QWidget, str] = {}
        self.border = ""
        self.value_px = VALUE_PX

    def _style(self, widget: QWidget, sheet: str) -> None:
        """Style sheets only when they change: re-polishing every tile every second costs."""
        if self._sheets.get(widget) != sheet:
            self._sheets[widget] = sheet
            widget.setStyleSheet(sheet)

    def show_bed(self, bed, view: WardView, current: bool) -> None:  # type: ignore[no-untyped-def]
        theme, quiet = self.theme, f"color:{self.theme.quiet};"
        p = bed.patient
        self.bed_label.setText(p.location or "no bed")
        self._style(self.bed_label, "font-size:15pt; font-weight:700;")
        self.patient_label.setText(f"{p.display_name}   MRN {p.ref.identifier}")
        self._style(self.patient_label, "font-size:11pt;")
        reason = bed.attention.reason
        self.reason_label.setText(reason)
        self._style(self.reason_label, "font-size:10pt;" + quiet)

        # Problems by severity; "no open alert" only ever with what it rests on.
        high, medium, low = (bed.count(s) for s in ("high", "medium", "low"))
        parts = []
        for sev, n in (("high", high), ("medium", medium), ("low", low)):
            if n:
                raised = bed.count(sev, unacknowledged=True)
                ack = f" ({raised} not acknowledged)" if raised else " (acknowledged)"
                parts.append(f"<b>{sev.upper()} {n}</b>{ack}")
        if bed.escalated:
            parts.append("<b>ESCALATED</b>")
        top = bed.problems[0] if bed.problems else None
        if top is not None:
            parts.append(top.title)
            self.alerts_label.setText(" · ".join(parts))
            self._style(self.alerts_label, f"font-size:12pt; padding:2px 6px; {SEVERITY_STYLE[top.severity]}")
        elif not view.alerting_live:
            self.alerts_label.setText("■ Alerts not checked: infusion-reaction alerting is not running")
            self._style(self.alerts_label, f"font-size:12pt; font-weight:600; padding:2px 6px; {TECHNICAL}")
        elif bed.blind:
            self.alerts_label.setText(f"■ No open alert, but Bedside cannot see this bed: {bed.blind_reason}")
            self._style(self.alerts_label, f"font-size:12pt; font-weight:600; padding:2px 6px; {TECHNICAL}")
        else:
            self.alerts_label.setText("No open infusion-reaction alert")
            self._style(
                self.alerts_label, f"font-size:12pt; padding:2px 6px; background:transparent; {quiet}"
            )
        self.dose_label.setText(dose_text(bed, view.now))
        self._style(self.dose_label, "font-size:12pt;")

        for r in bed.readings:
            self._show_numeric(r, current)

        feeds = []
        if not bed.feeds:
            feeds.append(f'<span style="{TECHNICAL}">&nbsp;■ No device feed bound to this bed&nbsp;</span>')
        for f in sorted(bed.feeds, key=lambda f: f.sender):
            name = f.sender.split("^")[0]
            silence = describe_silence(f.silent_for).replace(" ", "&nbsp;")  # wrap between feeds only
            if f in bed.stale_feeds:
                chip = f"■ {name}: no data for ".replace(" ", "&nbsp;") + silence
                feeds.append(f'<span style="{TECHNICAL}">&nbsp;{chip}&nbsp;</span>')
            else:
                feeds.append(f'<span style="{quiet}">●&nbsp;{name}&nbsp;{silence}</span>')
        self.feeds_label.setText("&nbsp;&nbsp; ".join(feeds))
        self._style(self.feeds_label, "font-size:10pt;")

        if top is not None and top.state == "raised" and top.severity in SEVERITY_COLOUR:
            border = SEVERITY_COLOUR[top.severity]
        elif bed.blind or not view.alerting_live:
            border = "#00acc1"
        elif top is not None:
            border = SEVERITY_COLOUR.get(top.severity, theme.quiet)
        else:
            border = theme.panel
        self.border = border
        self._paint_frame()

    def _paint_frame(self) -> None:
        self._style(
            self,
            f"QFrame#bed {{ background:{self.theme.panel}; border:2px solid {self.border};"
            f" border-radius:6px; }} QFrame#bed:focus {{ border:3px solid {self.theme.text}; }}"
            " QLabel { background:transparent; }",
        )

    def _show_numeric(self, r: NumericReading, current: bool) -> None:
        name, value, base = self.numeric_labels[r.spec.key]
        theme = self.theme
        colour = theme.quiet if r.stale or not current else theme.text
        if r.severity:
            colour = SEVERITY_COLOUR[r.severity]
        unit = display_unit(r.spec.unit)
        name.setText(f"{r.label} {unit}" + (" · manual" if r.manual else ""))
        self._style(name, f"font-size:10pt; color:{theme.quiet};")
        value.setText(r.text())
        self._style(value, f"font-size:{self.value_px}px; font-weight:600; color:{colour};")
        # One short line each (baseline, then the age of an old value): a tile stays narrow enough
        # for three across 1366 px however much there is to say.
        bits = []
        if r.baseline is not None:
            change = r.change_text()
            bits.append(f"base {r.baseline:.{r.spec.decimals}f}" + (f" {change}" if change else ""))
        elif r.value is not None:
            bits.append("no baseline")
        if r.value is None:
            bits.append("none in 75 min")
        elif r.stale and r.age is not None:
            bits.append(f"{describe_silence(r.age)} old")
        base.setText("\n".join(bits))
        self._style(base, f"font-size:10pt; color:{theme.quiet};")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.ref)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.ref)
            return
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in steps:
            self.move.emit(self, *steps[key])
            return
        super().keyPressEvent(event)


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
        self.title = QLabel("Ward overview")
        self.title.setStyleSheet("font-size:18pt; font-weight:600;")
        header.addWidget(self.title)
        header.addStretch(1)
        self.read_label = QLabel("")
        header.addWidget(self.read_label)
        if demo:
            tag = QLabel("DEMO · synthetic data")
            tag.setStyleSheet(f"font-size:11pt; padding:2px 8px; border:1px solid {theme.quiet};")
            header.addWidget(tag)
        root.addLayout(header)
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size:12pt;")
        root.addWidget(self.summary)
        self.notice = QLabel(WARD_NOTICE)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color:{theme.quiet}; font-size:10pt;")
        root.addWidget(self.notice)
        self.system = QLabel("")  # alerting stopped, ingest silent, database unreadable: cyan, loud
        self.system.setTextFormat(Qt.TextFormat.RichText)
        self.system.setWordWrap(True)
        self.system.setStyleSheet("font-size:13pt; font-weight:600; padding:4px 6px;" + TECHNICAL)
        self.system.hide()
        root.addWidget(self.system)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.canvas = QWidget()
        self.grid = QGridLayout(self.canvas)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll.setWidget(self.canvas)
        root.addWidget(self.scroll, stretch=1)
        self.tiles: dict[str, BedTile] = {}
        self.order: list[str] = []
        self.columns = 0
        self.value_px = VALUE_PX
        self.view: WardView | None = None
        self.last_read: float | None = None
        self.failure = ""

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
                tile.value_px = self.value_px
                tile.activated.connect(self.activated)
                tile.move.connect(self._move_focus)
                self.tiles[ref] = tile
            self.tiles[ref].show_bed(bed, view, current=True)
        n = len(view.beds)
        self.title.setText(f"Ward overview · {n} bed{'s' if n != 1 else ''}" if n else "Ward overview")
        # Every read: new text can need another column count (a long alert title, an old value).
        changed = refs != self.order
        self.order = refs
        self._reflow(force=changed)
        self.summary.setText(summary_text(view))
        self.read_label.setText(f"read {datetime.fromtimestamp(view.now).strftime('%H:%M:%S')}")
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
        self._show_system(now)

    def _show_system(self, now: float | None = None) -> None:
        parts = []
        view = self.view
        if self.failure:
            since = (
                f" The tiles show the read of {datetime.fromtimestamp(self.last_read).strftime('%H:%M:%S')}:"
                " not current."
                if self.last_read is not None
                else ""
            )
            parts.append(f"■ {self.failure}.{since}")
        if view is not None:
            if not view.alerting_live:
                why = (
                    "is not running"
                    if view.alerting_beat is None
                    else f"silent for {describe_silence(view.now - view.alerting_beat)}"
                )
                parts.append(
                    f"■ Infusion-reaction alerting {why}: no bed's reactions are being checked by Bedside."
                )
            if view.ingest_beat is not None and view.now - view.ingest_beat > HEARTBEAT_STALE_AFTER:
                parts.append(
                    f"■ The ingest service is silent for {describe_silence(view.now - view.ingest_beat)}:"
                    " no new data from any bed."
                )
            if not view.beds:
                parts.append("■ No patient in a bed yet: ADT has admitted no one this screen can see.")
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
        store: SqlSeriesStore,
        nurse: MainWindow,
        clock: Clock = time.time,
        stale_after: float = 15.0,
        refresh_ms: int = 1000,
        demo: bool = False,
        rules: RuleSet | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Bedside — ward overview" + (" — DEMO, synthetic data" if demo else ""))
        self._clock = clock
        self.nurse = nurse
        self.theme = nurse.theme
        self.setStyleSheet(stylesheet(self.theme))
        self.overview = WardOverview(self.theme, demo)
        self.overview.activated.connect(self.open_bed)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.overview)
        nurse.setWindowFlags(Qt.WindowType.Widget)
        self.stack.addWidget(nurse)
        self.setCentralWidget(self.stack)
        self.back_button = QPushButton("◀ Ward overview (Esc)")
        self.back_button.setToolTip("Back to every bed")
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

        signals = (rules or RuleSet.load()).signals_of()
        self._loader = WardLoader(store, clock, stale_after, signals)
        self._loader.loaded.connect(self.on_loaded)
        self._loader.failed.connect(self.on_failed)
        self._reader = WardReader(self._loader, self)
        self._waiting = False
        self.reads = 0
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
        self._reader.request.emit()

    @Slot(object)
    def on_loaded(self, view: WardView) -> None:
        self._waiting = False
        self.reads += 1
        self.overview.show_view(view)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self._waiting = False
        self.overview.show_failure(message, self._clock())

    @Slot(str)
    def open_bed(self, ref: str) -> None:
        """The nurse's screen of this bed, once it shows this patient: never another patient's
        screen under this bed's name, even for the second its read takes."""
        self.opening = ref
        self._opening_since = time.monotonic()
        self.nurse.show_patient(ref)
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
        elif time.monotonic() - self._opening_since > 10.0:
            self._open_timer.stop()
            self.opening = None
            self.overview.show_failure(
                "Cannot open the bed: its screen did not load within 10 s", self._clock()
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
        self._reader.stop()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # The embedded nurse's screen gets no close event of its own: stop its reader too.
        self.shutdown()
        self.nurse.shutdown()
        super().closeEvent(event)
