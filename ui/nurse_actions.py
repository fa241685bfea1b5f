"""The nurse's actions: each opens its dialog, the actions that are signatures then the signature
dialog, and what the nurse confirms and signs is written on the screen's worker thread through
bedside_ui.actions (the safety log records it there) as the signed-in user's. Mixed into the nurse's
screen (MainWindow), whose state it reads: the status on screen, the patient, the tiles, the
session."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from bedside_ui import actions
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.alert_list import AlertListDialog
from bedside_ui.alert_words import alert_title
from bedside_ui.dialogs import (
    AckDialog,
    MuteDialog,
    RecordVitalsDialog,
    SignCheckDialog,
)
from bedside_ui.medication_dialog import RecordMedicationDialog
from bedside_ui.numerics_panel import NumericsPanel
from bedside_ui.screen_lock import ScreenLock
from bedside_ui.theme import severity_text
from bedside_ui.worker import Worker
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Slot
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QPushButton

from bedside import i18n
from bedside.alert_screen import MUTE_SECONDS, AlertSound, alarming, banner_alert
from bedside.checks import check_name_after_check
from bedside.clock import Clock
from bedside.co_medication import ROUTE_LABELS
from bedside.ctcae import term_text
from bedside.death_sae import DeathOnRecord
from bedside.model import PatientRef
from bedside.nurse_screen import SECONDARY_NOTICE, local
from bedside.ports import Writes
from bedside.rules.ruleset import RuleSet
from bedside.status import PatientStatus
from bedside.units import display_unit, format_number
from bedside.users import Action, Signature, User, may

JOBS = (
    QT_TRANSLATE_NOOP("NurseActions", "Acknowledge"),
    QT_TRANSLATE_NOOP("NurseActions", "Start dose"),
    QT_TRANSLATE_NOOP("NurseActions", "Stop dose"),
    QT_TRANSLATE_NOOP("NurseActions", "Confirm start"),
    QT_TRANSLATE_NOOP("NurseActions", "Adverse event"),
    QT_TRANSLATE_NOOP("NurseActions", "Record vitals"),
    QT_TRANSLATE_NOOP("NurseActions", "Record medication"),
    QT_TRANSLATE_NOOP("NurseActions", "Check signed"),
    QT_TRANSLATE_NOOP("NurseActions", "Mute"),
)
"""The worker's names of the nurse's actions (the screen tells them apart by these), translated
where the nurse reads them."""


def _job(what: str) -> str:
    return QCoreApplication.translate("NurseActions", what)


class NurseActions(QMainWindow):
    """The base of the nurse's screen (MainWindow), which sets up what is declared here."""

    _worker: Worker
    _writes: Writes
    _clock: Clock
    _rules: RuleSet
    _patient_ref: PatientRef | None
    status: PatientStatus
    screen_lock: ScreenLock
    numerics: NumericsPanel
    sound: AlertSound
    alert_list: AlertListDialog | None
    last_action: tuple[str, object] | None = None
    pre_dose_gaps: tuple[str, ...] | list[str] = ()
    check_due: str | None = None
    """The check the Sign check dialog preselects: the one due or overdue now."""
    _signable: tuple[tuple[str, str], ...] = ()
    _check_labels: tuple[tuple[str, str], ...] = ()
    """(check key, English name) of the signable checks: what a signed check stores."""
    start_button: QPushButton
    stop_button: QPushButton
    confirm_button: QPushButton
    mute_button: QPushButton
    ae_button: QPushButton
    ack_button: QPushButton
    sign_button: QPushButton
    vitals_button: QPushButton
    medication_button: QPushButton

    def refresh(self) -> None: ...

    def _cue_new_alerts(self, status: PatientStatus, now: float) -> None: ...

    @property
    def _patient(self) -> PatientRef:
        """The patient on screen, as the actions name it."""
        assert self._patient_ref is not None
        return self._patient_ref

    def _act(self, what: str, fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._worker.submit(what, partial(fn, self._writes, *args, **kwargs))

    def on_acted(self, what: str, result: object) -> None:
        self.last_action = (what, result)
        if what == "Adverse event":
            self.adverse_event_draft = None
        review = getattr(self, "review", None)
        if review is not None and review.isVisible():
            review.reload()  # an open review shows what was just recorded, not what it read before
        self.statusBar().showMessage(
            QCoreApplication.translate("NurseActions", "{action}: done, recorded in the safety log").format(
                action=_job(what)
            ),
            8000,
        )
        self.refresh()

    def on_action_failed(self, what: str, message: str) -> None:
        self.last_action = (what, RuntimeError(message))
        draft = getattr(self, "adverse_event_draft", None)
        if what == "Adverse event" and draft is not None:
            # The form again with every field as it was, and why it was refused.
            dialog, user = draft
            dialog.refused(message)
            self._adverse_event_form(dialog, user)
            return
        if what == "Mute":
            self.sound.unmute()  # a mute that is not in the safety log must not silence the screen
        QMessageBox.warning(
            self,
            QCoreApplication.translate("NurseActions", "{action}: not done").format(action=_job(what)),
            QCoreApplication.translate(
                "NurseActions", "{message}\n\nNothing was recorded. Correct and try again."
            ).format(message=message[:1].upper() + message[1:]),  # it starts the sentence
        )

    def _run(self, dialog: QDialog) -> bool:
        """Open a dialog modally; tests drive it through `dialog_opened`. Accepted only while the
        screen is still signed in (a lock closes it unfinished)."""
        self.dialog = dialog
        return dialog.exec() == QDialog.DialogCode.Accepted and not self.screen_lock.session.locked

    def _user(self) -> User | None:
        """Who acts: the user signed in (the login first when the screen is locked)."""
        return self.screen_lock.user()

    def _sign(self, action: Action, what: str) -> Signature | None:
        """The signed-in user's signature of `what` (None: not signed, nothing is written)."""
        signature = self.screen_lock.sign(action, what)
        if signature is None:
            self.statusBar().showMessage(
                QCoreApplication.translate("NurseActions", "Not signed: nothing was recorded"), 8000
            )
        return signature

    @Slot()
    def acknowledge_top(self) -> None:
        """Acknowledge what the banner shows (never an alert it does not show)."""
        top = banner_alert(self.status.alerts)
        if top is None or top.state != "raised" or (user := self._user()) is None:
            return
        dialog = AckDialog(top, user, self, self._rules)
        if not self._run(dialog):
            return
        signature = self._sign(
            Action.ACKNOWLEDGE,
            QCoreApplication.translate("NurseActions", "the acknowledgement of {severity} {title}").format(
                severity=severity_text(top.severity), title=alert_title(top, self._rules)
            ),
        )
        if signature is not None:
            comment = dialog.comment.text().strip()
            self._act("Acknowledge", actions.ack_alert, top.id, user, signature, comment)

    @Slot()
    def show_alert_list(self) -> None:
        """The Alerts list, where any alert is acknowledged. Not modal: it follows the screen's
        refresh, so each acknowledgement shows as it lands and the next can be chosen."""
        if self.alert_list is None:
            self.alert_list = AlertListDialog(
                self._rules.escalation_minutes, SECONDARY_NOTICE, self, self._clock, self._rules
            )
            self.alert_list.acknowledge.connect(self._acknowledge_listed)
            self.alert_list.finished.connect(self._alert_list_closed)
        self.alert_list.show_alerts(self.status.alerts, self.status.recent)
        self.alert_list.allow_acknowledging(self.screen_lock.session.user, self._may(Action.ACKNOWLEDGE))
        if self.alert_list.isVisible():  # already open, perhaps behind: bring it forward
            self.alert_list.raise_()
            self.alert_list.activateWindow()
        self.alert_list.show()

    def _alert_list_closed(self) -> None:
        if self.alert_list is not None:
            self.alert_list.deleteLater()
        self.alert_list = None

    def _may(self, action: Action) -> bool:
        """Whether the user signed in may take the action (False while the screen is locked)."""
        user = self.screen_lock.session.user
        return user is not None and may(user, action)

    def _gated(self) -> tuple[tuple[QPushButton, Action, bool], ...]:
        """Each action button, its action, and whether what the screen shows decides its state too
        (then it is enabled by the next refresh, never here)."""
        return (
            (self.start_button, Action.START_DOSE, False),
            (self.stop_button, Action.STOP_DOSE, False),
            (self.confirm_button, Action.CONFIRM_DOSE, False),
            (self.mute_button, Action.MUTE, False),
            (self.ae_button, Action.RECORD_ADVERSE_EVENT, False),
            (self.ack_button, Action.ACKNOWLEDGE, True),
            (self.sign_button, Action.SIGN_CHECK, True),
            (self.vitals_button, Action.RECORD_VITALS, True),
            (self.medication_button, Action.RECORD_MEDICATION, True),
        )

    def _gate_actions(self) -> None:
        """Every action button disabled while the screen is locked, and those the user's role may not
        press while it is not."""
        for button, action, shown_decides in self._gated():
            allowed = self._may(action)
            if not shown_decides:
                button.setEnabled(allowed)
            elif not allowed:
                button.setEnabled(False)
        shown = getattr(self, "status", None)
        if shown is not None and shown.deceased_at is not None:
            self.start_button.setEnabled(False)  # no dose after a recorded death
        if self.alert_list is not None:
            self.alert_list.allow_acknowledging(self.screen_lock.session.user, self._may(Action.ACKNOWLEDGE))

    @Slot(list, str)
    def _acknowledge_listed(self, alert_ids: list[int], comment: str) -> None:
        user = self._user()
        if user is None:
            return
        n = len(alert_ids)
        ids = ", ".join(map(str, alert_ids))
        what = (
            QCoreApplication.translate("NurseActions", "the acknowledgement of {n} alerts ({ids})").format(
                n=n, ids=ids
            )
            if n > 1
            else QCoreApplication.translate("NurseActions", "the acknowledgement of 1 alert ({ids})").format(
                ids=ids
            )
        )
        signature = self._sign(Action.ACKNOWLEDGE, what)
        if signature is None:
            return
        if self.alert_list is not None:
            self.alert_list.acknowledged()
        self._act("Acknowledge", actions.ack_alerts, list(alert_ids), user, signature, comment)

    @Slot()
    def record_adverse_event(self) -> None:
        if self._patient_ref is None or (user := self._user()) is None:
            return
        alerts = [*self.status.alerts, *self.status.recent]
        dialog = AdverseEventDialog(
            [d.dose for d in self.status.doses],
            alerts,
            user,
            self,
            self._clock(),
            rules=self._rules,
            death=DeathOnRecord(self._patient_ref, self.status.deceased_at),
        )
        self._adverse_event_form(dialog, user)

    def _adverse_event_form(self, dialog: AdverseEventDialog, user: User) -> None:
        """Open the form (again, with its fields, when the handler refused what was signed)."""
        self.adverse_event_draft = None
        if self._run(dialog):
            dose = dialog.linked_dose()
            episode = next((d.id for d in self.status.doses if d.dose == dose), None)
            alert = dialog.alert.currentData()
            fields = dialog.fields()
            signature = self._sign(
                Action.RECORD_ADVERSE_EVENT,
                QCoreApplication.translate("NurseActions", "the adverse event {term}, grade {grade}").format(
                    term=term_text(fields["term"]), grade=fields["grade"]
                ),
            )
            if signature is None:
                return
            self.adverse_event_draft = (dialog, user)
            self._act(
                "Adverse event",
                actions.adverse_event,
                self._patient,
                user=user,
                signature=signature,
                episode_id=episode,
                alert_ids=[] if alert is None else [int(alert)],
                **fields,
            )

    @Slot()
    def record_vitals(self) -> None:
        if self._patient_ref is None or (user := self._user()) is None:
            return
        dialog = RecordVitalsDialog(self._patient, self._clock(), user, self)
        if self._run(dialog) and dialog.command is not None:
            self._act("Record vitals", actions.record_vitals, dialog.command, self._clock())

    @Slot()
    def record_medication(self) -> None:
        if self._patient_ref is None or (user := self._user()) is None:
            return
        dialog = RecordMedicationDialog(self._patient, self._clock(), user, self)
        if self._run(dialog) and dialog.command is not None:
            cmd = dialog.command
            # Signed by the user signed in, as every clinician's record from a screen.
            signature = self._sign(
                Action.RECORD_MEDICATION,
                QCoreApplication.translate(
                    "NurseActions", "the record of {drug} {dose} {unit} {route} at {time}"
                ).format(
                    drug=cmd.drug,
                    # Read at the moment of signing: the language's decimal separator.
                    dose=format_number(cmd.dose),
                    unit=display_unit(cmd.unit),
                    route=i18n._(ROUTE_LABELS["other"]) if cmd.route == "other" else cmd.route,
                    time=local(cmd.start, "%d %b %H:%M"),
                ),
            )
            if signature is None:
                return
            self._act(
                "Record medication",
                actions.record_medication,
                replace(cmd, signature=signature),
                self._clock(),
            )

    @Slot()
    def sign_check(self) -> None:
        dose = self.status.current_dose
        if self._patient_ref is None or dose is None or not self._signable or (user := self._user()) is None:
            return
        # A value entered by hand is captured as such, with its time: the check must not read as live.
        values = "; ".join(
            f"{t.reading.label} {t.reading.text()}"
            + (f" (manual {local(t.reading.at, '%H:%M')})" if t.reading.manual and t.reading.at else "")
            for t in self.numerics.tiles.values()
            if t.reading and t.reading.value is not None
        )
        dialog = SignCheckDialog(self._signable, values, user, self, selected=self.check_due)
        if not self._run(dialog):
            return
        signature = self._sign(
            Action.SIGN_CHECK,
            # The check's name alone: the list's text adds its state ("late"), which is not what is
            # signed, and the check after a HIGH alert is named so that "check" is not said twice.
            QCoreApplication.translate("NurseActions", "the check {check} of dose {dose}").format(
                check=check_name_after_check(
                    str(dialog.check.currentData()),
                    dict(self._check_labels).get(str(dialog.check.currentData()), ""),
                ),
                dose=dose.dose,
            ),
        )
        if signature is not None:
            key = str(dialog.check.currentData())
            self._act(
                "Check signed",
                actions.sign_check,
                self._patient,
                dose.id,
                key,
                # Stored as the check's English name, never the list's text (the screen's language
                # and the check's state): every reader shows it in their own language.
                dict(self._check_labels).get(key, key),
                values,
                dialog.comment.text().strip(),
                user,
                signature,
            )

    @Slot()
    def mute_sound(self) -> None:
        """Mute for 2 min, logged with who and until when; clicked while muted, the sound comes back."""
        now = self._clock()
        if self.sound.muted(now):
            self.sound.unmute()
            self.refresh()
            return
        loud = alarming(self.status.alerts)
        names = ", ".join(
            f"{severity_text(a.severity)} {alert_title(a, self._rules)}" for a in loud
        ) or QCoreApplication.translate("NurseActions", "no alert sounding")
        if (user := self._user()) is None:
            return
        dialog = MuteDialog(MUTE_SECONDS / 60, names, user, self)
        if not self._run(dialog) or self._patient_ref is None:
            return
        now = self._clock()  # the dialog may have been open a while: the 2 min start when it closes
        # The button names the person who muted (their printed name), not the account.
        mute = self.sound.mute_for(user.full_name or user.username, now)
        self._act(
            "Mute",
            actions.mute_alerts,
            self._patient,
            user,
            mute.at,
            mute.until,
            [a.id for a in loud],
            dialog.reason.text().strip(),
        )
        self._cue_new_alerts(self.status, now)
