"""The intensivist's review: dose-aligned plots, the before/after table with
data coverage beside it, outcomes with the clinician's entries, the electronic signatures of the
patient's records, the cohort, and the report export. It can be read while the nurse's screen is
locked; its actions are the signed-in user's (that screen's session), and only those the user's role
may take are enabled, following the session as it locks and unlocks."""

from __future__ import annotations

import time
from datetime import datetime
from functools import partial
from pathlib import Path

import pyqtgraph as pg
from bedside_ui import review_plots
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.co_medication_view import CoMedicationView
from bedside_ui.cohort_view import CohortView
from bedside_ui.dose_tables_view import DoseTablesView
from bedside_ui.outcomes_view import OutcomesView
from bedside_ui.review_adverse_events import ReviewAdverseEvents
from bedside_ui.review_course_events import ReviewCourseEvents
from bedside_ui.review_exports import ALLOWED, ReviewExports
from bedside_ui.screen_lock import RefusingAuthenticator, ScreenLock
from bedside_ui.severity_view import SeverityView
from bedside_ui.signatures_view import SignaturesView
from bedside_ui.theme import DARK, TECHNICAL, Theme, stylesheet
from bedside_ui.worker import Worker
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bedside import i18n
from bedside.feeds import describe_lag
from bedside.model import PatientRef
from bedside.ports import ScreenPorts
from bedside.review import CohortRow
from bedside.review_data import ReviewData
from bedside.review_text import (
    change_text,
    review_footer,
    review_header,
)
from bedside.session import Session
from bedside.users import Action, NotAllowed, User, may

ALL_DOSES = -1
RELOAD_EVERY_MS = 60_000
"""How often an open review reads the record again: what the nurse's screen, the command line or the
feeds recorded since shows within a minute."""
JOBS = {
    "load": QT_TRANSLATE_NOOP("ReviewWindow", "Reading the review"),
    "cohort": QT_TRANSLATE_NOOP("ReviewWindow", "Reading the cohort"),
    "report": QT_TRANSLATE_NOOP("ReviewWindow", "The report"),
    "csv": QT_TRANSLATE_NOOP("ReviewWindow", "The tables (CSV)"),
    "event": QT_TRANSLATE_NOOP("ReviewWindow", "Recording the event"),
}
"""The review's background jobs as a person reads them in a message."""


def local(at: float | None, fmt: str = "%d %b %H:%M") -> str:
    return "—" if at is None else i18n.strftime(datetime.fromtimestamp(at), fmt)


class ReviewWindow(QMainWindow, ReviewExports, ReviewCourseEvents, ReviewAdverseEvents):
    def __init__(
        self,
        ports: ScreenPorts,
        patient_ref: PatientRef | None,
        clock=time.time,  # type: ignore[no-untyped-def]
        theme: Theme = DARK,
        acting: ScreenLock | None = None,
    ) -> None:
        """`acting`: who acts here, the nurse's screen's session (none: nobody, and the review is
        read-only)."""
        super().__init__()
        self.setWindowTitle(self.tr("Bedside — review"))
        self._own_acting = acting is None
        self._acting = acting or ScreenLock(Session(60), RefusingAuthenticator(), self)
        self._acting.changed.connect(self._gate_actions)
        self._review = ports.review
        self._writes = ports.writes
        self._clock = clock
        self.theme = theme
        self.patient_ref = patient_ref
        self.data: ReviewData | None = None
        self.cohort_rows: list[CohortRow] | None = None
        self.exported: dict | None = None
        self.align = 1

        tabs = QTabWidget()
        self.tabs = tabs
        tabs.addTab(self._patient_tab(), self.tr("Patient"))
        self.co_medication = CoMedicationView(theme)
        tabs.addTab(self.co_medication, self.tr("Co-medication"))
        self.outcomes_view = OutcomesView(theme)
        tabs.addTab(self.outcomes_view, self.tr("Outcomes"))
        self.cohort = CohortView(theme)
        self.cohort_table = self.cohort.table
        self.severity = SeverityView(theme)
        tabs.addTab(self.severity, self.tr("Severity (SOFA, P/F, mechanics)"))
        tabs.addTab(self.cohort, self.tr("Cohort (all treated patients)"))
        self.signatures = SignaturesView()
        tabs.addTab(self.signatures, self.tr("Signatures"))
        tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(tabs)
        self.setStyleSheet(stylesheet(theme))

        self._worker = Worker("bedside-review-reader", self)
        self._worker.done.connect(self._done)
        self._worker.failed.connect(self._job_failed)
        self._worker.progress.connect(self._progress_step)
        self._progress: QProgressDialog | None = None
        self.busy = False
        self.loading = False
        self._then_adverse_events = False
        self.follow_up_draft: tuple[AdverseEventDialog, User] | None = None
        self._report_file: Path | None = None
        """The report written and not yet logged (removed if the log refuses it)."""
        # When the data shown were read: a review left open must never pass old data as current.
        self.as_of = QLabel(self.tr("Reading…"))
        self.statusBar().addPermanentWidget(self.as_of)
        self._zoomed: set[str] = set()
        """The marker plots the reader zoomed or panned since the dose or window was chosen."""
        self.reload_timer = QTimer(self)
        self.reload_timer.setInterval(RELOAD_EVERY_MS)
        self.reload_timer.timeout.connect(self.reload)
        self.reload_timer.start()
        if patient_ref:
            self.reload()

    # ---- layout ------------------------------------------------------------------------------------

    def _patient_tab(self) -> QWidget:
        page = QWidget()
        root = QVBoxLayout(page)
        root.setContentsMargins(6, 4, 6, 4)
        self.header = QLabel(self.tr("Loading…"))
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size:13pt;")
        root.addWidget(self.header)
        # While the feeds catch up a backlog, what the review shows is only what has arrived so far.
        self.arriving = QLabel("")
        self.arriving.setWordWrap(True)
        self.arriving.setStyleSheet("font-size:11pt; padding:2px 6px;" + TECHNICAL)
        self.arriving.hide()
        root.addWidget(self.arriving)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Align on:")))
        self.align_choice = QComboBox()
        self.align_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.align_choice.activated.connect(self._align_chosen)
        controls.addWidget(self.align_choice)
        controls.addSpacing(12)
        controls.addWidget(QLabel(self.tr("Window:")))
        self.lo = QSpinBox()
        self.lo.setRange(-24 * 14, 0)
        self.lo.setValue(-24)
        self.lo.setSuffix(" h")
        self.hi = QSpinBox()
        self.hi.setRange(1, 24 * 60)
        self.hi.setValue(168)
        self.hi.setSuffix(" h")
        for spin in (self.lo, self.hi):
            spin.valueChanged.connect(lambda _v: self._new_view())
        controls.addWidget(self.lo)
        controls.addWidget(QLabel(self.tr("to")))
        controls.addWidget(self.hi)
        controls.addStretch(1)
        self.extubation_button = QPushButton(self.tr("Confirm extubation…"))
        self.extubation_button.clicked.connect(partial(self.course_event, "extubation"))
        self.outcome_button = QPushButton(self.tr("Record outcome…"))
        self.outcome_button.clicked.connect(partial(self.course_event, "icu_discharge"))
        self.radiology_button = QPushButton(self.tr("Radiology note…"))
        self.radiology_button.clicked.connect(partial(self.course_event, "radiology"))
        # A death an ADT message reported is offered, never taken: one click (and the signature)
        # confirms it as the death, at the time the message gave.
        self.adt_death_button = QPushButton(self.tr("Confirm death reported by ADT…"))
        self.adt_death_button.clicked.connect(self.confirm_adt_death)
        self.adt_death_button.setVisible(False)
        for b in (self.extubation_button, self.outcome_button, self.radiology_button, self.adt_death_button):
            controls.addWidget(b)
        root.addLayout(controls)

        split = QSplitter(Qt.Orientation.Vertical)
        self.plots_view = pg.GraphicsLayoutWidget()
        self.plots_view.setBackground(self.theme.background)
        self.plots_view.setMinimumSize(400, 240)  # nine plots must not hold the window wider than the screen
        split.addWidget(self.plots_view)
        self.dose_tables = DoseTablesView(local)
        self.table, self.coverage = self.dose_tables.table, self.dose_tables.coverage
        split.addWidget(self.dose_tables)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        root.addWidget(split, stretch=1)

        footer = QHBoxLayout()
        self.footer = QLabel("")
        self.footer.setWordWrap(True)
        footer.addWidget(self.footer, stretch=1)
        self.report_button = QPushButton(self.tr("Export report (PDF)…"))
        # clicked(bool) would hand its "checked" flag over as the path: the file dialog asks instead.
        self.report_button.clicked.connect(lambda: self.export_report())
        self.csv_button = QPushButton(self.tr("Export tables (CSV)…"))
        self.csv_button.clicked.connect(lambda: self.export_tables())
        footer.addWidget(self.report_button)
        footer.addWidget(self.csv_button)
        self.ae_history_button = QPushButton(self.tr("Adverse events…"))
        self.ae_history_button.setToolTip(
            self.tr("Every adverse event with its versions and SAE report clock")
        )
        self.ae_history_button.clicked.connect(self.show_adverse_events)
        footer.addWidget(self.ae_history_button)
        root.addLayout(footer)
        return page

    # ---- data ----------------------------------------------------------------------------------------

    def _submit(self, what: str, fn) -> None:  # type: ignore[no-untyped-def]
        self.busy = True
        self._worker.submit(what, fn)

    def reload(self) -> None:
        """Read the review again on the worker (never twice at once: a periodic read while one is
        on its way waits for the next)."""
        if self.patient_ref and not self.loading:
            self.loading = True
            self._submit("load", partial(self._review.load_review, self.patient_ref, self._clock()))

    def show_catching_up(self, behind: float | None) -> None:
        """Say that the history is still arriving while the feeds are `behind` (seconds), and read the
        review again once they have caught up."""
        was = bool(self.arriving.text())
        if behind is None:
            self.arriving.setText("")
            self.arriving.hide()
            if was:
                self.reload()
            return
        self.arriving.setText(
            self.tr(
                "The history is still arriving (catching up: {lag} behind): the doses, values and data "
                "coverage below are incomplete until it has caught up, when this review reads them again."
            ).format(lag=describe_lag(behind))
        )
        self.arriving.show()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.cohort and self.cohort_rows is None:
            self._submit("cohort", self._load_cohort)

    def _load_cohort(self) -> tuple[list[CohortRow], list[tuple[str, ReviewData]]]:
        now = self._clock()
        rows = self._review.cohort(now)
        courses = [
            (r.name + " " + r.patient.identifier, self._review.load_review(r.patient, now)) for r in rows
        ]
        return rows, courses

    @Slot(str, object)
    def _done(self, what: str, result: object) -> None:
        self.busy = False
        if what == "load":
            assert isinstance(result, ReviewData)
            self.loading = False
            self.data = result
            self._show_data()
            if self.cohort_rows is not None:
                # The cohort is read again too: now if it is in view, else when next shown.
                self.cohort_rows = None
                self._tab_changed(self.tabs.currentIndex())
            if self._then_adverse_events:
                self._then_adverse_events = False
                self._open_adverse_events()
        elif what == "cohort":
            rows, courses = result  # type: ignore[misc]
            self.cohort_rows = rows
            self._show_cohort(rows, courses)
        elif what in ("report", "csv"):
            if what == "report":
                self._report_file = None  # logged: the report is the record's now
            self.exported = result  # type: ignore[assignment]
            if self._progress is not None:
                self._progress.setValue(100)
                self._progress.close()
            # What was written, in words: the file and its size (the record's own dict is for machines).
            done = result if isinstance(result, dict) else {}
            detail = str(done.get("file", ""))
            if "pages" in done:
                detail = self.tr("{file}, %n page(s)", "", int(done["pages"])).format(file=detail)
            elif "rows" in done:
                detail = self.tr("{file}, %n row(s)", "", int(done["rows"])).format(file=detail)
            written = self.tr("{what} written: {result}").format(what=self._job(what), result=detail)
            self.statusBar().showMessage(written, 10000)
        elif what == "event":
            self.follow_up_draft = None
            self.reload()
        elif what.endswith(ALLOWED):
            self.export_allowed()

    @Slot(str, object)
    def _job_failed(self, what: str, error: object) -> None:
        # shown to the user; the window stays usable
        what = what.removesuffix(ALLOWED)  # an export refused before anything was written
        if what == "load":
            self.loading = False
            self._then_adverse_events = False
        if what == "event" and self.follow_up_draft is not None and self.data is not None:
            # A refused follow-up: its form again, every field as it was, with why.
            dialog, _user = self.follow_up_draft
            self.busy = False
            dialog.refused(str(error))
            self.follow_up(dialog.latest.id if dialog.latest else 0, dialog)
            return
        if what == "report" and self._report_file is not None:
            # A report the log does not hold is not handed on.
            self._report_file.unlink(missing_ok=True)
            self._report_file = None
        if what in ("report", "csv") and isinstance(error, NotAllowed):
            self._failed(what, self.tr("Sign in as an intensivist or investigator to export the report."))
            return
        self._failed(what, f"{type(error).__name__}: {error}")

    def _failed(self, what: str, message: str) -> None:
        self.busy = False
        if self._progress is not None:
            self._progress.close()
        QMessageBox.warning(self, self.tr("{what}: not done").format(what=self._job(what)), message)

    def _job(self, what: str) -> str:
        return self.tr(JOBS[what]) if what in JOBS else what

    @Slot(int, str)
    def _progress_step(self, percent: int, text: str) -> None:
        if self._progress is not None:
            self._progress.setValue(percent)
            self._progress.setLabelText(text)

    def _show_data(self) -> None:
        data = self.data
        assert data is not None
        self.header.setText(review_header(data))
        self.as_of.setText(self.tr("Data as of {time}").format(time=local(data.now, "%H:%M")))
        current = self.align_choice.currentData()
        self.align_choice.clear()
        for d in data.doses:
            self.align_choice.addItem(
                self.tr("Dose {n} ({start})").format(n=d.dose, start=local(d.start)), d.dose
            )
        if len(data.doses) > 1:
            self.align_choice.addItem(self.tr("All doses overlaid"), ALL_DOSES)
        i = self.align_choice.findData(current if current is not None else self.align)
        self.align_choice.setCurrentIndex(max(0, i))
        self.align = self.align_choice.currentData() or 1
        self.footer.setText(review_footer(data))
        self.outcomes_view.show_outcomes(data)
        self.severity.show_severity(data)
        self._show_signatures()
        self._gate_actions()
        self.redraw()

    def _show_signatures(self) -> None:
        """Every signed record of the patient, with the signature: printed name, role, meaning, time."""
        assert self.data is not None
        n = self.signatures.show_signatures(self.data.log)
        self.tabs.setTabText(self.tabs.indexOf(self.signatures), self.tr("Signatures ({n})").format(n=n))

    def _may(self, action: Action) -> bool:
        user = self._acting.session.user
        return user is not None and may(user, action)

    @Slot()
    def _gate_actions(self) -> None:
        """Only what the signed-in user's role may do is enabled (nothing while the screen is locked)."""
        events = self._may(Action.RECORD_COURSE_EVENT)
        self.extubation_button.setEnabled(
            events and self.data is not None and self.data.outcomes.extubated is None
        )
        self.outcome_button.setEnabled(events)
        self.radiology_button.setEnabled(events)
        reported = self._adt_death()
        self.adt_death_button.setVisible(reported is not None)
        self.adt_death_button.setEnabled(events and reported is not None)
        self.report_button.setEnabled(self._may(Action.EXPORT_REPORT))
        self.csv_button.setEnabled(self._may(Action.EXPORT_REPORT))

    def _align_chosen(self, _index: int) -> None:
        self.align = self.align_choice.currentData()
        self._new_view()

    def _new_view(self) -> None:
        """Another dose or window chosen: the plots fit it afresh, whatever was zoomed before."""
        self._zoomed.clear()
        self.redraw()

    def redraw(self) -> None:
        data = self.data
        if data is None or not data.doses:
            return
        align = None if self.align == ALL_DOSES else self.align
        # A reload (every minute, or after an action) redraws the plots: a plot the reader zoomed or
        # panned keeps that view, rather than jumping back under them.
        kept = {
            key: item.getViewBox().viewRange()
            for key, item in (getattr(self, "plots", None) or {}).items()
            if key in self._zoomed
        }
        self.plots = review_plots.draw(
            self.plots_view.ci, data, align, float(self.lo.value()), float(self.hi.value()), self.theme
        )
        for key, item in self.plots.items():
            box = item.getViewBox()
            if key in kept:
                box.setRange(xRange=kept[key][0], yRange=kept[key][1], padding=0)
            box.sigRangeChangedManually.connect(lambda *_a, k=key: self._zoomed.add(k))
        dose = next((d for d in data.doses if d.dose == (align or data.doses[0].dose)), data.doses[0])
        self.co_medication.show_co_medication(data, align, float(self.lo.value()), float(self.hi.value()))
        rows = self.dose_tables.show_dose(data, dose, self.theme.quiet)
        self.rows = rows
        self.change_texts = {
            row.marker.key: change_text(
                row.after["+7 d"], row.baseline.point, row.marker.key, row.marker.unit
            )
            for row in rows
        }

    def _show_cohort(self, rows: list[CohortRow], courses: list[tuple[str, ReviewData]]) -> None:
        self.cohort_plots = self.cohort.show_cohort(rows, courses, self.theme)

    # ---- actions ---------------------------------------------------------------------------------------

    def _run(self, dialog: QDialog) -> bool:
        self.dialog = dialog
        return dialog.exec() == QDialog.DialogCode.Accepted

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setStyleSheet(stylesheet(theme))
        self.plots_view.setBackground(theme.background)
        self.cohort.apply_theme(theme)
        self.co_medication.apply_theme(theme)
        self.outcomes_view.apply_theme(theme)
        self.severity.apply_theme(theme)
        self.redraw()

    def shutdown(self) -> None:
        self.reload_timer.stop()
        if self._own_acting:
            self._acting.stop()
        self._worker.stop()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.shutdown()
        super().closeEvent(event)
