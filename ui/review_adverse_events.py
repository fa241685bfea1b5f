"""The review's adverse-event actions: the list of every event with its versions, a follow-up (a new
version from the form prefilled with the latest), and a report to the sponsor; each signed by the
user signed in and recorded on the review's worker by its handler. Part of `ReviewWindow`."""

from __future__ import annotations

from functools import partial

from bedside_ui import actions
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.adverse_history import AdverseEventHistoryDialog, sent_text
from PySide6.QtCore import QCoreApplication

from bedside.ctcae import term_text
from bedside.death_sae import DeathOnRecord
from bedside.users import Action


class ReviewAdverseEvents:
    """`ReviewWindow`'s adverse-event actions (its texts are the window's)."""

    def show_adverse_events(self) -> None:
        """Every event and its versions; an intensivist or investigator may record a report to the
        sponsor there (signed here, written on the worker, then the review is read again)."""
        if self.data is None:
            return
        # Read again first: the list shows the events as they are now, not as the review last read.
        self._then_adverse_events = True
        self.reload()

    def _open_adverse_events(self) -> None:
        assert self.data is not None
        allowed = self._may(Action.REPORT_ADVERSE_EVENT)
        follow_up = self.follow_up if self._may(Action.RECORD_ADVERSE_EVENT) else None
        dialog = AdverseEventHistoryDialog(self.data, self, self._report_sae if allowed else None, follow_up)
        self._run(dialog)

    def follow_up(self, event: int, dialog: AdverseEventDialog | None = None) -> None:
        """A new version of the event, from the form prefilled with its latest one; signed here and
        recorded on the worker by the follow-up handler, then the review is read again."""
        if self.data is None or (user := self._acting.user()) is None:
            return
        latest = next((e for e in self.data.adverse_events if e.id == event), None)
        if latest is None:
            return
        if dialog is None:
            # The patient's alerts, so that the alert the event is linked to is named by its rule.
            dialog = AdverseEventDialog(
                [d.dose for d in self.data.doses],
                list(self.data.alerts),
                user,
                self,
                self._clock(),
                latest=latest,
                death=DeathOnRecord(self.data.patient.ref, self.data.outcomes.died),
            )
        self.follow_up_draft = None
        if not self._run(dialog):
            return
        fields = dialog.fields()
        signature = self._acting.sign(
            Action.RECORD_ADVERSE_EVENT,
            QCoreApplication.translate(
                "ReviewWindow", "the follow-up of adverse event #{event} ({term}, grade {grade})"
            ).format(event=event, term=term_text(fields["term"]), grade=fields["grade"]),
        )
        if signature is None:
            return
        self.follow_up_draft = (dialog, user)
        ref, dose = self.data.patient.ref, dialog.linked_dose()
        self._submit(
            "event",
            partial(
                actions.adverse_event, self._writes, ref, user=user, signature=signature, dose=dose, **fields
            ),
        )

    def _report_sae(self, event: int, sent_at: float) -> None:
        if self.data is None or (user := self._acting.user()) is None:
            return
        what = QCoreApplication.translate(
            "ReviewWindow", "the report of adverse event #{event} to the sponsor, sent {at}"
        ).format(event=event, at=sent_text(sent_at))
        signature = self._acting.sign(Action.REPORT_ADVERSE_EVENT, what)
        if signature is None:
            return
        ref = self.data.patient.ref
        self._submit(
            "event", partial(actions.report_adverse_event, self._writes, ref, event, sent_at, user, signature)
        )
