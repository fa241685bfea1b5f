"""The review's adverse events: each event's versions and SAE clock, and an intensivist recording
the report to the sponsor from there (signed, logged, the clock stopped); a nurse cannot."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_ui.adverse_history import AdverseEventHistoryDialog
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from bedside.commands import RecordAdverseEvent
from bedside.handlers import record_adverse_event
from bedside.model import PatientRef
from bedside.users import Action, Role
from tests.acting import signs
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT
from tests.ui.signing import GH, sign_when_asked
from tests.ui.test_review_screen import open_review


def _sae(engine, **more: object) -> None:  # type: ignore[no-untyped-def]
    fields = {
        "patient": PatientRef.parse(PATIENT),
        "term": "Anaphylaxis",
        "grade": 4,
        "relatedness": "probable",
        "onset": NOW - 3600,
        "seriousness": ("life_threatening",),
        "awareness": NOW - 3000,
        **signs("GH", Action.RECORD_ADVERSE_EVENT, Role.INTENSIVIST, NOW - 2900),
        "recorded_at": NOW - 2900,
        **more,
    }
    record_adverse_event(SqlUnitOfWork(engine), RecordAdverseEvent(**fields))  # type: ignore[arg-type]


def test_the_report_to_the_sponsor_is_recorded_from_the_review(qtbot, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    engine = reaction_engine
    _sae(engine)
    _sae(engine, follows=1, outcome="recovering", recorded_at=NOW - 600)
    w = open_review(qtbot, engine)
    try:
        assert "SAE report due" in w.footer.text() and "v2" in w.footer.text()
        seen: list[str] = []

        def record() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, AdverseEventHistoryDialog):
                QTimer.singleShot(20, record)
                return
            seen.append(dialog.text.toPlainText())
            assert dialog.report_button.isEnabled() and dialog.event.count() == 1
            dialog.sent.set(NOW - 1200)
            dialog.report_button.click()

        QTimer.singleShot(0, record)
        sign_when_asked(GH)
        w.ae_history_button.click()
        qtbot.waitUntil(lambda: "reported to sponsor" in w.footer.text(), timeout=20_000)
        assert "version 1," in seen[0] and "version 2," in seen[0] and "SAE report due" in seen[0]
        with engine.connect() as conn:
            (report,) = conn.execute(select(t.adverse_event_report)).all()
            kinds = [k for (k,) in conn.execute(select(t.safety_log.c.kind))]
        assert (report.event_id, report.version, report.sent_ms) == (1, 2, int((NOW - 1200) * 1000))
        assert kinds[-1] == "adverse_event.reported"
    finally:
        w.shutdown()


def test_the_history_without_a_role_to_report_offers_no_report(qtbot, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    _sae(reaction_engine)
    w = open_review(qtbot, reaction_engine)
    try:
        assert w.data is not None
        dialog = AdverseEventHistoryDialog(w.data, w, None)
        qtbot.addWidget(dialog)
        assert not dialog.report_button.isEnabled() and dialog.reporting.isVisibleTo(dialog)
        dialog.report_button.click()
        assert "#1 Anaphylaxis" in dialog.text.toPlainText()
    finally:
        w.shutdown()
