"""The nurse's screen: header with the dose, the highest open alert, numerics against
baseline, stacked trends, the check schedule, feed health, and the secondary-alarm notice.

What each part says is decided in bedside.nurse_screen; the parts are views of their own (header,
banner, checks, feeds), the actions are bedside_ui.nurse_actions', and every read and write runs on
the screen's worker thread (bedside_ui.worker).

The screen starts locked (bedside_ui.screen_lock): it shows what it watches, live, and every action
button is disabled until someone signs in; it locks again when idle. Signed in, the buttons are those
the user's role may press."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial

from bedside_ui.alert_banner import AlertBanner, TechnicalStrip
from bedside_ui.alert_cues import AlertCues
from bedside_ui.alert_sound import AlertSound as AlertPlayer
from bedside_ui.alert_sound import unavailable_text, unavailable_tip
from bedside_ui.checks_view import ChecksView, FeedsView
from bedside_ui.confirm import confirm
from bedside_ui.dose_actions import DoseActions
from bedside_ui.loader import ScreenData, ScreenReader, ViewRequest, read_failure
from bedside_ui.login_dialog import DemoAccount
from bedside_ui.numerics_panel import NumericsPanel
from bedside_ui.nurse_header import NurseHeader
from bedside_ui.screen_lock import RefusingAuthenticator, ScreenLock
from bedside_ui.session_events import SESSION, SessionEvents
from bedside_ui.supervisor import Supervisor
from bedside_ui.theme import TECHNICAL, THEMES, Theme, stylesheet
from bedside_ui.trends import PRESETS, TrendPanel
from bedside_ui.window_closing import WindowClosing
from bedside_ui.window_fit import hold_wrapped
from bedside_ui.window_layout import restore_layout, save_layout
from bedside_ui.worker import Worker
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bedside import nurse_checks
from bedside import nurse_screen as screen
from bedside.alert_screen import AlertSound
from bedside.clock import Clock
from bedside.feeds import FeedPace, catching_up
from bedside.live import LiveSnapshot
from bedside.model import PatientRef
from bedside.numerics import readings
from bedside.nurse_screen import HEARTBEAT_STALE_AFTER, SECONDARY_NOTICE
from bedside.parameters import ParameterCatalog
from bedside.ports import ScreenPorts
from bedside.rules.ruleset import RuleSet
from bedside.rules.targets import preexisting
from bedside.session import DEFAULT_IDLE_LOCK_MINUTES, Session
from bedside.status import EMPTY_STATUS, PatientStatus
from bedside.users import Action, Authenticator

__all__ = ["HEARTBEAT_STALE_AFTER", "SECONDARY_NOTICE", "MainWindow"]

READ = "read"
"""The worker's name for the screen's own read; every other job is an action the nurse took, or
the record of a sign-in or a lock (SESSION)."""


class MainWindow(SessionEvents, AlertCues, WindowClosing, DoseActions):
    def __init__(
        self,
        ports: ScreenPorts,
        catalog: ParameterCatalog,
        clock: Clock = time.time,
        supervisor: Supervisor | None = None,
        demo: bool = False,
        span: float = 3600.0,
        stale_after: float = 15.0,
        patient: PatientRef | None = None,
        refresh_ms: int = 1000,
        settings: QSettings | None = None,
        theme: str | None = None,
        rules: RuleSet | None = None,
        restore_geometry: bool = True,
        authenticator: Authenticator | None = None,
        idle_lock_minutes: float = DEFAULT_IDLE_LOCK_MINUTES,
        idle_clock: Clock = time.monotonic,
        demo_accounts: Sequence[DemoAccount] = (),
        player: AlertPlayer | None = None,
    ) -> None:
        """`authenticator`: who may sign in (none: nobody, the screen stays read-only);
        `idle_clock`: what idleness is measured by (monotonic; tests steer it); `player`: what plays
        the alert sounds (default: the computer's audio output)."""
        super().__init__()
        self.setWindowTitle(
            QCoreApplication.translate("MainWindow", "Bedside — DEMO, synthetic data") if demo else "Bedside"
        )
        self._clock = clock
        self._pace = FeedPace()  # a backlog's lag is not a clock skew: told apart between looks
        self._ports = ports
        self._writes = ports.writes
        self._supervisor = supervisor
        self._demo = demo
        self._settings = settings if settings is not None else QSettings()
        self.theme: Theme = THEMES.get(theme or str(self._settings.value("theme", "dark")), THEMES["dark"])
        self._rules = rules or RuleSet.load()
        self._rule_signals = self._rules.signals_of()
        self.snapshot: LiveSnapshot | None = None
        self.data: ScreenData | None = None
        self.status: PatientStatus = EMPTY_STATUS
        self.refreshes = 0
        self.tick_ms = 0.0
        self._waiting = False
        self._patient_ref: PatientRef | None = None
        self.alert_list = None
        self.sound = AlertSound()
        self.player = player if player is not None else AlertPlayer(self)

        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(8, 4, 8, 4)
        root.setSpacing(4)
        self.header = NurseHeader(demo)
        root.addLayout(self.header.layout)
        self._tools = self._build_tools()
        self.banner_frame = AlertBanner()
        root.addWidget(self.banner_frame)
        self.technical = TechnicalStrip()
        root.addWidget(self.technical)
        self.status_label = QLabel("")
        self.status_label.setStyleSheet("font-size:12pt; padding:3px 6px;" + TECHNICAL)
        self.status_label.hide()
        root.addWidget(self.status_label)
        # Without an audio output the screen cannot sound: said for as long as it lasts.
        self.sound_note = QLabel(unavailable_text())
        self.sound_note.setWordWrap(True)  # never holds the window wider than the screen
        self.sound_note.setToolTip(unavailable_tip())
        self.sound_note.setStyleSheet("font-size:11pt; padding:2px 6px;" + TECHNICAL)
        self.sound_note.setVisible(not self.player.available)
        root.addWidget(self.sound_note)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.numerics = NumericsPanel(self.theme)
        self.trends = TrendPanel(catalog, theme=self.theme)
        self.trends.alert_marks.rules = self._rules
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
        bottom = QHBoxLayout()
        self.checks = ChecksView()
        self.feeds = FeedsView()
        bottom.addLayout(self.checks.layout, stretch=1)
        bottom.addLayout(self.feeds.layout, stretch=1)
        root.addLayout(bottom)
        self.setCentralWidget(central)
        self._name_parts()
        self._connect_buttons()

        self._reader = ScreenReader(ports.live, clock, stale_after)
        self.request = ViewRequest(patient, span, None)
        self._worker = Worker("bedside-db-reader", self)
        self._worker.done.connect(self._job_done)
        self._worker.failed.connect(self._job_failed)
        self.trends.view_changed.connect(self.on_view_changed)
        self.trends.lab_changed.connect(lambda _key: self.refresh())
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        if supervisor is not None:
            supervisor.changed.connect(self._show_services)
        self.session = Session(idle_lock_minutes, clock=idle_clock)
        self.screen_lock = ScreenLock(
            self.session,
            authenticator or RefusingAuthenticator(),
            self,
            demo_accounts=demo_accounts,
            check_ms=min(1000, refresh_ms),
            on_event=self._session_event,
        )
        self.screen_lock.changed.connect(self._session_changed)
        self.header.session_bar.show_session(self.session)
        self._gate_actions()
        self._shortcuts()
        self._restore(restore_geometry)
        self.apply_theme(self.theme)
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------------

    def _build_tools(self) -> list[QPushButton]:
        """Review, sound and theme: buttons for the trends' control row."""
        self.review_button = QPushButton(QCoreApplication.translate("MainWindow", "Review…"))
        self.review_button.setToolTip(
            QCoreApplication.translate(
                "MainWindow", "The post-dose review of this patient, and the cohort (Ctrl+R)"
            )
        )
        self.sound_button = QPushButton(QCoreApplication.translate("MainWindow", "Sound: High"))
        self.sound_button.setCheckable(True)
        self.sound_button.setToolTip(
            QCoreApplication.translate(
                "MainWindow",
                "High and escalated alerts always sound until acknowledged (Mute silences them for 2 min). "
                "On: a short cue for every other new alert too. The monitor and the pump keep the primary "
                "audible alarms.",
            )
        )
        self.theme_button = QPushButton(QCoreApplication.translate("MainWindow", "Light"))
        self.theme_button.setToolTip(QCoreApplication.translate("MainWindow", "Light or dark theme (Ctrl+T)"))
        return [self.review_button, self.sound_button, self.theme_button]

    def _name_parts(self) -> None:
        """The views' widgets under the names the screen has always given them."""
        h, b, c, f = self.header, self.banner_frame, self.checks, self.feeds
        self.patient_label, self.details_label = h.patient_label, h.details_label
        self.dose_label, self.infusion_label, self.bed_choice = h.dose_label, h.infusion_label, h.bed_choice
        self.start_button, self.stop_button, self.confirm_button = (
            h.start_button,
            h.stop_button,
            h.confirm_button,
        )
        self.banner, self.ack_button = b.label, b.ack_button
        self.alerts_button, self.mute_button = b.alerts_button, b.mute_button
        self.checks_label, self.sign_button = c.label, c.sign_button
        self.ae_button, self.vitals_button = c.ae_button, c.vitals_button
        self.medication_button = c.medication_button
        self.feeds_label, self.alerting_label = f.feeds_label, f.alerting_label
        self.notice_label, self.service_label = f.notice_label, f.service_label

    def _connect_buttons(self) -> None:
        self.start_button.clicked.connect(self.start_dose)
        self.stop_button.clicked.connect(self.stop_dose)
        self.confirm_button.clicked.connect(self.confirm_dose)
        self.bed_choice.activated.connect(self._bed_chosen)
        self.review_button.clicked.connect(self.open_review)
        self.sound_button.toggled.connect(self._sound_toggled)
        self.theme_button.clicked.connect(self.toggle_theme)
        self.ack_button.clicked.connect(self.acknowledge_top)
        self.alerts_button.clicked.connect(self.show_alert_list)
        self.mute_button.clicked.connect(self.mute_sound)
        self.sign_button.clicked.connect(self.sign_check)
        self.ae_button.clicked.connect(self.record_adverse_event)
        self.vitals_button.clicked.connect(self.record_vitals)
        self.medication_button.clicked.connect(self.record_medication)
        bar = self.header.session_bar
        bar.sign_in_button.clicked.connect(lambda: self.screen_lock.sign_in())
        bar.switch_button.clicked.connect(lambda: self.screen_lock.switch_user())
        bar.lock_button.clicked.connect(lambda: self.screen_lock.lock())

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
        self.header.apply_theme(theme)
        self.checks.apply_theme(theme)
        self.feeds.apply_theme(theme)
        self.theme_button.setText(
            QCoreApplication.translate("MainWindow", "Dark")
            if theme.name == "light"
            else QCoreApplication.translate("MainWindow", "Light")
        )
        self.numerics.apply_theme(theme)
        self.trends.apply_theme(theme)
        self._settings.setValue("theme", theme.name)
        if self.data is not None:
            self.on_loaded(self.data)

    @Slot()
    def toggle_theme(self) -> None:
        self.apply_theme(THEMES["light" if self.theme.name == "dark" else "dark"])

    def _restore(self, geometry_too: bool) -> None:
        self.restored = restore_layout(self, self.splitter, self.trends, self._settings, geometry_too)

    def save_layout(self) -> None:
        save_layout(self, self.splitter, self.trends, self._settings)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        hold_wrapped(self)

    # ---- data --------------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        if self._waiting:  # the previous read has not come back: never queue reads up
            return
        self._waiting = True
        self._worker.submit(READ, partial(self._reader.read, self.request))

    @Slot(object, object)
    def on_view_changed(self, span: float, end: float | None) -> None:
        self.request = ViewRequest(self.request.patient, float(span), end)
        self.refresh()

    def show_patient(self, patient: PatientRef) -> None:
        self.request = ViewRequest(patient, self.request.span, self.request.end)
        self.refresh()

    @Slot(str, object)
    def _job_done(self, what: str, result: object) -> None:
        if what == READ:
            assert isinstance(result, ScreenData)
            self.on_loaded(result)
        elif what != SESSION:
            self.on_acted(what, result)

    @Slot(str, object)
    def _job_failed(self, what: str, error: object) -> None:
        assert isinstance(error, Exception)
        if what == READ:
            self.on_failed(read_failure(error))
        elif what == SESSION:  # the screen still shows what it watches: said, not in the way
            self.statusBar().showMessage(
                QCoreApplication.translate(
                    "MainWindow", "The safety log did not record the sign-in or lock: {error}"
                ).format(error=error),
                15000,
            )
        else:
            self.on_action_failed(what, str(error))

    def on_loaded(self, data: ScreenData) -> None:
        began = time.perf_counter()
        self._show(data)
        hold_wrapped(self)
        self.tick_ms = (time.perf_counter() - began) * 1000.0  # what a refresh costs the GUI thread

    def on_failed(self, message: str) -> None:
        self._waiting = False
        self.status_label.setText(message)
        self.status_label.show()

    def _show(self, data: ScreenData) -> None:
        self._waiting = False
        self.data = data
        snapshot, status = data.snapshot, data.status
        self.snapshot = snapshot
        self.status = status
        self.refreshes += 1
        self.status_label.hide()
        p = snapshot.patient
        self._patient_ref = None if p is None else p.ref
        now = snapshot.now
        dose = status.current_dose
        self.header.show_patient(screen.patient_line(p, status.doses))
        self.header.show_reported_death(screen.reported_death_line(status), self.theme)
        self.vitals_button.setEnabled(p is not None)
        self.medication_button.setEnabled(p is not None and self._may(Action.RECORD_MEDICATION))
        # After a recorded death no dose can start (the handler refuses it): the button says so too.
        self.start_button.setEnabled(status.deceased_at is None and self._may(Action.START_DOSE))
        self.start_button.setToolTip(nurse_checks.start_dose_tip(status))
        # The bed switcher keeps each patient as the text it lists them by.
        shown = None if self._patient_ref is None else str(self._patient_ref)
        self.header.show_beds(screen.bed_choices(snapshot.patients), shown)
        # While the feeds catch up a backlog, the header and the checks speak of the time the data
        # have reached: measured against the clock, an old state would read as the current one.
        self.behind = catching_up(snapshot.feeds, self._pace, snapshot.now)
        self.header.show_dose(screen.dose_line(dose, now, self.behind), self.theme)
        baselines = dose.baselines if dose is not None else {}
        self.numerics.show_readings(
            readings(
                data.latest,
                baselines,
                list(status.alerts),
                self._rule_signals,
                now,
                manual=data.manual,
                context=preexisting(
                    dose.targets if dose is not None else {},
                    _base(baselines, "spo2"),
                    _base(baselines, "abp_mean"),
                ),
                feeds=snapshot.feeds,
            )
        )
        self._cue_new_alerts(status, now)
        self.banner_frame.show_banner(screen.banner(status, dose, self._rules), self.theme)
        if self.alert_list is not None:
            self.alert_list.show_alerts(status.alerts, status.recent)
        self.technical.show_warnings(screen.technical_warnings(snapshot.feeds, status, dose, now))
        checks = nurse_checks.checks(status, dose, now, self.behind)
        self.checks.show_checks(checks, self.theme)
        self.checks.show_sae_reports(status, now)
        self._signable = checks.signable
        self._check_labels = checks.labels
        if checks.dose is not None:
            self.check_due = checks.due
        self.feeds.show_feeds(screen.feed_chips(snapshot.feeds, self._pace, snapshot.now), self.theme)
        if self.review is not None:
            self.review.show_catching_up(self.behind)
        self.feeds.show_alerting(screen.alerting_live(status, now), self.theme)
        self.trends.show_snapshot(snapshot, data.latest)
        self.trends.show_status(status, snapshot)
        self._show_services(data.heartbeat)
        self._gate_actions()

    @Slot()
    def _show_services(self, heartbeat: float | None = None) -> None:
        described = None if self._supervisor is None else self._supervisor.describe()
        self.feeds.show_services(screen.services_text(described, heartbeat, self._clock()))

    def _bed_chosen(self, index: int) -> None:
        # The bed switcher lists each patient by their reference's text.
        self.show_patient(PatientRef.parse(str(self.bed_choice.itemData(index))))

    def _step_bed(self, step: int) -> None:
        ref = self.header.bed_after(step)
        if ref is not None:
            self.show_patient(PatientRef.parse(ref))

    # ---- the review --------------------------------------------------------------------------------

    @Slot()
    def open_review(self) -> None:
        """The intensivist's review of the patient on screen, in its own window."""
        from bedside_ui.review_window import ReviewWindow

        if self.review is not None:
            self.review.close()
        self.review = ReviewWindow(self._ports, self._patient_ref, self._clock, self.theme, self.screen_lock)
        self.review.resize(self.size())
        self.review.show_catching_up(self.behind)
        self.review.show()

    review = None
    behind: float | None = None
    """Seconds the device feeds are behind while they catch up a backlog (None: they are not)."""

    def _close_confirmed(self, n: int) -> bool:
        # Its own statement: inside the call below, Qt's extractor files the plural under a wrong
        # context, and the screen would then never find its translation.
        question = self.tr(
            "%n High or escalated alert(s) not acknowledged. Once closed, Bedside no longer shows "
            "or sounds any alert; the monitor and the pump keep their own alarms.",
            "",
            n,
        )
        return confirm(
            self,
            QCoreApplication.translate("MainWindow", "Close Bedside?"),
            question,
            QCoreApplication.translate("MainWindow", "Close anyway"),
        )


def _base(baselines: dict, signal: str) -> float | None:  # type: ignore[type-arg]
    b = baselines.get(signal)
    return None if b is None else b.value
