"""Dialogs for the nurse's actions. Each names who acts (the user signed in) and says what will be
written to the safety log; an action that is a signature is signed next, in the signature dialog.
The window performs the write off the GUI thread."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bedside.model import PatientRef
from bedside.users import User
from bedside.vitals import (
    CORE_SITES,
    FUTURE_TOLERANCE,
    PERIPHERAL_SITES,
    RecordVitals,
    VitalsError,
    parse_number,
    validate,
)


class ActionDialog(QDialog):
    """A form naming who acts, with OK/Cancel; OK only once the required fields are filled.
    `signed`: the action is a signature, given next with the password."""

    def __init__(
        self, title: str, intro: str, user: User, parent: QWidget | None = None, signed: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.user = user
        self._signed = signed
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        if signed:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._required: list[QLineEdit] = []
        self._footer = layout

    def finish(self) -> None:
        self.form.addRow("By", QLabel(f"{self.user.full_name} ({self.user.role})"))
        note = QLabel(
            "This is recorded in the safety log as yours, with the time"
            + (": you sign it next, with your password." if self._signed else ".")
        )
        note.setWordWrap(True)
        self._footer.addWidget(note)
        self._footer.addWidget(self.buttons)
        self._check()

    def require(self, field: QLineEdit) -> None:
        self._required.append(field)
        field.textChanged.connect(self._check)

    def _check(self) -> None:
        ok = all(f.text().strip() for f in self._required)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    @property
    def by(self) -> str:
        """The username the command carries."""
        return self.user.username


def _time_edit(at: float) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(at)))
    edit.setDisplayFormat("dd MMM yyyy HH:mm")
    edit.setCalendarPopup(True)
    return edit


def edit_time(edit: QDateTimeEdit) -> float:
    return float(edit.dateTime().toSecsSinceEpoch())


class AckDialog(ActionDialog):
    def __init__(self, alert, user: User, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        when = datetime.fromtimestamp(alert.fired_at).strftime("%d %b %H:%M")
        super().__init__(
            "Acknowledge alert",
            f"<b>{alert.severity.upper()} {alert.rule_id} {alert.title}</b> since {when}"
            f"<br>{alert.message}<br><br>"
            "Acknowledging says you have seen it; it stays open until the values recover.",
            user,
            parent,
            signed=True,
        )
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("optional: what you saw or did")
        self.form.addRow("Comment", self.comment)
        self.finish()


class MuteDialog(ActionDialog):
    """Who silences the screen, and why: logged with the time the sound comes back."""

    def __init__(self, minutes: float, open_alerts: str, user: User, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Mute Bedside's sound for {minutes:g} min",
            f"Bedside's sound stops for {minutes:g} min and then comes back on its own while an alert is "
            f"still not acknowledged.<br><b>Sounding for:</b> {open_alerts}<br><br>"
            "This mutes Bedside only: the bedside monitor and the infusion pump keep the primary alarms.",
            user,
            parent,
        )
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("optional: why (e.g. at the bedside, treating)")
        self.form.addRow("Reason", self.reason)
        self.finish()


class StartDoseDialog(ActionDialog):
    def __init__(
        self,
        next_dose: int,
        at: float,
        user: User,
        parent: QWidget | None = None,
        gaps: list[str] | None = None,
    ) -> None:
        super().__init__(
            "Start a dose",
            "Record the start of an infusion. The rules take this time as T0 (a pump's start within 30 min "
            "is confirmed and moved to it).",
            user,
            parent,
        )
        # The pre-dose check (baseline set, labs, blood gas) warns and never blocks.
        self.warning = QLabel("Before the start: " + "; ".join(gaps) + "." if gaps else "")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background:#f9a825; color:#000000; padding:4px;")
        self.warning.setVisible(bool(gaps))
        self.form.addRow(self.warning)
        self.dose = QSpinBox()
        self.dose.setRange(1, 20)
        self.dose.setValue(next_dose)
        self.of = QSpinBox()
        self.of.setRange(0, 20)
        self.of.setSpecialValueText("not known")
        self.product = QLineEdit()
        self.product.setPlaceholderText("product and lot, e.g. AT-MSC lot 24-117")
        self.cells_per_kg = QDoubleSpinBox()
        self.cells_per_kg.setDecimals(2)
        self.cells_per_kg.setRange(0.0, 100.0)
        self.cells_per_kg.setSuffix(" ×10⁶ cells/kg")
        self.cells_per_kg.setSpecialValueText("not entered")
        self.weight = QDoubleSpinBox()
        self.weight.setRange(0.0, 400.0)
        self.weight.setSuffix(" kg")
        self.weight.setSpecialValueText("not entered")
        self.at = _time_edit(at)
        self.form.addRow("Dose number", self.dose)
        self.form.addRow("of (doses planned)", self.of)
        self.form.addRow("Product", self.product)
        self.form.addRow("Dose", self.cells_per_kg)
        self.form.addRow("Dosing weight", self.weight)
        self.form.addRow("Started at", self.at)
        self.finish()


class StopDoseDialog(ActionDialog):
    def __init__(self, dose: int, at: float, user: User, parent: QWidget | None = None) -> None:
        super().__init__(
            f"End dose {dose}",
            f"Record the end of dose {dose}: the post-dose windows start here.",
            user,
            parent,
        )
        self.dose = dose
        self.at = _time_edit(at)
        self.form.addRow("Ended at", self.at)
        self.finish()


class ConfirmDoseDialog(ActionDialog):
    def __init__(self, dose, user: User, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(
            f"Confirm the start of dose {dose.dose}",
            f"The {dose.source} reported a start at "
            f"{datetime.fromtimestamp(dose.start).strftime('%d %b %H:%M')}. "
            "Correct the time if it is wrong: the rules re-anchor on it.",
            user,
            parent,
            signed=True,
        )
        self.dose = dose.dose
        self.at = _time_edit(dose.start)
        self.form.addRow("Started at", self.at)
        self.finish()


class SignCheckDialog(ActionDialog):
    def __init__(
        self,
        choices: list[tuple[str, str]],
        values: str,
        user: User,
        parent: QWidget | None = None,
        selected: str | None = None,
    ) -> None:
        super().__init__(
            "Sign a check",
            "The values below were captured automatically; look at the skin and the line, ask about "
            "symptoms, then sign.<br><br><b>Captured now:</b> " + values,
            user,
            parent,
            signed=True,
        )
        self.values = values
        self.check = QComboBox()
        for key, label in choices:
            self.check.addItem(label, key)
        # The check due now, not the first in the schedule (the long-missed pre-dose baseline).
        if selected is not None and self.check.findData(selected) >= 0:
            self.check.setCurrentIndex(self.check.findData(selected))
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("skin, line, symptoms (optional)")
        self.form.addRow("Check", self.check)
        self.form.addRow("Findings", self.comment)
        self.finish()


class RecordVitalsDialog(ActionDialog):
    """Vital signs measured by hand. Every field is optional but one; the values are checked by the
    same function as the store's (bedside/vitals.py) when OK is pressed, and a refusal is shown here
    with the dialog left open, so nothing typed is lost."""

    def __init__(self, patient: PatientRef, at: float, user: User, parent: QWidget | None = None) -> None:
        super().__init__(
            "Record vital signs",
            "Enter what you measured. Leave blank what you did not measure. The values are shown and "
            "trended as <b>manual</b> and are read by the infusion-reaction rules.",
            user,
            parent,
        )
        self.patient = patient
        self.now = at
        self.command: RecordVitals | None = None
        self.at = _time_edit(at)
        self.at.setMaximumDateTime(QDateTime.fromSecsSinceEpoch(int(at + FUTURE_TOLERANCE)))
        self.temp = _value_edit("e.g. 38.4")
        self.temp_site = QComboBox()
        self.temp_site.addItem("site…", None)
        # Core sites first, then peripheral ones (they read lower), apart: the site is stored with it.
        for site in CORE_SITES:
            self.temp_site.addItem(site, site)
        self.temp_site.insertSeparator(self.temp_site.count())
        for site in PERIPHERAL_SITES:
            self.temp_site.addItem(site, site)
        self.sys = _value_edit("sys")
        self.dia = _value_edit("dia")
        self.mean = _value_edit("mean: auto")
        self.mean.setToolTip("Left blank, the mean is computed as (sys + 2 × dia) / 3")
        self.spo2 = _value_edit("e.g. 94")
        self.hr = _value_edit("e.g. 88")
        self.rr = _value_edit("e.g. 18")
        self.form.addRow("Measured at", self.at)
        self.form.addRow("Temperature", _row(self.temp, QLabel("°C"), self.temp_site))
        self.form.addRow(
            "Blood pressure (cuff)",
            _row(self.sys, QLabel("/"), self.dia, QLabel("mean"), self.mean, QLabel("mmHg")),
        )
        self.form.addRow("SpO2", _row(self.spo2, QLabel("%")))
        self.form.addRow("Heart rate", _row(self.hr, QLabel("/min")))
        self.form.addRow("Respiratory rate", _row(self.rr, QLabel("/min")))
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("background:#c62828; color:#ffffff; padding:4px;")
        self.error.hide()
        self.form.addRow(self.error)
        for edit in (self.temp, self.sys, self.dia, self.mean, self.spo2, self.hr, self.rr):
            edit.textChanged.connect(self.error.hide)
        self.finish()

    def accept(self) -> None:
        try:
            cmd = RecordVitals(
                patient=self.patient,
                at=edit_time(self.at),
                by=self.user.username,
                role=self.user.role,
                temp=parse_number(self.temp.text(), "Temperature"),
                temp_site=self.temp_site.currentData(),
                sys=parse_number(self.sys.text(), "Systolic"),
                dia=parse_number(self.dia.text(), "Diastolic"),
                mean=parse_number(self.mean.text(), "Mean"),
                spo2=parse_number(self.spo2.text(), "SpO2"),
                hr=parse_number(self.hr.text(), "Heart rate"),
                rr=parse_number(self.rr.text(), "Respiratory rate"),
            )
            validate(cmd, self.now, str(self.patient))
        except VitalsError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            self.error.show()
            self.adjustSize()  # a wrapped message needs the height the dialog was not shown with
            return
        self.command = cmd
        super().accept()


def _value_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaximumWidth(90)
    return edit


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    layout.addStretch(1)
    return box
