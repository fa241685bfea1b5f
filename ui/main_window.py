"""The nurse's screen (SCREENS.md): header with the dose, the highest open alert, numerics against
baseline, stacked trends, the check schedule, feed health, and the secondary-alarm notice."""

from __future__ import annotations

import time
from datetime import datetime
from functools import partial

from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_ui import actions
from bedside_ui.alert_list import AlertListDialog
from bedside_ui.dialogs import (
    AckDialog,
    AdverseEventDialog,
    ConfirmDoseDialog,
    MuteDialog,
    RecordVitalsDialog,
    ShiftUser,
    SignCheckDialog,
    StartDoseDialog,
    StopDoseDialog,
    edit_time,
)
from bedside_ui.fit import FitLabel
from bedside_ui.loader import LoaderThread, ScreenData, SnapshotLoader
from bedside_ui.numerics_panel import NumericsPanel
from bedside_ui.supervisor import Supervisor
from bedside_ui.theme import SEVERITY_STYLE, TECHNICAL, THEMES, Theme, stylesheet
from bedside_ui.trends import PRESETS, TrendPanel
from PySide6.QtCore import QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bedside.alert_screen import (
    MUTE_SECONDS,
    AlertSound,
    alarming,
    banner_alert,
    escalation_text,
    unacknowledged,
)
from bedside.checks import CheckState, check_statuses, on_screen, pre_dose_gaps, preselect, schedule
from bedside.clock import Clock
from bedside.feeds import FeedPace, FeedState, describe_clock, describe_silence
from bedside.live import LiveSnapshot
from bedside.numerics import readings
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from bedside.rules.targets import preexisting
from bedside.rules.watching import watching
from bedside.status import EMPTY_STATUS, DoseInfo, PatientStatus
from bedside.units import dose_heading

SECONDARY_NOTICE = (
    "Bedside is a secondary display: the bedside monitor and the infusion pump keep the primary alarms."
)
MUTE_TIP = "Silence Bedside's sound for 2 min (logged). The monitor and the pump keep the primary alarms."
HEARTBEAT_STALE_AFTER = 20.0
ALERTING_STALE_AFTER = 10.0
POST_DOSE_WINDOW = 6 * 3600.0
"""W6 of the rules: a feed that stops from the start to 6 h after the end is an emergency of its own."""
SOURCE_NAMES = {"pcd10": "pump", "pcd01-status": "pump status", "ras": "eMAR", "manual": "nurse's entry"}
CHECK_MARK = {
    CheckState.DONE: "✓",
    CheckState.DUE: "●",
    CheckState.OVERDUE: "●",
    CheckState.MISSED: "●",
    CheckState.UPCOMING: "○",
    CheckState.LATER: "○",
    CheckState.WAITING: "○",
}


def local(at: float, fmt: str = "%d %b %H:%M") -> str:
    return datetime.fromtimestamp(at).strftime(fmt)


def elapsed(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{(s % 3600) // 60:02d}:{s % 60:02d}"


class MainWindow(QMainWindow):
    def __init__(
        self,
        store: SqlSeriesStore,
        catalog: ParameterCatalog,
        clock: Clock = time.time,
        supervisor: Supervisor | None = None,
        demo: bool = False,
        span: float = 3600.0,
        stale_after: float = 15.0,
        patient_id: str | None = None,
        refresh_ms: int = 1000,
        settings: QSettings | None = None,
        theme: str | None = None,
        rules: RuleSet | None = None,
        restore_geometry: bool = True,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Bedside" + (" — DEMO, synthetic data" if demo else ""))
        self._clock = clock
        self._pace = FeedPace()  # a backlog's lag is not a clock skew: told apart between looks
        self._store = store
        self._supervisor = supervisor
        self._demo = demo
        self._settings = settings if settings is not None else QSettings()
        self.theme: Theme = THEMES.get(theme or str(self._settings.value("theme", "dark")), THEMES["dark"])
        self._rules = rules or RuleSet.load()
        self._rule_signals = self._rules.signals_of()
        self.user = ShiftUser()
        self.snapshot: LiveSnapshot | None = None
        self.data: ScreenData | None = None
        self.status: PatientStatus = EMPTY_STATUS
        self.refreshes = 0
        self.tick_ms = 0.0
        self.last_action: tuple[str, object] | None = None
        self._waiting = False
        self._patient_ref: str | None = None

        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(8, 4, 8, 4)
        root.setSpacing(4)
        root.addLayout(self._build_header(demo))
        self.banner = QLabel("")
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setWordWrap(True)
        self.ack_button = QPushButton("Acknowledge…")
        self.ack_button.setToolTip("Acknowledge the alert shown (A)")
        self.ack_button.clicked.connect(self.acknowledge_top)
        self.alerts_button = QPushButton("Alerts")
        self.alerts_button.setToolTip("Every open alert: acknowledge any of them, one or several")
        self.alerts_button.clicked.connect(self.show_alert_list)
        self.alert_list: AlertListDialog | None = None
        # High and escalated alerts sound until acknowledged; a mute is short, logged, and expires.
        self.sound = AlertSound()
        self.mute_button = QPushButton(f"Mute {MUTE_SECONDS / 60:g} min…")
        self.mute_button.setToolTip(MUTE_TIP)
        self.mute_button.clicked.connect(self.mute_sound)
        self.mute_button.hide()  # shown while something sounds, or while muted
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, stretch=1)
        banner_row.addWidget(self.ack_button)
        banner_row.addWidget(self.alerts_button)
        banner_row.addWidget(self.mute_button)
        self.banner_frame = QFrame()
        self.banner_frame.setLayout(banner_row)
        root.addWidget(self.banner_frame)
        self.technical = QLabel("")  # feeds that stopped during a dose, a stalled engine: cyan, loud
        self.technical.setTextFormat(Qt.TextFormat.RichText)
        self.technical.setWordWrap(True)
        self.technical.hide()
        root.addWidget(self.technical)
        self.status_label = QLabel("")
        self.status_label.setStyleSheet("font-size:12pt; padding:3px 6px;" + TECHNICAL)
        self.status_label.hide()
        root.addWidget(self.status_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.numerics = NumericsPanel(self.theme)
        self.trends = TrendPanel(catalog, theme=self.theme)
        # Review, sound and theme sit on the trends' control row: the header keeps the patient and
        # the dose, and must fit 1366 px.
        base = self.trends.controls.count() - 2  # after the stretch, before "Lab:" and its list
        for i, tool in enumerate(self._tools):
            self.trends.controls.insertWidget(base + i, tool)
        self.trends.controls.insertSpacing(base + len(self._tools), 12)
        self.splitter.addWidget(self.numerics)
        self.splitter.addWidget(self.trends)
        self.splitter.setStretchFactor(1, 1)
        root.addWidget(self.splitter, stretch=1)
        root.addLayout(self._build_bottom())
        self.setCentralWidget(central)

        self._loader = SnapshotLoader(store, clock, span, stale_after, patient_id)
        self._loader.loaded.connect(self.on_loaded)
        self._loader.failed.connect(self.on_failed)
        self._loader.acted.connect(self.on_acted)
        self._loader.action_failed.connect(self.on_action_failed)
        self._reader = LoaderThread(self._loader, self)
        self.trends.view_changed.connect(self.on_view_changed)
        self.trends.lab_changed.connect(lambda _key: self.refresh())
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        if supervisor is not None:
            supervisor.changed.connect(self._show_services)
        self._shortcuts()
        self._restore(restore_geometry)
        self.apply_theme(self.theme)
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------------

    def _build_header(self, demo: bool) -> QVBoxLayout:
        """Two rows, so the header fits 1366 px whatever it holds: the patient (and the bed switcher,
        the demo tag) above, the dose, its state and its buttons below. Each text shrinks its font
        to its room rather than widen the window past the screen or lose a character."""
        header = QVBoxLayout()
        header.setSpacing(0)
        top = QHBoxLayout()
        row = QHBoxLayout()
        header.addLayout(top)
        header.addLayout(row)
        self.patient_label = FitLabel("No patient yet", 20, bold=True, smallest=12)
        self.details_label = FitLabel("", 12, smallest=8)
        self.details_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.patient_label)
        top.addSpacing(12)
        top.addWidget(self.details_label, stretch=1)
        self.dose_label = FitLabel("No dose recorded", 14, bold=True, smallest=9)
        self.infusion_label = FitLabel("", 14, smallest=9)
        self.infusion_label.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.dose_label)
        row.addSpacing(16)
        row.addWidget(self.infusion_label, stretch=1)
        self.start_button = QPushButton("Start dose…")
        self.stop_button = QPushButton("Stop dose…")
        self.confirm_button = QPushButton("Confirm start…")
        self.start_button.clicked.connect(self.start_dose)
        self.stop_button.clicked.connect(self.stop_dose)
        self.confirm_button.clicked.connect(self.confirm_dose)
        for b in (self.confirm_button, self.start_button, self.stop_button):
            row.addWidget(b)
        self.stop_button.hide()
        self.confirm_button.hide()
        self.bed_choice = QComboBox()
        self.bed_choice.setToolTip("Switch bed (Ctrl+PgDown / Ctrl+PgUp)")
        self.bed_choice.activated.connect(self._bed_chosen)
        self.bed_choice.hide()
        # A long bed name must not widen the window: the list shows it in full when opened.
        self.bed_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.bed_choice.setMinimumContentsLength(24)
        top.addWidget(self.bed_choice)
        self.review_button = QPushButton("Review…")
        self.review_button.setToolTip("The post-dose review of this patient, and the cohort (Ctrl+R)")
        self.review_button.clicked.connect(self.open_review)
        self._tools = [self.review_button]
        self.sound_button = QPushButton("Sound: High")
        self.sound_button.setCheckable(True)
        self.sound_button.setToolTip(
            "High and escalated alerts always sound until acknowledged (Mute silences them for 2 min). "
            "On: a short cue for every other new alert too. The monitor and the pump keep the primary "
            "audible alarms."
        )
        self.sound_button.toggled.connect(self._sound_toggled)
        self._tools.append(self.sound_button)
        self.theme_button = QPushButton("Light")
        self.theme_button.setToolTip("Light or dark theme (Ctrl+T)")
        self.theme_button.clicked.connect(self.toggle_theme)
        self._tools.append(self.theme_button)
        if demo:
            self.demo_tag = QLabel("DEMO · synthetic data")
            top.addWidget(self.demo_tag)
        return header

    def _build_bottom(self) -> QHBoxLayout:
        bottom = QHBoxLayout()
        checks = QVBoxLayout()
        checks.setSpacing(2)
        self.checks_label = QLabel("Checks: no dose")
        self.checks_label.setTextFormat(Qt.TextFormat.RichText)
        self.checks_label.setWordWrap(True)
        checks.addWidget(self.checks_label)
        buttons = QHBoxLayout()
        self.sign_button = QPushButton("Sign check…")
        self.sign_button.setEnabled(False)  # until a dose's schedule is on screen
        self._open_checks: list[tuple[str, str]] = []
        self.sign_button.clicked.connect(self.sign_check)
        self.ae_button = QPushButton("Record adverse event…")
        self.ae_button.clicked.connect(self.record_adverse_event)
        self.vitals_button = QPushButton("Record vitals…")
        self.vitals_button.setToolTip("Vital signs measured by hand: temperature, cuff BP, SpO2, HR, RR")
        self.vitals_button.setEnabled(False)  # until a patient is on screen
        self.vitals_button.clicked.connect(self.record_vitals)
        buttons.addWidget(self.vitals_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.ae_button)
        buttons.addStretch(1)
        checks.addLayout(buttons)
        feeds = QVBoxLayout()
        feeds.setSpacing(2)
        self.feeds_label = QLabel("Waiting for data…")
        self.feeds_label.setTextFormat(Qt.TextFormat.RichText)
        self.feeds_label.setWordWrap(True)  # many feeds must not widen the window past the screen
        self.alerting_label = QLabel("")
        self.alerting_label.setTextFormat(Qt.TextFormat.RichText)
        self.notice_label = QLabel(SECONDARY_NOTICE)
        self.notice_label.setWordWrap(True)
        self.service_label = QLabel("")
        feeds.addWidget(self.feeds_label)
        # Every label here wraps: a long line must never widen the window past a 1366 px screen.
        for label in (self.alerting_label, self.service_label):
            label.setWordWrap(True)
        feeds.addWidget(self.alerting_label)
        feeds.addWidget(self.notice_label)
        feeds.addWidget(self.service_label)
        bottom.addLayout(checks, stretch=1)
        bottom.addLayout(feeds, stretch=1)
        return bottom

    def _shortcuts(self) -> None:
        for i, (name, _span) in enumerate(PRESETS):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, activated=partial(self.trends.choose_preset, name))
        QShortcut(QKeySequence("F"), self, activated=lambda: self.trends.set_following(True))
        QShortcut(QKeySequence("A"), self, activated=self.acknowledge_top)
        QShortcut(QKeySequence("Ctrl+T"), self, activated=self.toggle_theme)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, activated=lambda: self._step_bed(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, activated=lambda: self._step_bed(-1))
        QShortcut(QKeySequence("F11"), self, activated=self._toggle_full_screen)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.open_review)

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setStyleSheet(stylesheet(theme))
        quiet = f"color:{theme.quiet};"
        # The header's texts size themselves to fit (FitLabel): their style sheets carry colour only.
        self.details_label.setStyleSheet(quiet)
        self.notice_label.setStyleSheet(quiet)
        self.service_label.setStyleSheet(quiet)
        self.feeds_label.setStyleSheet("font-size:10pt;")
        self.checks_label.setStyleSheet("font-size:11pt;")
        if hasattr(self, "demo_tag"):
            self.demo_tag.setStyleSheet(f"font-size:11pt; padding:2px 8px; border:1px solid {theme.quiet};")
        self.theme_button.setText("Dark" if theme.name == "light" else "Light")
        self.numerics.apply_theme(theme)
        self.trends.apply_theme(theme)
        self._settings.setValue("theme", theme.name)
        if self.data is not None:
            self.on_loaded(self.data)

    @Slot()
    def toggle_theme(self) -> None:
        self.apply_theme(THEMES["light" if self.theme.name == "dark" else "dark"])

    def _restore(self, geometry_too: bool) -> None:
        geometry = self._settings.value("window/geometry") if geometry_too else None
        self.restored = geometry is not None and self.restoreGeometry(geometry)
        split = self._settings.value("window/splitter")
        if split is not None:
            self.splitter.restoreState(split)
        preset = self._settings.value("trends/preset")
        if preset in dict(PRESETS):
            self.trends.choose_preset(str(preset))
        lab = self._settings.value("trends/lab")
        if lab:
            i = self.trends.lab_choice.findData(lab)
            if i >= 0:
                self.trends.lab_choice.setCurrentIndex(i)

    def save_layout(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/splitter", self.splitter.saveState())
        checked = [n for n, b in self.trends.preset_buttons.items() if b.isChecked()]
        if checked:
            self._settings.setValue("trends/preset", checked[0])
        self._settings.setValue("trends/lab", self.trends.lab)
        self._settings.sync()

    def _hold_wrapped(self) -> None:
        """A wrapped text (the banner, the checks, the feeds) keeps the height its lines need at the
        width it has: Qt's main window does not ask for heights for widths, and would cut the last
        line of an alert's message; the trends give up the height instead."""
        for label in self._wrapped:
            need = label.heightForWidth(label.width()) if label.isVisibleTo(self) else 0
            if need > 0 and label.minimumHeight() != need:
                label.setMinimumHeight(need)

    @property
    def _wrapped(self) -> list[QLabel]:
        central = self.centralWidget()
        if central is None:
            return []
        return [w for w in central.findChildren(QLabel) if w.wordWrap()]

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._hold_wrapped()

    def fit_to_screen(self) -> None:
        """The whole window, its frame included, on the screen's free area: never wider than the
        screen, and the bottom row of buttons above the screen's edge even where a window manager
        placed the window lower (openbox puts it at y=40 under a panel). Shrinks, never grows."""
        screen = self.screen()
        if screen is None or self.isFullScreen() or self.isMaximized():
            return
        free = screen.availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
        width = min(inner.width(), free.width() - extra_w)
        height = min(inner.height(), free.height() - extra_h)
        x = min(max(frame.x(), free.x()), free.x() + free.width() - width - extra_w)
        y = min(max(frame.y(), free.y()), free.y() + free.height() - height - extra_h)
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)
        if frame.y() > y:  # a window manager may refuse the move: then fit below where it is
            height = min(height, free.y() + free.height() - frame.y() - extra_h)
        if (width, height) != (inner.width(), inner.height()):
            self.resize(width, height)

    # ---- data --------------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        if self._waiting:  # the previous read has not come back: never queue reads up
            return
        self._waiting = True
        self._reader.request.emit()

    @Slot(object, object)
    def on_view_changed(self, span: float, end: float | None) -> None:
        r = self._loader.request
        self._loader.request = type(r)(r.patient_id, float(span), end)
        self.refresh()

    @Slot(object)
    def on_loaded(self, data: ScreenData) -> None:
        began = time.perf_counter()
        self._show(data)
        self._hold_wrapped()
        self.tick_ms = (time.perf_counter() - began) * 1000.0  # what a refresh costs the GUI thread

    def _show(self, data: ScreenData) -> None:
        self._waiting = False
        self.data = data
        snapshot, status = data.snapshot, data.status
        self.snapshot = snapshot
        self.status = status
        self.refreshes += 1
        self.status_label.hide()
        p = snapshot.patient
        self._patient_ref = None if p is None else str(p.ref)
        now = snapshot.now
        dose = status.current_dose
        if p is None:
            self.patient_label.setText("No patient yet")
            self.details_label.setText("no device data for a patient has been received")
        else:
            self.patient_label.setText(p.display_name)
            bits = [f"MRN {p.ref.identifier}"]
            if p.bed:
                bits.append(p.location)
            weight = next((d.weight_kg for d in reversed(status.doses) if d.weight_kg), None)
            bits.append(f"{weight:g} kg" if weight else "weight not entered")
            self.details_label.setText("   ".join(bits))
        self.vitals_button.setEnabled(p is not None)
        self._show_beds(snapshot)
        self._show_dose(dose, now)
        baselines = dose.baselines if dose is not None else {}
        self.numerics.show_readings(
            readings(
                data.latest,
                baselines,
                [(a.rule_id, a.severity) for a in status.alerts],
                self._rule_signals,
                now,
                manual=data.manual,
                context=preexisting(
                    dose.targets if dose is not None else {},
                    _base(baselines, "spo2"),
                    _base(baselines, "abp_mean"),
                ),
            )
        )
        self._cue_new_alerts(status, now)
        self._show_banner(status, dose, now)
        self._show_technical(snapshot, status, dose, now)
        self._show_checks(status, dose, now)
        self.feeds_label.setText(self._feeds_html(snapshot))
        self.alerting_label.setText(self._alerting_html(status, now))
        self.trends.show_snapshot(snapshot)
        self.trends.show_status(status, snapshot)
        self._show_services(data.heartbeat)

    def _sound_toggled(self, on: bool) -> None:
        self.sound_button.setText("Sound: all alerts" if on else "Sound: High")

    def _cue_new_alerts(self, status: PatientStatus, now: float) -> None:
        """The audible cue: High and escalated alerts sound by default until acknowledged (again every
        30 s) unless muted; any other new alert (not those already open when the screen opened) gives
        one cue only when the nurse turned "Sound: all alerts" on."""
        if self.sound.cue(status.alerts, now, every_new=self.sound_button.isChecked()):
            self.cues += 1
            QApplication.beep()
        mute = self.sound.mute if self.sound.muted(now) else None
        self.mute_button.setVisible(mute is not None or bool(alarming(status.alerts)))
        if mute is not None:
            self.mute_button.setText(f"Muted until {local(mute.until, '%H:%M:%S')} ({mute.by})")
            self.mute_button.setToolTip("Bedside's sound is muted; click to turn it back on now")
        else:
            self.mute_button.setText(f"Mute {MUTE_SECONDS / 60:g} min…")
            self.mute_button.setToolTip(MUTE_TIP)

    @Slot()
    def mute_sound(self) -> None:
        """Mute for 2 min, logged with who and until when; clicked while muted, the sound comes back."""
        now = self._clock()
        if self.sound.muted(now):
            self.sound.unmute()
            self.refresh()
            return
        loud = alarming(self.status.alerts)
        names = ", ".join(f"{a.severity.upper()} {a.title}" for a in loud) or "no alert sounding"
        dialog = MuteDialog(MUTE_SECONDS / 60, names, self.user, self)
        if not self._run(dialog) or self._patient_ref is None:
            return
        now = self._clock()  # the dialog may have been open a while: the 2 min start when it closes
        mute = self.sound.mute_for(dialog.by, now)
        self._act(
            "Mute",
            actions.mute_alerts,
            self._patient_ref,
            mute.by,
            mute.at,
            mute.until,
            [a.id for a in loud],
            dialog.reason.text().strip(),
        )
        self._cue_new_alerts(self.status, now)

    cues = 0

    @staticmethod
    def _style(widget: QWidget, sheet: str) -> None:
        """Set a style sheet only when it changes: re-polishing costs milliseconds on every tick."""
        if widget.styleSheet() != sheet:
            widget.setStyleSheet(sheet)

    def _show_beds(self, snapshot: LiveSnapshot) -> None:
        patients = [p for p in snapshot.patients if p.bed] or list(snapshot.patients)
        if len(patients) < 2:
            self.bed_choice.hide()
            return
        current = None if snapshot.patient is None else str(snapshot.patient.ref)
        wanted = [(f"{p.location or 'no bed'} — {p.display_name}", str(p.ref)) for p in patients]
        have = [
            (self.bed_choice.itemText(i), self.bed_choice.itemData(i)) for i in range(self.bed_choice.count())
        ]
        if have != wanted:
            self.bed_choice.clear()
            for text, ref in wanted:
                self.bed_choice.addItem(text, ref)
        i = self.bed_choice.findData(current)
        if i >= 0:
            self.bed_choice.setCurrentIndex(i)
        self.bed_choice.show()

    def _bed_chosen(self, index: int) -> None:
        self.show_patient(str(self.bed_choice.itemData(index)))

    def _step_bed(self, step: int) -> None:
        n = self.bed_choice.count()
        if n:
            self.show_patient(str(self.bed_choice.itemData((self.bed_choice.currentIndex() + step) % n)))

    def show_patient(self, patient_ref: str) -> None:
        r = self._loader.request
        self._loader.request = type(r)(patient_ref, r.span, r.end)
        self.refresh()

    def _show_dose(self, dose: DoseInfo | None, now: float) -> None:
        self.confirm_button.setVisible(dose is not None and dose.state == "candidate")
        self.stop_button.setVisible(dose is not None and dose.running)
        if dose is None:
            self.dose_label.setText("No dose recorded")
            self.infusion_label.setText(
                f'<span style="color:{self.theme.quiet}">Start a dose to anchor the rules</span>'
            )
            return
        self.dose_label.setText(dose_heading(dose.dose, dose.course_doses, dose.product, dose.cells_per_kg))
        source = SOURCE_NAMES.get(dose.source, dose.source)
        unconfirmed = (
            f' · <span style="{SEVERITY_STYLE["medium"]}">'
            f"&nbsp;start not confirmed (from the {source})&nbsp;</span>"
            if dose.state == "candidate"
            else ""
        )
        if dose.running:
            state = f"<b>INFUSING</b> {elapsed(now - dose.start)} since {local(dose.start, '%H:%M')}"
        else:
            assert dose.end is not None
            state = (
                f"Ended {describe_silence(now - dose.end)} ago ({local(dose.end)}),"
                f" ran {describe_silence(dose.end - dose.start)}"
            )
        self.infusion_label.setText(state + unconfirmed)

    def _show_banner(self, status: PatientStatus, dose: DoseInfo | None, now: float) -> None:
        # One reaction is one problem: alerts folded under a composite are shown and acknowledged
        # with it, so the banner and the count speak of problems, not of every component. The banner
        # shows the most severe problem nobody has acknowledged, so one acknowledgement moves it on
        # to the next; the Alerts list acknowledges any of them.
        problems = [a for a in status.alerts if a.folded_into is None]
        waiting = unacknowledged(status.alerts)
        top = banner_alert(status.alerts)
        self.ack_button.setEnabled(top is not None and top.state == "raised")
        n_open, n_recent = len(problems), len(status.recent)
        # Short: every character here is taken from the banner's width on a 1366 px screen.
        self.alerts_button.setText(f"Alerts ({n_open} open, {len(waiting)} to acknowledge)…")
        self.alerts_button.setToolTip(
            f"{n_open} open, {len(waiting)} not acknowledged, {n_recent} resolved in the last 24 h: "
            "acknowledge any of them, one or several"
        )
        if self.alert_list is not None:
            self.alert_list.show_alerts(status.alerts, status.recent)
        if top is None:
            self._style(self.banner_frame, f"QFrame {{ background:{self.theme.panel}; }}")
            self._style(self.banner, "font-size:14pt; padding:4px;")
            self.banner.setText(self._watching_text(dose))
            return
        style = SEVERITY_STYLE.get(top.severity, "")
        self._style(self.banner_frame, f"QFrame {{ {style} }}")
        self._style(self.banner, f"font-size:14pt; padding:4px; {style}")
        minutes = self._rules.escalation_minutes
        escalated = escalation_text(top, minutes.get(top.severity))
        mark = (
            f"<span style='background:#ffffff; color:#b71c1c'>&nbsp;<b>{escalated}</b>&nbsp;</span> "
            if escalated
            else ""
        )
        ack = (
            f" · acknowledged by {top.acked_by} {local(top.acked_at, '%H:%M')}"
            if top.acked_by and top.acked_at
            else " · not acknowledged"
        )
        others = [a for a in waiting if a.id != top.id]
        more = f" · {n_open - 1} more open" if n_open > 1 else ""
        if others:
            more += f", {len(others)} not acknowledged"
            late = sum(1 for a in others if a.escalated)
            more += f" ({late} ESCALATED)" if late else ""
        folded = sorted(
            (a for a in status.alerts if a.folded_into == top.id),
            key=lambda a: (not a.components, a.fired_at),
        )
        parts = [f"{a.title} ({a.rule_id})" if a.components else a.rule_id for a in folded]
        # In the small print: the large line must stay short enough to read across the room.
        with_parts = f" Acknowledged with it: {', '.join(parts)}." if parts else ""
        self.banner.setText(
            f"{mark}<b>{top.severity.upper()}&nbsp; {top.title}</b> (rule {top.rule_id})"
            f" since {local(top.fired_at, '%H:%M')}"
            f"{ack}{more}<br><span style='font-size:11pt'>{top.message}{with_parts}</span>"
        )

    def _watching_text(self, dose: DoseInfo | None) -> str:
        """What is watched, never a bare "no alert" that reads as reassurance."""
        if dose is None:
            return "No dose recorded: the infusion-reaction rules start with a dose"
        w = watching(self._rules, dose.baselines)
        if not dose.baselines:
            return (
                f"No infusion-reaction alert open · Watching {w.rules} rules"
                " (pre-dose baselines not read yet)"
            )
        text = f"No infusion-reaction alert open · {w.summary()}"
        return text.replace("; ", " · ")

    def _show_technical(
        self, snapshot: LiveSnapshot, status: PatientStatus, dose: DoseInfo | None, now: float
    ) -> None:
        parts = []
        in_window = dose is not None and dose.start <= now <= (dose.end or now) + POST_DOSE_WINDOW
        if in_window:
            for f in snapshot.feeds:
                if f.continuous and f.state is FeedState.STALE:
                    parts.append(
                        f"■ {f.sender.split('^')[0]}: no data for {describe_silence(f.silent_for)}"
                        f" during the dose {dose.dose} observation window. Bedside cannot see this"
                        " patient: check the device and its link."
                    )
        beat_age = None if status.beat is None else now - status.beat
        if beat_age is None or beat_age > ALERTING_STALE_AFTER:
            why = "is not running" if beat_age is None else f"silent for {describe_silence(beat_age)}"
            parts.append(f"■ Infusion-reaction alerting {why}: reactions are not being checked by Bedside.")
        self.technical.setVisible(bool(parts))
        self._style(self.technical, "font-size:13pt; font-weight:600; padding:4px 6px;" + TECHNICAL)
        self.technical.setText("<br>".join(parts))

    def _show_checks(self, status: PatientStatus, dose: DoseInfo | None, now: float) -> None:
        self._open_checks = []
        if dose is None:
            self.checks_label.setText(
                f'<span style="color:{self.theme.quiet}">Checks: no dose recorded</span>'
            )
            self.sign_button.setEnabled(False)
            return
        highs = tuple(
            (a.id, a.fired_at)
            for a in [*status.alerts, *status.recent]
            if a.severity == "high" and a.episode_id == dose.id
        )
        statuses = check_statuses(
            schedule(dose.start, dose.end, now, highs), status.signatures.get(dose.id, []), now
        )
        shown = on_screen(statuses)
        colours = {
            CheckState.DUE: "#f9a825",
            CheckState.OVERDUE: "#f9a825",
            CheckState.MISSED: "#e53935",
            CheckState.DONE: self.theme.quiet,
        }
        items = []
        for s in shown:
            c = s.check
            when = "" if c.due is None else local(c.due, "%H:%M")
            if s.state is CheckState.DONE and s.signed is not None:
                detail = f"{when} signed {s.signed.by} {local(s.signed.at, '%H:%M')}"
            elif s.state is CheckState.WAITING:
                detail = "after the end"
            else:
                detail = f"{s.state.value} {when}"
            colour = colours.get(s.state, self.theme.text)
            items.append(
                f'<span style="color:{colour}">{CHECK_MARK[s.state]} {c.label} <small>{detail}</small></span>'
            )
        missed = sum(1 for s in statuses if s.state is CheckState.MISSED) - sum(
            1 for s in shown if s.state is CheckState.MISSED
        )
        if missed > 0:
            items.append(f'<span style="color:#e53935">and {missed} more missed</span>')
        self.checks_label.setText(
            f"<b>Checks, dose {dose.dose}</b>&nbsp;&nbsp; " + "&nbsp;&nbsp; ".join(items)
        )
        self._open_checks = [
            (s.check.key, f"{s.check.label} ({s.state.value})")
            for s in statuses
            if s.state in (CheckState.DUE, CheckState.OVERDUE, CheckState.MISSED, CheckState.UPCOMING)
        ]
        self.check_due = preselect(statuses, now)
        self.sign_button.setEnabled(bool(self._open_checks))

    def _alerting_html(self, status: PatientStatus, now: float) -> str:
        if status.beat is not None and now - status.beat <= ALERTING_STALE_AFTER:
            age = describe_silence(now - status.beat)
            text = f"● Alerting live ({status.ruleset}), checked {age} ago"
            return f'<span style="color:{self.theme.quiet}">{text}</span>'
        return f'<span style="{TECHNICAL}">&nbsp;■ Alerting not live&nbsp;</span>'

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self._waiting = False
        self.status_label.setText(message)
        self.status_label.show()

    def _feeds_html(self, snapshot: LiveSnapshot) -> str:
        quiet = f"color:{self.theme.quiet};"
        parts = []
        if not any(f.continuous for f in snapshot.feeds):
            parts.append(
                f'<span style="{TECHNICAL}">&nbsp;No device feed has sent any value yet&nbsp;</span>'
            )
        for f in sorted(snapshot.feeds, key=lambda f: (not f.continuous, f.sender)):
            name = f.sender.split("^")[0]
            if f.state is FeedState.STALE:
                silence = describe_silence(f.silent_for)
                parts.append(f'<span style="{TECHNICAL}">&nbsp;■ {name}: no data for {silence}&nbsp;</span>')
            elif not f.continuous:
                parts.append(
                    f'<span style="{quiet}">{name}: last message {describe_silence(f.silent_for)} ago</span>'
                )
            else:
                clock = describe_clock(self._pace.assess(f, snapshot.now))
                parts.append(f"● {name} {describe_silence(f.silent_for)}{clock}")
        zone = datetime.now().astimezone().strftime("%Z (UTC%z)")
        return (
            "<b>Feeds</b>&nbsp; "
            + "&nbsp;&nbsp; ".join(parts)
            + f'&nbsp;&nbsp; <span style="{quiet}">Times in {zone}</span>'
        )

    @Slot()
    def _show_services(self, heartbeat: float | None = None) -> None:
        parts = []
        if self._supervisor is not None:
            parts.append(self._supervisor.describe())
        if heartbeat is not None:
            age = self._clock() - heartbeat
            if age > HEARTBEAT_STALE_AFTER:
                parts.append(f"ingest silent for {describe_silence(age)}")
        if parts:
            self.service_label.setText(" · ".join(parts))

    # ---- actions -----------------------------------------------------------------------------------

    def _act(self, what: str, fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._reader.perform.emit(what, partial(fn, self._store.engine, *args, **kwargs))

    @Slot(str, object)
    def on_acted(self, what: str, result: object) -> None:
        self.last_action = (what, result)
        self.statusBar().showMessage(f"{what}: done, recorded in the safety log", 8000)
        self.refresh()

    @Slot(str, str)
    def on_action_failed(self, what: str, message: str) -> None:
        self.last_action = (what, RuntimeError(message))
        if what == "Mute":
            self.sound.unmute()  # a mute that is not in the safety log must not silence the screen
        QMessageBox.warning(
            self, f"{what}: not done", f"{message}\n\nNothing was recorded. Correct and try again."
        )

    def _run(self, dialog: QDialog) -> bool:
        """Open a dialog modally; tests drive it through `dialog_opened`."""
        self.dialog = dialog
        return dialog.exec() == QDialog.DialogCode.Accepted

    @Slot()
    def acknowledge_top(self) -> None:
        """Acknowledge what the banner shows (never an alert it does not show)."""
        top = banner_alert(self.status.alerts)
        if top is None or top.state != "raised":
            return
        dialog = AckDialog(top, self.user, self)
        if self._run(dialog):
            self._act("Acknowledge", actions.ack_alert, top.id, dialog.by, dialog.comment.text().strip())

    @Slot()
    def show_alert_list(self) -> None:
        """The Alerts list, where any alert is acknowledged. Not modal: it follows the screen's
        refresh, so each acknowledgement shows as it lands and the next can be chosen."""
        if self.alert_list is None:
            self.alert_list = AlertListDialog(
                self.user, self._rules.escalation_minutes, SECONDARY_NOTICE, self, self._clock
            )
            self.alert_list.acknowledge.connect(self._acknowledge_listed)
            self.alert_list.finished.connect(self._alert_list_closed)
        self.alert_list.show_alerts(self.status.alerts, self.status.recent)
        if self.alert_list.isVisible():  # already open, perhaps behind: bring it forward
            self.alert_list.raise_()
            self.alert_list.activateWindow()
        self.alert_list.show()

    def _alert_list_closed(self) -> None:
        if self.alert_list is not None:
            self.alert_list.deleteLater()
        self.alert_list = None

    @Slot(list, str, str)
    def _acknowledge_listed(self, alert_ids: list[int], by: str, comment: str) -> None:
        self._act("Acknowledge", actions.ack_alerts, list(alert_ids), by, comment)

    @Slot()
    def start_dose(self) -> None:
        if self._patient_ref is None:
            return
        next_dose = max((d.dose for d in self.status.doses), default=0) + 1
        now = self._clock()
        tiles = self.numerics.tiles
        vitals = {
            name: tiles[key].reading.at if tiles[key].reading else None
            for key, name in (
                ("hr", "heart rate"),
                ("spo2", "SpO2"),
                ("abp_sys", "blood pressure"),
                ("temp", "temperature"),
            )
        }
        labs = [v.at for key, values in self.status.labs.items() if key != "pao2" for v in values]
        gases = [v.at for v in self.status.labs.get("pao2", [])]
        self.pre_dose_gaps = pre_dose_gaps(now, vitals, labs, gases)
        dialog = StartDoseDialog(next_dose, now, self.user, self, self.pre_dose_gaps)
        if self._run(dialog):
            per_kg = dialog.cells_per_kg.value()
            self._act(
                "Start dose",
                actions.start_dose,
                self._patient_ref,
                dialog.dose.value(),
                edit_time(dialog.at),
                dialog.by,
                dialog.product.text().strip(),
                per_kg * 1e6 if per_kg > 0 else None,
                dialog.weight.value() or None,
                dialog.of.value() or None,
            )

    @Slot()
    def stop_dose(self) -> None:
        dose = self.status.current_dose
        if self._patient_ref is None or dose is None or not dose.running:
            return
        dialog = StopDoseDialog(dose.dose, self._clock(), self.user, self)
        if self._run(dialog):
            self._act(
                "Stop dose", actions.stop_dose, self._patient_ref, dose.dose, edit_time(dialog.at), dialog.by
            )

    @Slot()
    def confirm_dose(self) -> None:
        dose = self.status.current_dose
        if self._patient_ref is None or dose is None:
            return
        dialog = ConfirmDoseDialog(dose, self.user, self)
        if self._run(dialog):
            at = edit_time(dialog.at)
            self._act(
                "Confirm start",
                actions.confirm_dose,
                self._patient_ref,
                dose.dose,
                dialog.by,
                None if abs(at - dose.start) < 60 else at,
            )

    @Slot()
    def record_adverse_event(self) -> None:
        if self._patient_ref is None:
            return
        alerts = [*self.status.alerts, *self.status.recent]
        dialog = AdverseEventDialog([d.dose for d in self.status.doses], alerts, self.user, self)
        if self._run(dialog):
            dose = dialog.dose.currentData()
            episode = next((d.id for d in self.status.doses if d.dose == dose), None)
            alert = dialog.alert.currentData()
            self._act(
                "Adverse event",
                actions.adverse_event,
                self._patient_ref,
                term=dialog.term.text(),
                grade=dialog.grade.value(),
                relatedness=dialog.relatedness.currentText(),
                by=dialog.by,
                episode_id=episode,
                onset=edit_time(dialog.onset),
                alert_ids=[] if alert is None else [int(alert)],
                notes=dialog.notes.toPlainText(),
            )

    @Slot()
    def record_vitals(self) -> None:
        if self._patient_ref is None:
            return
        dialog = RecordVitalsDialog(self._patient_ref, self._clock(), self.user, self)
        if self._run(dialog) and dialog.command is not None:
            self._act("Record vitals", actions.record_vitals, dialog.command, self._clock())

    @Slot()
    def sign_check(self) -> None:
        dose = self.status.current_dose
        if self._patient_ref is None or dose is None or not self._open_checks:
            return
        # A value entered by hand is captured as such, with its time: the check must not read as live.
        values = "; ".join(
            f"{t.reading.label} {t.reading.text()}"
            + (f" (manual {local(t.reading.at, '%H:%M')})" if t.reading.manual and t.reading.at else "")
            for t in self.numerics.tiles.values()
            if t.reading and t.reading.value is not None
        )
        dialog = SignCheckDialog(self._open_checks, values, self.user, self, selected=self.check_due)
        if self._run(dialog):
            self._act(
                "Check signed",
                actions.sign_check,
                self._patient_ref,
                dose.id,
                str(dialog.check.currentData()),
                dialog.check.currentText(),
                values,
                dialog.comment.text().strip(),
                dialog.by,
            )

    @Slot()
    def open_review(self) -> None:
        """The intensivist's review of the patient on screen, in its own window."""
        from bedside_ui.review_window import ReviewWindow

        if self.review is not None:
            self.review.close()
        self.review = ReviewWindow(self._store.engine, self._patient_ref, self._clock, self.theme, self.user)
        self.review.resize(self.size())
        self.review.show()

    review = None
    pre_dose_gaps: tuple[str, ...] | list[str] = ()
    check_due: str | None = None
    """The check the Sign check dialog preselects: the one due or overdue now."""

    # ---- lifecycle ---------------------------------------------------------------------------------

    def shutdown(self) -> None:
        if self.alert_list is not None:
            self.alert_list.close()
        self._timer.stop()
        self._reader.stop()
        if self.review is not None:
            self.review.close()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.save_layout()
        self.shutdown()
        super().closeEvent(event)


def _base(baselines: dict, signal: str) -> float | None:  # type: ignore[type-arg]
    b = baselines.get(signal)
    return None if b is None else b.value
