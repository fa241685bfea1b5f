"""What the adverse event form holds, read out as the record's fields: a first report's, a follow-up's
(with what it carries over from the version before), and the term as stored. The form
(AdverseEventDialog) builds the fields these read and shows no text of its own here."""

from __future__ import annotations

from typing import Any

from bedside_ui.action_dialog import ActionDialog
from bedside_ui.time_choice import TimeChoice
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.ctcae import ctcae

NO_DOSE = 0
"""The dose choice's data for "not linked to a dose" (dose numbers start at 1; None: not chosen)."""


class AdverseEventEntries(ActionDialog):
    """The base of the adverse event form, which builds every field declared here."""

    latest: ListedAdverseEvent | None
    assesses: bool
    term: QComboBox
    grade: QComboBox
    relatedness: QComboBox
    onset: TimeChoice
    dose: QComboBox
    alert: QComboBox
    notes: QPlainTextEdit
    treatment: QLineEdit
    criteria: dict[str, QCheckBox]
    not_serious: QCheckBox
    awareness: TimeChoice
    awareness_reason: QLineEdit
    outcome: QComboBox
    end: TimeChoice
    action_taken: QComboBox
    meddra: QLineEdit

    def seriousness(self) -> tuple[str, ...] | None:
        """The criteria ticked; () when assessed as not serious; None when not assessed."""
        ticked = tuple(k for k, box in self.criteria.items() if box.isChecked())
        if ticked:
            return ticked
        return () if self.not_serious.isChecked() else None

    def fields(self) -> dict[str, Any]:
        """What the command carries from the form. A follow-up by a role that does not assess leaves
        relatedness and seriousness unset: the handler carries the assessment already made."""
        if self.latest is not None and not self.assesses:
            return {**self._follow_up_fields(), "relatedness": "", "seriousness": None}
        if self.latest is not None:
            return self._follow_up_fields()
        return self._fields()

    def awareness_moved(self) -> bool:
        """Whether this follow-up moves an awareness time already recorded."""
        was = None if self.latest is None else self.latest.latest.awareness
        now = self.awareness.value()
        return was is not None and now is not None and int(now) != int(was)

    def _follow_up_fields(self) -> dict[str, Any]:
        assert self.latest is not None
        f = {**self._fields(), "follows": self.latest.id}
        if self.awareness_moved():
            f["awareness_reason"] = self.awareness_reason.text().strip()
        elif self.latest.latest.awareness is not None:
            # The time as recorded (the form shows whole seconds): unchanged, never moved a little.
            f["awareness"] = self.latest.latest.awareness
        return f

    def checked_fields(self) -> dict[str, Any]:
        """The fields as the handler will check them (a follow-up with what it carries)."""
        f = self.fields()
        if self.latest is not None and not self.assesses:
            f["relatedness"] = self.latest.latest.relatedness
            f["seriousness"] = self.latest.latest.seriousness
        return f

    def term_stored(self) -> str:
        """The term to store: the English CTCAE v5.0 term when the text names one (in either
        language), else as written."""
        written = self.term.currentText().strip()
        found = ctcae().find(written)
        return found.term if found is not None else written

    def _fields(self) -> dict[str, Any]:
        return {
            "term": self.term_stored(),
            "grade": self.grade.currentData(),
            "relatedness": str(self.relatedness.currentData() or ""),
            "onset": self.onset.value(),
            "seriousness": self.seriousness(),
            "awareness": self.awareness.value(),
            "outcome": self.outcome.currentData(),
            "end": self.end.value(),
            "action_taken": self.action_taken.currentData(),
            "treatment": self.treatment.text().strip(),
            "meddra_code": self.meddra.text().strip(),
            "notes": self.notes.toPlainText(),
        }

    def _entered(self) -> str:
        """What the form holds, to tell a form someone filled in from the form as it opened."""
        chosen = (self.term.currentText(), self.dose.currentData(), self.alert.currentData())
        return repr((self._fields(), chosen))

    def linked_dose(self) -> int | None:
        """The dose number chosen (None: not linked to a dose, or nothing chosen yet)."""
        chosen = self.dose.currentData()
        return None if chosen in (None, NO_DOSE) else int(chosen)
