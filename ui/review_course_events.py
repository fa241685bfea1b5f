"""The review's course events: extubation confirmed, an outcome, a radiology note, and the one-click
confirmation of a death an ADT message reported (offered, never taken); each signed by the user
signed in and recorded on the review's worker by its handler. Part of `ReviewWindow`."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from bedside_ui import actions
from bedside_ui.course_event_dialog import CourseEventDialog
from PySide6.QtCore import QCoreApplication

from bedside import i18n
from bedside.users import Action


class ReviewCourseEvents:
    """`ReviewWindow`'s course-event actions (its texts are the window's)."""

    def course_event(self, kind: str) -> None:
        if self.data is None or (user := self._acting.user()) is None:
            return
        at = (
            self.data.outcomes.extubation_candidate
            if kind == "extubation" and self.data.outcomes.extubation_candidate
            else self._clock()
        )
        dialog = CourseEventDialog(kind, at, user, self)
        if not self._run(dialog):
            return
        ref, chosen, when, note, by = (
            self.data.patient.ref,
            str(dialog.kind.currentData()),
            float(dialog.at.dateTime().toSecsSinceEpoch()),
            dialog.note.text().strip(),
            user,
        )
        # Every clinician's record from a screen is signed by the user signed in, as on the command line.
        signature = self._acting.sign(
            Action.RECORD_COURSE_EVENT,
            QCoreApplication.translate("ReviewWindow", "the course event {kind} at {at}").format(
                # As the dialog's time field shows it (day, month in words, year): never an ISO date.
                kind=dialog.kind.currentText(),
                at=i18n.strftime(datetime.fromtimestamp(when), "%d %b %Y %H:%M"),
            ),
        )
        if signature is None:
            return
        self._submit(
            "event", partial(actions.course_event, self._writes, ref, chosen, when, by, note, signature)
        )

    def _adt_death(self) -> float | None:
        """The time of the death an ADT message reported and nobody confirmed yet (None: none)."""
        if self.data is None:
            return None
        offered = next((o for o in self.data.outcome_set if o.key == "death_adt"), None)
        return None if offered is None or not offered.times else offered.times[0]

    def confirm_adt_death(self) -> None:
        at = self._adt_death()
        if self.data is None or at is None or (user := self._acting.user()) is None:
            return
        signature = self._acting.sign(
            Action.RECORD_COURSE_EVENT,
            QCoreApplication.translate(
                "ReviewWindow", "the death reported by ADT at {at}, confirmed as the patient's death"
            ).format(at=i18n.strftime(datetime.fromtimestamp(at), "%d %b %Y %H:%M")),
        )
        if signature is None:
            return
        self._submit(
            "event",
            partial(actions.confirm_reported_death, self._writes, self.data.patient.ref, at, user, signature),
        )
