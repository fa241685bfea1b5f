"""The review's exports: the report (PDF) and the tables (CSV). Each is first put to the handler's
authorisation on the review's worker (`actions.authorize_report`, which logs a refusal, once); only
once it allows is the file asked for, written and logged, and a file the log refuses is removed.
Part of `ReviewWindow`."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

from bedside_ui import actions
from bedside_ui.report import export_pdf
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from bedside.review_data import ReviewData
from bedside.review_text import export_csv
from bedside.users import User

ALLOWED = "-allowed"
"""The suffix of the job that asks whether an export may be written ("report-allowed",
"csv-allowed"); the window continues with `export_allowed` once it returns."""


class ReviewExports:
    """`ReviewWindow`'s exports (its texts are the window's)."""

    _export_request: tuple[str, ReviewData, User, str | None] | None = None

    def export_report(self, path: str | None = None) -> None:
        self._ask_export("report", path)

    def export_tables(self, path: str | None = None) -> None:
        self._ask_export("csv", path)

    def _ask_export(self, what: str, path: str | None) -> None:
        """Ask the handler, on the worker, whether the signed-in user may export: nothing is
        written, and no file is even asked for, before it answers."""
        if self.data is None:
            return
        user = self._acting.session.user
        if user is None:
            self._failed(
                what,
                QCoreApplication.translate(
                    "ReviewWindow", "Sign in as an intensivist or investigator to export the report."
                ),
            )
            return
        self._export_request = (what, self.data, user, path)
        ask = partial(actions.authorize_report, self._writes, self.data.patient.ref, user)
        self._submit(what + ALLOWED, ask)

    def export_allowed(self) -> None:
        """The handler allowed the export asked for: write it and log it."""
        if self._export_request is None:
            return
        what, data, user, path = self._export_request
        self._export_request = None
        if what == "report":
            self._write_report(data, user, path)
        else:
            self._write_tables(data, user, path)

    def _write_report(self, data: ReviewData, user: User, path: str | None) -> None:
        if path is None:
            default = suggested_name(data, "pdf")
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
        worker, writes, file = self._worker, self._writes, Path(path)
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

    def _write_tables(self, data: ReviewData, user: User, path: str | None) -> None:
        if path is None:
            default = suggested_name(data, "csv")
            path, _ = QFileDialog.getSaveFileName(
                self, QCoreApplication.translate("ReviewWindow", "Export tables"), default, "CSV (*.csv)"
            )
            if not path:
                return
        writes, file = self._writes, Path(path)

        def write_and_log() -> dict:
            # A table the log refuses is removed.
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


def suggested_name(data: ReviewData, extension: str) -> str:
    """The file name the Save dialog offers, in the reader's language: 'bedside-review-SIM4417.pdf',
    'bedside-revision-SIM4417.pdf'."""
    name = QCoreApplication.translate("ReviewWindow", "bedside-review-{patient}")
    return f"{name.format(patient=data.patient.ref.identifier)}.{extension}"
