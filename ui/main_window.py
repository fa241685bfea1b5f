"""The main window: patient header, feed health, live trends, and the secondary-alarm notice."""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from adapters.db.read_store import SqlSeriesStore
from bedside.clock import Clock
from bedside.feeds import FeedState, describe_silence
from bedside.live import LiveSnapshot
from bedside.parameters import ParameterCatalog
from ui.loader import LoaderThread, SnapshotLoader
from ui.supervisor import Supervisor
from ui.trends import TrendPanel

SECONDARY_NOTICE = (
    "Bedside is a secondary display: the bedside monitor and the infusion pump keep the primary alarms."
)
TECHNICAL = "background:#006064; color:#e0f7fa;"  # cyan family: technical problems (IEC 60601-1-8)
QUIET = "color:#b0bec5;"
HEARTBEAT_STALE_AFTER = 20.0
ALERTING_STALE_AFTER = 10.0
SOURCE_NAMES = {"pcd10": "pump", "pcd01-status": "pump status", "ras": "eMAR", "manual": "nurse's entry"}
# Alarm colours of IEC 60601-1-8: red high, yellow medium; low is cyan-free and quiet.
SEVERITY_STYLE = {
    "high": "background:#b71c1c; color:#ffffff; font-weight:600;",
    "medium": "background:#f9a825; color:#000000;",
    "low": "background:#37474f; color:#eceff1;",
}


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
    ) -> None:
        super().__init__()
        self.setWindowTitle("Bedside" + (" — DEMO, synthetic data" if demo else ""))
        self._clock = clock
        self._supervisor = supervisor
        self._demo = demo
        self.snapshot: LiveSnapshot | None = None
        self.refreshes = 0
        self._waiting = False

        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(8, 6, 8, 6)

        header = QHBoxLayout()
        self.patient_label = QLabel("No patient yet")
        self.patient_label.setStyleSheet("font-size:20pt; font-weight:600;")
        self.details_label = QLabel("")
        self.details_label.setStyleSheet("font-size:13pt;" + QUIET)
        header.addWidget(self.patient_label)
        header.addSpacing(16)
        header.addWidget(self.details_label)
        header.addStretch(1)
        if demo:
            tag = QLabel("DEMO · synthetic data")
            tag.setStyleSheet("font-size:12pt; padding:2px 8px; border:1px solid #90a4ae; color:#cfd8dc;")
            header.addWidget(tag)
        root.addLayout(header)

        self.feeds_label = QLabel("Waiting for data…")
        self.feeds_label.setTextFormat(Qt.TextFormat.RichText)
        self.feeds_label.setWordWrap(True)  # many feeds must not widen the window past the screen
        self.feeds_label.setStyleSheet("font-size:12pt; padding:3px 6px;")
        root.addWidget(self.feeds_label)

        self.alerts_label = QLabel("")
        self.alerts_label.setTextFormat(Qt.TextFormat.RichText)
        self.alerts_label.setWordWrap(True)
        self.alerts_label.setStyleSheet("font-size:13pt; padding:3px 6px;")
        root.addWidget(self.alerts_label)

        self.status_label = QLabel("")
        self.status_label.setStyleSheet("font-size:12pt; padding:3px 6px;" + TECHNICAL)
        self.status_label.hide()
        root.addWidget(self.status_label)

        self.trends = TrendPanel(catalog)
        root.addWidget(self.trends, stretch=1)

        footer = QHBoxLayout()
        notice = QLabel(SECONDARY_NOTICE)
        notice.setStyleSheet(QUIET)
        self.service_label = QLabel("")
        self.service_label.setStyleSheet(QUIET)
        footer.addWidget(notice)
        footer.addStretch(1)
        footer.addWidget(self.service_label)
        root.addLayout(footer)
        self.setCentralWidget(central)
        self.setStyleSheet("QMainWindow, QWidget { background:#101418; color:#eceff1; }")

        self._loader = SnapshotLoader(store, clock, span, stale_after, patient_id)
        self._loader.loaded.connect(self.on_loaded)
        self._loader.failed.connect(self.on_failed)
        self._reader = LoaderThread(self._loader, self)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        if supervisor is not None:
            supervisor.changed.connect(self._show_services)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self._waiting:  # the previous read has not come back: never queue reads up
            return
        self._waiting = True
        self._reader.request.emit()

    @Slot(object)
    def on_loaded(self, payload: tuple[LiveSnapshot, float | None, tuple]) -> None:
        self._waiting = False
        snapshot, heartbeat, alerting = payload
        self.snapshot = snapshot
        self.refreshes += 1
        self.status_label.hide()
        p = snapshot.patient
        if p is None:
            self.patient_label.setText("No patient yet")
            self.details_label.setText("no device data for a patient has been received")
        else:
            self.patient_label.setText(p.display_name)
            bits = [f"MRN {p.ref.identifier}"]
            if p.bed:
                bits.append(p.location)
            self.details_label.setText("   ".join(bits))
        self.feeds_label.setText(self._feeds_html(snapshot))
        beat, ruleset, alerts, doses = alerting
        self.alerts_label.setText(self._doses_html(doses) + self._alerts_html(beat, ruleset, alerts))
        self.trends.show_snapshot(snapshot)
        self.trends.show_doses(doses, snapshot.now)
        self._show_services(heartbeat)

    def _doses_html(self, doses: list[dict]) -> str:
        """Each dose: when it started (and how long ago), whether it still runs, and its confirmation."""
        parts = []
        now = self._clock()
        for d in doses[-3:]:
            start = datetime.fromtimestamp(d["start"]).strftime("%d %b %H:%M")
            ago = describe_silence(now - d["start"])
            running = " running" if d["end"] is None else ""
            source = SOURCE_NAMES.get(d["source"], d["source"])
            state = "" if d["state"] == "confirmed" else f", start not confirmed (from the {source})"
            parts.append(f"Dose {d['dose']}{running}: {start}, {ago} ago{state}")
        if not parts:
            return ""
        return f'<span style="{QUIET}">' + " · ".join(parts) + "</span>&nbsp;&nbsp;&nbsp;"

    def _alerts_html(self, beat: float | None, ruleset: str, alerts: list[dict]) -> str:
        """Open infusion-reaction alerts, and whether the rule engine is alive: silence must never look
        like safety, so a stalled engine is shown as a technical alert."""
        parts = []
        age = None if beat is None else self._clock() - beat
        if age is None or age > ALERTING_STALE_AFTER:
            why = "not running" if age is None else f"silent for {describe_silence(age)}"
            parts.append(
                f'<span style="{TECHNICAL}">&nbsp;■ Infusion-reaction alerting {why}: '
                "reactions are not being checked&nbsp;</span>"
            )
        else:
            parts.append(f'<span style="{QUIET}">● Alerting live ({ruleset})</span>')
        rank = {"high": 0, "medium": 1, "low": 2}
        alerts = sorted(alerts, key=lambda a: (rank.get(a["severity"], 3), -a["fired_at"]))
        for a in alerts[:4]:
            style = SEVERITY_STYLE.get(a["severity"], QUIET)
            when = datetime.fromtimestamp(a["fired_at"]).strftime("%H:%M")
            ack = "" if a["state"] == "acknowledged" else " · not acknowledged"
            parts.append(
                f'<span style="{style}">&nbsp;{a["severity"].upper()} {a["rule_id"]} {a["title"]} '
                f"since {when}{ack}&nbsp;</span>"
            )
        if len(alerts) > 4:
            parts.append(f'<span style="{QUIET}">and {len(alerts) - 4} more open</span>')
        return "&nbsp;&nbsp;".join(parts)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self._waiting = False
        self.status_label.setText(message)
        self.status_label.show()

    def _feeds_html(self, snapshot: LiveSnapshot) -> str:
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
                    f'<span style="{QUIET}">{name}: last message {describe_silence(f.silent_for)} ago</span>'
                )
                continue
            else:
                skew = (
                    f", clock {f.clock_skew:+.0f} s"
                    if f.clock_skew is not None and abs(f.clock_skew) >= 2
                    else ""
                )
                parts.append(f'<span style="{QUIET}">● {name} {describe_silence(f.silent_for)}{skew}</span>')
        zone = datetime.now().astimezone().strftime("%Z (UTC%z)")
        return (
            "&nbsp;&nbsp;&nbsp;".join(parts)
            + f'&nbsp;&nbsp;&nbsp;<span style="{QUIET}">Times in {zone}</span>'
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
        if self.trends.downsampled():
            parts.append("view downsampled (peak)")
        if parts:
            self.service_label.setText(" · ".join(parts))

    def shutdown(self) -> None:
        self._timer.stop()
        self._reader.stop()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.shutdown()
        super().closeEvent(event)
