"""The review's adverse-event list, the report's SAE page and the nurse's screen say what a recorded
death still needs (ICH E2A: a death is serious, so an SAE report is due within 24 h of awareness)
until an event with a fatal outcome or an investigator's signed reason settles it, and name each
event whose outcome the death contradicts (read from what the review holds: the patient's log and
adverse events); the adverse-event form refuses such an outcome before the signature."""

from __future__ import annotations

from types import SimpleNamespace

from bedside_ui.adverse_history import AdverseEventHistoryDialog, death_lines
from bedside_ui.report_sae import add_death

from bedside.adverse_event_listing import ListedAdverseEvent
from tests.listed_events import listed

T = 1_780_000_000.0
DIED = T + 3600
ENTERED = T + 7200


def review(events: list[ListedAdverseEvent], log: list[dict], now: float = ENTERED + 3600) -> SimpleNamespace:
    death = {"at": ENTERED, "kind": "course.event", "actor": "luis", "payload": {"kind": "death", "at": DIED}}
    return SimpleNamespace(
        adverse_events=events,
        log=[death, *log],
        now=now,
        outcomes=SimpleNamespace(died=DIED),
        death_awareness=ENTERED,  # as the review reads it: the death's first entry
        events=[],
        doses=[],
        alerts=[],
    )


def ae(**more: object) -> ListedAdverseEvent:
    base = {
        "id": 1,
        "term": "Hypotension",
        "grade": 3,
        "relatedness": "possible",
        "onset": T,
        "seriousness": None,
        "outcome": "recovering",
        "end": None,
        "reported_at": T + 600,
        "version": 1,
        "history": [],
    }
    return listed(**{**base, **more})  # type: ignore[arg-type]


class Page:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def text(self, text: str, size: float = 9.0) -> None:
        self.lines.append(text)


def test_a_death_with_no_sae_is_flagged_with_its_clock_and_the_event_it_contradicts(qtbot) -> None:  # type: ignore[no-untyped-def]
    data = review([ae()], [])
    lines = death_lines(data)  # type: ignore[arg-type]
    assert (
        lines[0].startswith("death on ")
        and "no serious adverse event recorded; an SAE report is due" in lines[0]
    )
    assert "(in 23 h 00 min)" in lines[0]  # 24 h from when the death was entered, an hour ago
    assert (
        lines[1].startswith("#1 Hypotension: ongoing at the death (")
        and "its outcome says recovering" in lines[1]
    )
    dialog = AdverseEventHistoryDialog(data)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.death.isVisibleTo(dialog) and "SAE report due" in dialog.death.text()
    page = Page()
    add_death(page, data)  # type: ignore[arg-type]
    assert page.lines[0].startswith("Death: death on ") and "SAE report due" in page.lines[0]
    assert page.lines[1].startswith("Outcome and death disagree: #1 Hypotension: ongoing at the death")


def test_a_fatal_event_or_a_signed_reason_settles_the_death() -> None:
    fatal = ae(grade=5, outcome="fatal", end=DIED, seriousness=["death"])
    assert death_lines(review([fatal], [])) == []  # type: ignore[arg-type]
    page = Page()
    add_death(page, review([fatal], []))  # type: ignore[arg-type]
    assert page.lines == [page.lines[0]] and "recorded as serious adverse event #1" in page.lines[0]
    reason = {
        "at": ENTERED + 600,
        "kind": "death.no_sae",
        "actor": "marta",
        "payload": {
            "death_at": DIED,
            "reason": "unrelated: ARDS progression; reported as a death on study",
            "signature": {"name": "Marta Ruiz", "role": "investigator"},
        },
    }
    settled = review([ae(outcome="not_recovered", reported_at=ENTERED + 300)], [reason])
    assert death_lines(settled) == []  # type: ignore[arg-type]
    page = Page()
    add_death(page, settled)  # type: ignore[arg-type]
    assert "no SAE report needed, as Marta Ruiz (investigator) recorded " in page.lines[0]
    assert page.lines[0].endswith(": unrelated: ARDS progression; reported as a death on study.")


def test_the_nurse_screen_shows_the_death_s_sae_clock_while_it_is_due(qtbot) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from bedside_ui.checks_view import ChecksView
    from PySide6.QtWidgets import QWidget

    from bedside.death_sae import NoSaeNeeded, death_sae
    from bedside.status import EMPTY_STATUS

    holder = QWidget()
    qtbot.addWidget(holder)
    view = ChecksView()
    holder.setLayout(view.layout)
    holder.show()
    now = ENTERED + 3600
    view.show_sae_reports(replace(EMPTY_STATUS, deceased_at=DIED, death_sae=death_sae(DIED, ENTERED)), now)
    assert view.sae_label.isVisible() and "no serious adverse event recorded" in view.sae_label.text()
    assert "(in 23 h 00 min)" in view.sae_label.text()
    why = NoSaeNeeded("unrelated, reported as a death on study", "Marta", "investigator", now)
    view.show_sae_reports(replace(EMPTY_STATUS, death_sae=death_sae(DIED, ENTERED, [], [why])), now)
    assert not view.sae_label.isVisible()


def test_the_signed_reason_reads_in_words_in_the_signatures_table() -> None:
    from bedside.review_signatures import signed_rows

    entry = {
        "seq": 9,
        "at": ENTERED + 600,
        "kind": "death.no_sae",
        "actor": "marta",
        "payload": {
            "death_at": DIED,
            "reason": "unrelated: ARDS progression",
            "signature": {"name": "Marta Ruiz", "role": "investigator", "meaning": "Assessed", "at": ENTERED},
        },
    }
    (row,) = signed_rows([entry])
    assert any(cell.startswith("No SAE report needed for the death ") for cell in row)
    assert any(cell.endswith(": unrelated: ARDS progression") for cell in row)


def test_the_form_refuses_an_outcome_the_death_contradicts_before_the_signature(qtbot) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.adverse_event_dialog import AdverseEventDialog

    from bedside.death_sae import DeathOnRecord
    from bedside.model import PatientRef
    from bedside.users import Role, User

    doctor = User(username="luis", full_name="Luis Ortega", role=Role.INTENSIVIST)

    def filled(death: DeathOnRecord, outcome: str, grade: int) -> AdverseEventDialog:
        d = AdverseEventDialog([1], [], doctor, now=ENTERED + 3600, death=death)
        qtbot.addWidget(d)
        d.show()
        d.dose.setCurrentIndex(d.dose.findData(1))
        d.term.setCurrentText("Hypotension")
        d.grade.setCurrentIndex(d.grade.findData(grade))
        d.relatedness.setCurrentIndex(d.relatedness.findData("possible"))
        d.onset.set(T)
        d.outcome.setCurrentIndex(d.outcome.findData(outcome))
        if outcome == "fatal":  # serious by death, as a fatal event must be (ICH E2A)
            d.criteria["death"].setChecked(True)
            d.awareness.set(T)
        d.accept()
        return d

    alive = filled(DeathOnRecord(PatientRef("P1", "H"), None), "fatal", 5)
    assert alive.isVisible() and alive.result() == 0
    assert "A fatal outcome needs P1^H's death on record" in alive.error.text()
    dead = filled(DeathOnRecord(PatientRef("P1", "H"), DIED), "recovering", 3)
    assert dead.isVisible() and "P1^H was recorded as deceased at " in dead.error.text()
    assert "it cannot be recovering" in dead.error.text()
