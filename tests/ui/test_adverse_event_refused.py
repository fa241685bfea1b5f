"""A record the handler refuses after it was signed (here: an onset before the linked dose started,
which only the record can tell) opens the adverse-event form again with every field as it was and
the reason, instead of losing them; corrected and signed again, it is recorded. A review open beside
the nurse's screen reads again after an action there."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from PySide6.QtCore import Qt
from sqlalchemy import select

from tests.ui.signing import EF, sign_when_asked, when_modal
from tests.ui.test_nurse_screen import reacting, window_for

__all__ = ["reacting"]  # the fixture, used by name


def test_a_refused_record_opens_the_form_again_with_its_fields(qtbot, reacting) -> None:  # type: ignore[no-untyped-def]
    engine, now = reacting
    window = window_for(qtbot, engine, now, EF)
    forms: list[AdverseEventDialog] = []
    try:
        qtbot.waitUntil(lambda: window.ae_button.isEnabled() and bool(window.status.doses), timeout=15_000)

        def second(form: AdverseEventDialog) -> None:
            forms.append(form)
            assert form.error.isVisible() and "before dose" in form.error.text()
            assert form.term.currentText() == "Infusion related reaction" and form.grade.currentData() == 2
            assert form.treatment.text() == "paracetamol"
            form.onset.set(now - 15 * 60)
            sign_when_asked(EF)
            form.accept()

        def first(form: AdverseEventDialog) -> None:
            forms.append(form)
            form.term.setCurrentText("Infusion related reaction")
            form.grade.setCurrentIndex(form.grade.findData(2))
            form.dose.setCurrentIndex(form.dose.findData(1))
            if form.relatedness.isEnabled():
                form.relatedness.setCurrentIndex(form.relatedness.findData("probable"))
            form.onset.set(now - 3 * 3600)  # before dose 1 started: the record refuses it
            form.treatment.setText("paracetamol")
            sign_when_asked(EF)
            when_modal_after(form, second)
            form.accept()

        def when_modal_after(previous: AdverseEventDialog, act) -> None:  # type: ignore[no-untyped-def]
            # The same form, shown again once the refusal came back.
            when_modal(
                AdverseEventDialog, lambda d: act(d) if d is previous and d.error.isVisible() else None
            )

        when_modal(AdverseEventDialog, first)
        qtbot.mouseClick(window.ae_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: (
                window.last_action is not None
                and window.last_action[0] == "Adverse event"
                and not isinstance(window.last_action[1], Exception)
            ),
            timeout=30_000,
        )
        assert len(forms) == 2 and forms[0] is forms[1]
        with engine.connect() as conn:
            ae = conn.execute(select(t.adverse_event)).one()
        assert (ae.term, ae.grade, ae.treatment) == ("Infusion related reaction", 2, "paracetamol")
    finally:
        window.shutdown()


def test_an_open_review_shows_an_event_just_recorded_on_the_nurses_screen(qtbot, reacting) -> None:  # type: ignore[no-untyped-def]
    engine, now = reacting
    window = window_for(qtbot, engine, now, EF)
    try:
        qtbot.waitUntil(
            lambda: window.ae_button.isEnabled() and window._patient_ref is not None, timeout=15_000
        )
        window.open_review()
        review = window.review
        assert review is not None
        qtbot.addWidget(review)
        qtbot.waitUntil(lambda: review.data is not None and not review.loading, timeout=20_000)
        assert review.data.adverse_events == []

        def record(form: AdverseEventDialog) -> None:
            form.term.setCurrentText("Infusion related reaction")
            form.grade.setCurrentIndex(form.grade.findData(2))
            form.dose.setCurrentIndex(form.dose.findData(1))
            if form.relatedness.isEnabled():
                form.relatedness.setCurrentIndex(form.relatedness.findData("probable"))
            form.onset.set(now - 15 * 60)
            sign_when_asked(EF)
            form.accept()

        when_modal(AdverseEventDialog, record)
        qtbot.mouseClick(window.ae_button, Qt.MouseButton.LeftButton)
        # Long before the minute's reading: the action itself reads the review again.
        qtbot.waitUntil(lambda: review.data is not None and bool(review.data.adverse_events), timeout=20_000)
        assert review.data.adverse_events[0].latest.term == "Infusion related reaction"
    finally:
        if window.review is not None:
            window.review.shutdown()
        window.shutdown()
