"""The review's exports: the report (PDF) and the tables (CSV). Each is authorised before a file is
written (a refusal is logged by the handler) and logged once written, on the review's worker; a
file the log refuses is removed. Part of `ReviewWindow`."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

from bedside_ui import actions
from bedside_ui.report import export_pdf
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from bedside.review_text import export_csv
from bedside.users import Action, may


class ReviewExports:
    """`ReviewWindow`'s exports (its texts are the window's)."""

    def export_report(self, path: str | None = None) -> None:
        if self.data is None:
            return
        user = self._acting.session.user
        if user is None:
            self._failed(
                "report",
                QCoreApplication.translate(
                    "ReviewWindow", "Sign in as an intensivist or investigator to export the report."
                ),
            )
            return
        if not may(user, Action.EXPORT_REPORT):
            # Refused before anything is written; the handler logs the refusal, on the worker.
            self._submit(
                "report", partial(actions.authorize_report, self._writes, self.data.patient.ref, user)
            )
            return
        if path is None:
            default = f"bedside-review-{self.data.patient.ref.identifier}.pdf"
            path, _ = QFileDialog.getSaveFileName(
                self, QCoreApplication.translate("ReviewWindow", "Export report"), default, "PDF (*.pdf)"
            )
            if not path:
                return
        self._progress = QProgressDialog(
            QCoreApplication.translate("ReviewWindow", "Preparing the report…"), "", 0, 100, self
        )
        self._progress.setWindowTitle(QCoreApplication.translate("ReviewWindow", "Exporting the report"))
        self._progress.setCancelButton(None)
        self._progress.setMinimumDuration(0)
        self._progress.setValue(0)
        data, worker, writes, file = self.data, self._worker, self._writes, Path(path)
        # The PDF is drawn with Qt's painter and offscreen widgets, which belong to the GUI thread:
        # run it here, between progress updates (the data was already read on the worker thread).
        try:
            info = export_pdf(data, file, lambda p, t: worker.progress.emit(p, t), made_by=user)
        except Exception as exc:  # shown, not raised: the screen stays usable
            self._failed("report", f"{type(exc).__name__}: {exc}")
            return

        def log() -> dict:
            actions.report_exported(writes, data.patient.ref, file.name, info, user)
            return info

        # Logged on the worker like every action; a report the log refuses is removed.
        self._report_file = file
        self._submit("report", log)

    def export_tables(self, path: str | None = None) -> None:
        if self.data is None:
            return
        user = self._acting.session.user
        if user is None:
            self._failed(
                "csv",
                QCoreApplication.translate(
                    "ReviewWindow", "Sign in as an intensivist or investigator to export the report."
                ),
            )
            return
        if not may(user, Action.EXPORT_REPORT):
            # Refused before anything is written; the handler logs the refusal, on the worker.
            self._submit("csv", partial(actions.authorize_report, self._writes, self.data.patient.ref, user))
            return
        if path is None:
            default = f"bedside-review-{self.data.patient.ref.identifier}.csv"
            path, _ = QFileDialog.getSaveFileName(
                self, QCoreApplication.translate("ReviewWindow", "Export tables"), default, "CSV (*.csv)"
            )
            if not path:
                return
        data, writes, file = self.data, self._writes, Path(path)

        def write_and_log() -> dict:
            # Asked again here, before the file is written; a table the log refuses is removed.
            actions.authorize_report(writes, data.patient.ref, user)
            rows = export_csv(data, file)
            try:
                digest = hashlib.sha256(file.read_bytes()).hexdigest()
                actions.tables_exported(writes, data.patient.ref, file.name, rows, digest, user)
            except Exception:
                file.unlink(missing_ok=True)
                raise
            return {"file": str(file), "rows": rows}

        # Written and logged on the worker like every action.
        self._submit("csv", write_and_log)
