"""The nurse's "Record medication" dialog: a co-medication given that the eMAR did not send (a
steroid, an antipyretic, an anticoagulant, a vasopressor, or another drug by name). The class, the
unit and the route are required choices with nothing preselected; the command is checked by the
handler's own checks when OK is pressed, and a refusal is shown here with the dialog left open."""

from __future__ import annotations

from bedside_ui.action_dialog import ActionDialog, edit_time, parse_typed_number
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from bedside.co_medication import ROUTE_LABELS, ROUTES, UNITS, CoMedicationCatalogue, DrugClass
from bedside.commands import MedicationError, RecordMedication
from bedside.handlers.medication import check
from bedside.i18n import _
from bedside.model import PatientRef
from bedside.units import display_unit
from bedside.users import User


def _choice(prompt: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    box.addItem(prompt, None)
    for label, value in items:
        box.addItem(label, value)
    return box


def _time(at: float) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(at)))
    edit.setDisplayFormat("dd MMM yyyy HH:mm")
    edit.setCalendarPopup(True)
    return edit


class RecordMedicationDialog(ActionDialog):
    def __init__(self, patient: PatientRef, at: float, user: User, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Record medication"),
            self.tr(
                "A drug given that the eMAR did not send. It is shown on the review around each dose: "
                "steroids and tocilizumab blunt fever and CRP, antipyretics mask fever, anticoagulants "
                "matter for thrombosis, vasopressors support blood pressure."
            ),
            user,
            parent,
        )
        self.patient = patient
        self.now = at
        self.command: RecordMedication | None = None
        catalogue = CoMedicationCatalogue.load()
        self.drug = QLineEdit()
        self.drug.setPlaceholderText(self.tr("as on the chart, e.g. Dexamethasone"))
        # The class and route labels are the core's vocabularies, translated in its catalogue; the
        # item's data is the stored value. Units are UCUM, the same in every language.
        self.drug_class = _choice(
            self.tr("choose the class…"), [(_(catalogue.label(c)), c.value) for c in DrugClass]
        )
        self.dose = QLineEdit()
        self.dose.setPlaceholderText(self.tr("amount"))
        self.dose.setMaximumWidth(90)
        # The international unit, UCUM's [iU], as clinicians write it (IU; UI in Spanish).
        self.unit = _choice(
            self.tr("unit…"), [(display_unit(u).replace("[iU]", self.tr("IU")), u) for u in UNITS]
        )
        self.route = _choice(self.tr("choose the route…"), [(_(ROUTE_LABELS[r]), r) for r in ROUTES])
        self.start = _time(at)
        self.start.setMaximumDateTime(QDateTime.fromSecsSinceEpoch(int(at)))
        self.has_end = QCheckBox(self.tr("ended (an infusion or a period)"))
        self.end = _time(at)
        self.end.setEnabled(False)
        self.has_end.toggled.connect(self.end.setEnabled)
        dose_row = QWidget()
        row = QHBoxLayout(dose_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.dose)
        row.addWidget(self.unit)
        row.addStretch(1)
        end_row = QWidget()
        row = QHBoxLayout(end_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.has_end)
        row.addWidget(self.end)
        self.form.addRow(self.tr("Drug"), self.drug)
        self.form.addRow(self.tr("Class"), self.drug_class)
        self.form.addRow(self.tr("Dose"), dose_row)
        self.form.addRow(self.tr("Route"), self.route)
        self.form.addRow(self.tr("Given at"), self.start)
        self.form.addRow(self.tr("End"), end_row)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("background:#c62828; color:#ffffff; padding:4px;")
        self.error.hide()
        self.form.addRow(self.error)
        self.require(self.drug)
        self.require(self.dose)
        for box in (self.drug_class, self.unit, self.route):
            box.currentIndexChanged.connect(self._check)
        self.finish()

    def _check(self) -> None:
        """OK only with the drug and dose typed and every choice made (none is preselected)."""
        super()._check()
        chosen = all(box.currentData() is not None for box in (self.drug_class, self.unit, self.route))
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        ok.setEnabled(ok.isEnabled() and chosen)

    def accept(self) -> None:
        try:
            try:
                dose = parse_typed_number(self.dose.text())
            except ValueError:
                raise MedicationError(
                    self.tr("the dose '{typed}' is not a number").format(typed=self.dose.text().strip())
                ) from None
            cmd = RecordMedication(
                patient=self.patient,
                drug=self.drug.text(),
                drug_class=str(self.drug_class.currentData() or ""),
                dose=dose,
                unit=str(self.unit.currentData() or ""),
                route=str(self.route.currentData() or ""),
                start=edit_time(self.start),
                end=edit_time(self.end) if self.has_end.isChecked() else None,
                by=self.user.username,
                role=self.user.role,
                recorded_at=self.now,
            )
            check(cmd)
        except MedicationError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            self.error.show()
            self.adjustSize()
            return
        self.command = cmd
        super().accept()
