"""A review left open reads the record again: every minute on its reader thread, after each action
taken from it, and before its adverse-event list opens; it says when its data were read. From that
list an intensivist records a follow-up (causality and seriousness assessed) in the form, prefilled
from the latest version, through the follow-up handler."""

from __future__ import annotations

from datetime import datetime

from bedside_adapters.db import schema as t
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.adverse_history import AdverseEventHistoryDialog
from bedside_ui.review_window import RELOAD_EVERY_MS
from sqlalchemy import select

from bedside.commands import NOT_ASSESSED, RecordAdverseEvent
from bedside.handlers import record_adverse_event
from bedside.model import PatientRef
from bedside.users import Action, Role
from tests.acting import signs
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT
from tests.ui.signing import GH, sign_when_asked, when_modal
from tests.ui.test_review_screen import open_review


def _unassessed_event(engine) -> None:  # type: ignore[no-untyped-def]
    """A nurse's first report: relatedness and seriousness not yet assessed."""
    cmd = RecordAdverseEvent(
        patient=PatientRef.parse(PATIENT),
        term="Hypotension",
        grade=3,
        relatedness=NOT_ASSESSED,
        onset=NOW - 3600,
        recorded_at=NOW - 2900,
        **signs("AR", Action.RECORD_ADVERSE_EVENT, Role.NURSE, NOW - 2900),  # type: ignore[arg-type]
    )
    record_adverse_event(SqlUnitOfWork(engine), cmd)


def test_an_open_review_reads_the_record_again_every_minute(qtbot, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, reaction_engine)
    try:
        assert w.reload_timer.isActive() and w.reload_timer.interval() == RELOAD_EVERY_MS <= 60_000
        assert w.as_of.text() == "Data as of " + datetime.fromtimestamp(NOW).strftime("%H:%M")
        assert w.data is not None and w.data.adverse_events == []
        _unassessed_event(reaction_engine)  # recorded elsewhere (the nurse's screen)
        w.reload_timer.timeout.emit()
        assert w.loading  # on the reader thread: the window goes on meanwhile
        w.reload_timer.timeout.emit()  # a second tick while the first read is on its way adds none
        qtbot.waitUntil(
            lambda: not w.loading and w.data is not None and bool(w.data.adverse_events), timeout=20_000
        )
        assert [e.latest.term for e in w.data.adverse_events] == ["Hypotension"]
    finally:
        w.shutdown()
    assert not w.reload_timer.isActive()


def test_the_adverse_event_list_shows_what_was_recorded_since_the_review_was_read(
    qtbot, reaction_engine
) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, reaction_engine)
    try:
        _unassessed_event(reaction_engine)
        seen: list[str] = []

        def look(dialog) -> None:  # type: ignore[no-untyped-def]
            seen.append(dialog.text.toPlainText())
            dialog.reject()

        when_modal(AdverseEventHistoryDialog, look)
        w.ae_history_button.click()
        qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
        assert "Hypotension" in seen[0]
    finally:
        w.shutdown()


def test_an_intensivist_assesses_an_event_in_a_follow_up_from_the_review(qtbot, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    _unassessed_event(reaction_engine)
    w = open_review(qtbot, reaction_engine)
    try:
        assert w.data is not None and w.data.adverse_events[0].latest.relatedness == NOT_ASSESSED
        forms: list[AdverseEventDialog] = []

        def assess(form) -> None:  # type: ignore[no-untyped-def]
            forms.append(form)
            assert form.term.currentText() == "Hypotension" and form.grade.currentData() == 3
            assert form.onset.value() == NOW - 3600
            form.relatedness.setCurrentIndex(form.relatedness.findData("possible"))
            form.criteria["hospitalisation"].setChecked(True)
            form.awareness.set(NOW - 1800)
            sign_when_asked(GH)
            form.accept()

        def follow(history) -> None:  # type: ignore[no-untyped-def]
            assert history.follow_up_button.isEnabled()
            when_modal(AdverseEventDialog, assess)
            history.follow_up_button.click()

        when_modal(AdverseEventHistoryDialog, follow)
        w.ae_history_button.click()
        qtbot.waitUntil(
            lambda: w.data is not None and w.data.adverse_events[0].latest.version == 2 and not w.busy,
            timeout=30_000,
        )
        event = w.data.adverse_events[0].latest
        assert (event.relatedness, event.seriousness, event.awareness) == (
            "possible",
            ("hospitalisation",),
            NOW - 1800,
        )
        assert event.assessed_by == GH.username and forms[0].result() == 1
        with reaction_engine.connect() as conn:
            kinds = [k for (k,) in conn.execute(select(t.safety_log.c.kind))]
        assert kinds[-1] == "adverse_event.recorded"
    finally:
        w.shutdown()


def test_a_plot_the_reader_zoomed_keeps_its_view_through_a_reload(qtbot, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, reaction_engine)
    try:
        key, item = next(iter(w.plots.items()))
        box = item.getViewBox()
        (x0, x1), _ = box.viewRange()
        zoomed = (x0 + (x1 - x0) / 4, x1 - (x1 - x0) / 4)
        box.setXRange(*zoomed, padding=0)
        box.sigRangeChangedManually.emit(box.state["mouseEnabled"])  # as a drag or a wheel does
        w.reload()
        qtbot.waitUntil(lambda: not w.loading, timeout=20_000)
        kept = w.plots[key].getViewBox().viewRange()[0]
        assert abs(kept[0] - zoomed[0]) < 1e-6 and abs(kept[1] - zoomed[1]) < 1e-6
        w.hi.setValue(w.hi.value() - 24)  # another window chosen: the plots fit it afresh
        assert w.plots[key].getViewBox().viewRange()[0] != kept
    finally:
        w.shutdown()
