"""Dialogs for the nurse's actions. Each names who acts (the user signed in) and says what will be
written to the safety log; an action that is a signature is signed next, in the signature dialog.
The window performs the write off the GUI thread."""

from __future__ import annotations

from datetime import datetime

from bedside_ui.action_dialog import (
    ActionDialog,
    DecimalSpinBox,
    edit_time,
    severity_text,
    time_edit,
)
from bedside_ui.alert_words import alert_message, alert_title, rule_before_title
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from bedside.dose_weight import weight_refusal
from bedside.i18n import localize_number, strftime
from bedside.model import PatientRef
from bedside.rules.ruleset import RuleSet
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


class AckDialog(ActionDialog):
    def __init__(  # type: ignore[no-untyped-def]
        self, alert, user: User, parent: QWidget | None = None, rules: RuleSet | None = None
    ) -> None:
        """`rules`: the rule set in use, whose title and message in the screen's language are shown."""
        when = strftime(datetime.fromtimestamp(alert.fired_at), "%d %b %H:%M")
        super().__init__(
            self.tr("Acknowledge alert"),
            self.tr(
                "<b>{severity} {rule} {title}</b> since {when}<br>{message}<br><br>"
                "Acknowledging says you have seen it; it stays open until the values recover."
            ).format(
                severity=severity_text(alert.severity),
                rule=rule_before_title(alert),
                title=alert_title(alert, rules),
                when=when,
                message=alert_message(alert, rules),
            ),
            user,
            parent,
            signed=True,
        )
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("optional: what you saw or did"))
        self.form.addRow(self.tr("Comment"), self.comment)
        self.finish()


class MuteDialog(ActionDialog):
    """Who silences the screen, and why: logged with the time the sound comes back."""

    def __init__(self, minutes: float, open_alerts: str, user: User, parent: QWidget | None = None) -> None:
        shown = localize_number(f"{minutes:g}")
        super().__init__(
            self.tr("Mute Bedside's sound for {minutes} min").format(minutes=shown),
            self.tr(
                "Bedside's sound stops for {minutes} min and then comes back on its own while an alert is "
                "still not acknowledged.<br><b>Sounding for:</b> {alerts}<br><br>"
                "This mutes Bedside only: the bedside monitor and the infusion pump keep the primary alarms."
            ).format(minutes=shown, alerts=open_alerts),
            user,
            parent,
        )
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("optional: why (e.g. at the bedside, treating)"))
        self.form.addRow(self.tr("Reason"), self.reason)
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
            self.tr("Start a dose"),
            self.tr(
                "Record the start of an infusion. The rules take this time as T0 (a pump's start within "
                "30 min is confirmed and moved to it)."
            ),
            user,
            parent,
        )
        # The pre-dose check (baseline set, labs, blood gas) warns and never blocks.
        self.warning = QLabel(
            self.tr("Before the start: {gaps}.").format(gaps="; ".join(gaps)) if gaps else ""
        )
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background:#f9a825; color:#000000; padding:4px;")
        self.warning.setVisible(bool(gaps))
        self.form.addRow(self.warning)
        self.dose = QSpinBox()
        self.dose.setRange(1, 20)
        self.dose.setValue(next_dose)
        self.of = QSpinBox()
        self.of.setRange(0, 20)
        self.of.setSpecialValueText(self.tr("not known"))
        self.product = QLineEdit()
        self.product.setPlaceholderText(self.tr("product and lot, e.g. AT-MSC lot 24-117"))
        self.cells_per_kg = DecimalSpinBox()
        self.cells_per_kg.setDecimals(2)
        self.cells_per_kg.setRange(0.0, 100.0)
        self.cells_per_kg.setSuffix(self.tr(" ×10⁶ cells/kg"))
        self.cells_per_kg.setSpecialValueText(self.tr("not entered"))
        self.weight = DecimalSpinBox()
        # Up to any weight typed, so that a typo is read whole and refused with the plausible range
        # (bedside/dose_weight.py) instead of being cut to what the box can hold.
        self.weight.setRange(0.0, 99_999.0)
        self.weight.setSuffix(" kg")
        self.weight.setSpecialValueText(self.tr("not entered"))
        self.at = time_edit(at)
        self.form.addRow(self.tr("Dose number"), self.dose)
        self.form.addRow(self.tr("of (doses planned)"), self.of)
        self.form.addRow(self.tr("Product"), self.product)
        self.form.addRow(self.tr("Dose"), self.cells_per_kg)
        self.form.addRow(self.tr("Dosing weight"), self.weight)
        self.form.addRow(self.tr("Started at"), self.at)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("background:#c62828; color:#ffffff; padding:4px;")
        self.error.hide()
        self.form.addRow(self.error)
        self.finish()

    def accept(self) -> None:
        """A dosing weight outside an adult's plausible range is refused here, with the range, and the
        dialog stays open with everything typed (the dose handler refuses it too)."""
        self.weight.interpretText()
        refusal = weight_refusal(self.weight.value()) if self.weight.value() else None
        if refusal is not None:
            self.error.setText(refusal[:1].upper() + refusal[1:] + ".")
            self.error.show()
            self.adjustSize()
            return
        super().accept()


class StopDoseDialog(ActionDialog):
    def __init__(self, dose: int, at: float, user: User, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("End dose {dose}").format(dose=dose),
            self.tr("Record the end of dose {dose}: the post-dose windows start here.").format(dose=dose),
            user,
            parent,
        )
        self.dose = dose
        self.at = time_edit(at)
        self.form.addRow(self.tr("Ended at"), self.at)
        self.finish()


class ConfirmDoseDialog(ActionDialog):
    def __init__(self, dose, user: User, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(
            self.tr("Confirm the start of dose {dose}").format(dose=dose.dose),
            self.tr(
                "{source} reported a start at {when}. Correct the time if it is wrong: the rules "
                "re-anchor on it."
            ).format(
                source=_source_text(dose.source),
                when=strftime(datetime.fromtimestamp(dose.start), "%d %b %H:%M"),
            ),
            user,
            parent,
            signed=True,
        )
        self.dose = dose.dose
        self.at = time_edit(dose.start)
        self.form.addRow(self.tr("Started at"), self.at)
        self.finish()


SOURCES = {
    "pcd10": QT_TRANSLATE_NOOP("ConfirmDoseDialog", "the pump"),
    "pcd01-status": QT_TRANSLATE_NOOP("ConfirmDoseDialog", "the pump's status"),
    "ras": QT_TRANSLATE_NOOP("ConfirmDoseDialog", "the eMAR"),
    "manual": QT_TRANSLATE_NOOP("ConfirmDoseDialog", "the nurse's entry"),
}
"""Where an unconfirmed start came from, as the sentence names it (never the feed's code)."""


def _source_text(source: str) -> str:
    name = SOURCES.get(source)
    text = QCoreApplication.translate("ConfirmDoseDialog", name) if name else source
    return text[:1].upper() + text[1:]  # it starts the sentence


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
            self.tr("Sign a check"),
            self.tr(
                "The values below were captured automatically; look at the skin and the line, ask about "
                "symptoms, then sign.<br><br><b>Captured now:</b> {values}"
            ).format(values=values),
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
        self.comment.setPlaceholderText(self.tr("skin, line, symptoms (optional)"))
        self.form.addRow(self.tr("Check"), self.check)
        self.form.addRow(self.tr("Findings"), self.comment)
        self.finish()


class RecordVitalsDialog(ActionDialog):
    """Vital signs measured by hand. Every field is optional but one; the values are checked by the
    same function as the store's (bedside/vitals.py) when OK is pressed, and a refusal is shown here
    with the dialog left open, so nothing typed is lost."""

    def __init__(self, patient: PatientRef, at: float, user: User, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Record vital signs"),
            self.tr(
                "Enter what you measured. Leave blank what you did not measure. The values are shown and "
                "trended as <b>manual</b> and are read by the infusion-reaction rules."
            ),
            user,
            parent,
        )
        self.patient = patient
        self.now = at
        self.command: RecordVitals | None = None
        self.at = time_edit(at)
        self.at.setMaximumDateTime(QDateTime.fromSecsSinceEpoch(int(at + FUTURE_TOLERANCE)))
        self.temp = _value_edit(localize_number(self.tr("e.g. 38.4")))
        self.temp_site = QComboBox()
        self.temp_site.addItem(self.tr("site…"), None)
        # Core sites first, then peripheral ones (they read lower), apart: the site is stored with it.
        for site in CORE_SITES:
            self.temp_site.addItem(site_text(site), site)
        self.temp_site.insertSeparator(self.temp_site.count())
        for site in PERIPHERAL_SITES:
            self.temp_site.addItem(site_text(site), site)
        self.sys = _value_edit(self.tr("sys"))
        self.dia = _value_edit(self.tr("dia"))
        self.mean = _value_edit(self.tr("mean: auto"))
        self.mean.setToolTip(self.tr("Left blank, the mean is computed as (sys + 2 × dia) / 3"))
        self.spo2 = _value_edit(self.tr("e.g. 94"))
        self.hr = _value_edit(self.tr("e.g. 88"))
        self.rr = _value_edit(self.tr("e.g. 18"))
        self.form.addRow(self.tr("Measured at"), self.at)
        self.form.addRow(self.tr("Temperature"), _row(self.temp, QLabel("°C"), self.temp_site))
        self.form.addRow(
            self.tr("Blood pressure (cuff)"),
            _row(self.sys, QLabel("/"), self.dia, QLabel(self.tr("mean")), self.mean, QLabel("mmHg")),
        )
        self.form.addRow("SpO2", _row(self.spo2, QLabel("%")))
        self.form.addRow(self.tr("Heart rate"), _row(self.hr, QLabel("/min")))
        self.form.addRow(self.tr("Respiratory rate"), _row(self.rr, QLabel("/min")))
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
                temp=parse_number(self.temp.text(), self.tr("Temperature")),
                temp_site=self.temp_site.currentData(),
                sys=parse_number(self.sys.text(), self.tr("Systolic")),
                dia=parse_number(self.dia.text(), self.tr("Diastolic")),
                mean=parse_number(self.mean.text(), self.tr("Mean")),
                spo2=parse_number(self.spo2.text(), "SpO2"),
                hr=parse_number(self.hr.text(), self.tr("Heart rate")),
                rr=parse_number(self.rr.text(), self.tr("Respiratory rate")),
            )
            validate(cmd, self.now, self.patient)
        except VitalsError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            self.error.show()
            self.adjustSize()  # a wrapped message needs the height the dialog was not shown with
            return
        self.command = cmd
        super().accept()


SITE_NAMES = {
    "core": QT_TRANSLATE_NOOP("RecordVitalsDialog", "core"),
    "oesophageal": QT_TRANSLATE_NOOP("RecordVitalsDialog", "oesophageal"),
    "bladder": QT_TRANSLATE_NOOP("RecordVitalsDialog", "bladder"),
    "rectal": QT_TRANSLATE_NOOP("RecordVitalsDialog", "rectal"),
    "tympanic": QT_TRANSLATE_NOOP("RecordVitalsDialog", "tympanic"),
    "axillary": QT_TRANSLATE_NOOP("RecordVitalsDialog", "axillary"),
    "oral": QT_TRANSLATE_NOOP("RecordVitalsDialog", "oral"),
}
"""Each temperature site as a person reads it; the stored value is the site's code."""


def site_text(site: str) -> str:
    name = SITE_NAMES.get(site)
    return QCoreApplication.translate("RecordVitalsDialog", name) if name else site


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
