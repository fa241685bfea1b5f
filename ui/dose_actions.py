"""The nurse's dose actions: starting a dose (asking first while another is infusing, and noting the
vital signs and results missing before it), stopping it, and confirming its start with a signature.
Their texts keep the nurse's actions' translation context."""

from __future__ import annotations

from bedside_ui import actions
from bedside_ui.confirm import confirm
from bedside_ui.dialogs import ConfirmDoseDialog, StartDoseDialog, StopDoseDialog, edit_time
from bedside_ui.nurse_actions import NurseActions
from PySide6.QtCore import QCoreApplication, Slot

from bedside.checks import pre_dose_gaps
from bedside.nurse_screen import local
from bedside.users import Action


class DoseActions(NurseActions):
    """Start dose…, Stop dose… and Confirm start… of the nurse's screen (MainWindow)."""

    @Slot()
    def start_dose(self) -> None:
        if self._patient_ref is None or (user := self._user()) is None:
            return
        next_dose = max((d.dose for d in self.status.doses), default=0) + 1
        now = self._clock()
        running = self.status.current_dose
        if (
            running is not None
            and running.running
            and not confirm(
                self,
                QCoreApplication.translate("NurseActions", "Dose {n} is infusing").format(n=running.dose),
                QCoreApplication.translate(
                    "NurseActions",
                    "Dose {n} is still infusing (started {time}). Stop it first if it has ended; start dose "
                    "{next} only if a second dose really runs at the same time.",
                ).format(n=running.dose, time=local(running.start, "%H:%M"), next=next_dose),
                QCoreApplication.translate("NurseActions", "Start dose {next} anyway…").format(
                    next=next_dose
                ),
            )
        ):
            return
        tiles = self.numerics.tiles
        vitals = {
            name: tiles[key].reading.at if tiles[key].reading else None
            for key, name in (
                ("hr", "heart rate"),
                ("spo2", "SpO2"),
                ("abp_sys", "blood pressure"),
                ("temp", "temperature"),
            )
        }
        labs = [v.at for key, values in self.status.labs.items() if key != "pao2" for v in values]
        gases = [v.at for v in self.status.labs.get("pao2", [])]
        self.pre_dose_gaps = pre_dose_gaps(now, vitals, labs, gases)
        dialog = StartDoseDialog(next_dose, now, user, self, self.pre_dose_gaps)
        if self._run(dialog):
            per_kg = dialog.cells_per_kg.value()
            self._act(
                "Start dose",
                actions.start_dose,
                self._patient,
                dialog.dose.value(),
                edit_time(dialog.at),
                user,
                dialog.product.text().strip(),
                per_kg * 1e6 if per_kg > 0 else None,
                dialog.weight.value() or None,
                dialog.of.value() or None,
            )

    @Slot()
    def stop_dose(self) -> None:
        dose = self.status.current_dose
        if self._patient_ref is None or dose is None or not dose.running or (user := self._user()) is None:
            return
        dialog = StopDoseDialog(dose.dose, self._clock(), user, self)
        if self._run(dialog):
            self._act("Stop dose", actions.stop_dose, self._patient, dose.dose, edit_time(dialog.at), user)

    @Slot()
    def confirm_dose(self) -> None:
        dose = self.status.current_dose
        if self._patient_ref is None or dose is None or (user := self._user()) is None:
            return
        dialog = ConfirmDoseDialog(dose, user, self)
        if not self._run(dialog):
            return
        at = edit_time(dialog.at)
        signature = self._sign(
            Action.CONFIRM_DOSE,
            QCoreApplication.translate("NurseActions", "the start of dose {dose} at {time}").format(
                dose=dose.dose, time=local(at, "%d %b %H:%M")
            ),
        )
        if signature is not None:
            self._act(
                "Confirm start",
                actions.confirm_dose,
                self._patient,
                dose.dose,
                user,
                signature,
                None if abs(at - dose.start) < 60 else at,
            )
