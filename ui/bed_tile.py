"""One bed of the ward overview as a tile: the bed, the patient, the problems by severity, the dose,
four key numbers against baseline, and the bed's feeds. What it says is decided in bedside.ward and
bedside.ward_text; the tile lays it out and colours it by meaning."""

from __future__ import annotations

from bedside_ui.alert_words import alert_title
from bedside_ui.theme import SEVERITY_COLOUR, SEVERITY_STYLE, TECHNICAL, Theme, severity_text
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from bedside.feeds import data_age, describe_silence
from bedside.i18n import localize_number
from bedside.numerics import NumericReading
from bedside.rules.ruleset import RuleSet
from bedside.units import display_unit
from bedside.ward import BedView, WardView
from bedside.ward_text import alerts_text, dose_text

VALUE_PX = 22
"""The numbers' size in a tile of the overview's narrowest width; wider tiles (fewer beds) get bigger
numbers."""


class BedTile(QFrame):
    """One bed. Focusable: Tab and the arrow keys move between beds, Enter opens the focused one."""

    activated = Signal(str)  # the patient's reference
    move = Signal(object, int, int)  # this tile, columns, rows

    def __init__(self, ref: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ref = ref
        self.theme = theme
        self.rules: RuleSet | None = None
        """The rule set in use (alert titles in the screen's language); None: the shipped one."""
        self.setObjectName("bed")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # As tall as its wrapped lines need at the width it gets (Maximum would cap it at the height
        # its lines need unwrapped, cutting the bottom lines off a narrow tile).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
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
        self.blind_label = QLabel("")
        self.blind_label.setWordWrap(True)
        self.blind_label.hide()
        for w in (self.patient_label, self.alerts_label, self.blind_label, self.dose_label):
            root.addWidget(w)
        grid = QGridLayout()
        grid.setHorizontalSpacing(
            6
        )  # four numbers and their baselines across a third of 1366 px, in Spanish too
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

    def show_bed(self, bed: BedView, view: WardView, current: bool) -> None:
        theme, quiet = self.theme, f"color:{self.theme.quiet};"
        p = bed.patient
        self.bed_label.setText(p.location or QCoreApplication.translate("BedTile", "no bed"))
        self._style(self.bed_label, "font-size:15pt; font-weight:700;")
        self.patient_label.setText(
            QCoreApplication.translate("BedTile", "{name}   MRN {mrn}").format(
                name=p.display_name, mrn=p.ref.identifier
            )
        )
        self._style(self.patient_label, "font-size:11pt;")
        reason = bed.attention.reason
        self.reason_label.setText(reason)
        self._style(self.reason_label, "font-size:10pt;" + quiet)

        # Every open alert by severity, as the bed's Alerts list shows them, and how many wait to be
        # acknowledged; "no open alert" only ever with what it rests on.
        parts = [f"<b>{alerts_text(bed)}</b>"] if bed.alerts else []
        if bed.escalated:
            parts.append("<b>" + QCoreApplication.translate("BedTile", "ESCALATED") + "</b>")
        top = bed.problems[0] if bed.problems else None
        if top is not None:
            parts.insert(0, f"<b>{severity_text(top.severity)}</b> {alert_title(top, self.rules)}")
            self.alerts_label.setText(" · ".join(parts))
            self._style(self.alerts_label, f"font-size:12pt; padding:2px 6px; {SEVERITY_STYLE[top.severity]}")
        elif not view.alerting_live:
            self.alerts_label.setText(
                QCoreApplication.translate(
                    "BedTile", "■ Alerts not checked: infusion-reaction alerting is not running"
                )
            )
            self._style(self.alerts_label, f"font-size:12pt; font-weight:600; padding:2px 6px; {TECHNICAL}")
        elif bed.blind:
            self.alerts_label.setText(
                QCoreApplication.translate(
                    "BedTile", "■ No open alert, but Bedside cannot see this bed: {reason}"
                ).format(reason=bed.blind_reason)
            )
            self._style(self.alerts_label, f"font-size:12pt; font-weight:600; padding:2px 6px; {TECHNICAL}")
        else:
            self.alerts_label.setText(
                QCoreApplication.translate("BedTile", "No open infusion-reaction alert")
            )
            self._style(
                self.alerts_label, f"font-size:12pt; padding:2px 6px; background:transparent; {quiet}"
            )
        # An open alert does not make the values current: a bed Bedside cannot see says so beside it.
        if top is not None and bed.blind:
            self.blind_label.setText(
                QCoreApplication.translate("BedTile", "■ Bedside cannot see this bed: {reason}").format(
                    reason=bed.blind_reason
                )
            )
            self._style(self.blind_label, f"font-size:12pt; font-weight:600; padding:2px 6px; {TECHNICAL}")
        self.blind_label.setVisible(top is not None and bed.blind)
        self.dose_label.setText(dose_text(bed, view.now))
        self._style(self.dose_label, "font-size:12pt;")

        for r in bed.readings:
            self._show_numeric(r, current)

        feeds = []
        if not bed.feeds:
            none = QCoreApplication.translate("BedTile", "■ No device feed bound to this bed")
            feeds.append(f'<span style="{TECHNICAL}">&nbsp;{none}&nbsp;</span>')
        for f in sorted(bed.feeds, key=lambda f: f.sender):
            name = f.sender.split("^")[0]
            silence = describe_silence(f.silent_for).replace(" ", "&nbsp;")  # wrap between feeds only
            if f in bed.stale_feeds:
                # The age of its newest value, as the values it left behind say theirs.
                silence = describe_silence(data_age(f)).replace(" ", "&nbsp;")
                chip = (
                    QCoreApplication.translate("BedTile", "■ {feed}: no data for {silence}")
                    .replace(" ", "&nbsp;")
                    .format(feed=name, silence=silence)
                )
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
        # Red only while current: a value a stopped feed left behind is greyed with its age.
        if r.shown_severity and current:
            colour = SEVERITY_COLOUR[r.shown_severity]
        unit = display_unit(r.spec.unit)
        name.setText(
            f"{r.label} {unit}" + (QCoreApplication.translate("BedTile", " · manual") if r.manual else "")
        )
        self._style(name, f"font-size:10pt; color:{theme.quiet};")
        value.setText(localize_number(r.text()))
        self._style(value, f"font-size:{self.value_px}px; font-weight:600; color:{colour};")
        # One short line each (baseline, then the age of an old value): a tile stays narrow enough
        # for three across 1366 px however much there is to say.
        bits = []
        if r.baseline is not None:
            # The nurse's tile's words: a blood pressure's baseline as sys/dia (mean), as its value.
            change = r.change_text()
            bits.append(localize_number(r.baseline_text() + (f" {change}" if change else "")))
        elif r.value is not None:
            bits.append(QCoreApplication.translate("BedTile", "no baseline"))
        if r.value is None:
            bits.append(QCoreApplication.translate("BedTile", "none in 75 min"))
        elif r.stale and r.age is not None:
            bits.append(
                QCoreApplication.translate("BedTile", "{age} old").format(age=describe_silence(r.age))
            )
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
