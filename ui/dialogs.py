"""Dialogs for the nurse's actions. Each names who acts (the user signed in) and says what will be
written to the safety log; an action that is a signature is signed next, in the signature dialog.
The window performs the write off the GUI thread."""

from __future__ import annotations

import math
from datetime import datetime

from bedside_ui.alert_words import alert_message, alert_title
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
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

from bedside.dose_weight import weight_refusal
from bedside.i18n import localize_number, strftime
from bedside.model import PatientRef
from bedside.rules.ruleset import RuleSet
from bedside.users import Role, User
from bedside.vitals import (
    CORE_SITES,
    FUTURE_TOLERANCE,
    PERIPHERAL_SITES,
    RecordVitals,
    VitalsError,
    parse_number,
    validate,
)

ROLE_NAMES = {
    Role.NURSE: QT_TRANSLATE_NOOP("Role", "nurse"),
    Role.INTENSIVIST: QT_TRANSLATE_NOOP("Role", "intensivist"),
    Role.INVESTIGATOR: QT_TRANSLATE_NOOP("Role", "investigator"),
    Role.ADMIN: QT_TRANSLATE_NOOP("Role", "admin"),
    Role.SERVICE: QT_TRANSLATE_NOOP("Role", "service"),
}
"""Each role as a person reads it (the stored value stays the role's code)."""

SEVERITY_NAMES = {
    "high": QT_TRANSLATE_NOOP("Severity", "HIGH"),
    "medium": QT_TRANSLATE_NOOP("Severity", "MEDIUM"),
    "low": QT_TRANSLATE_NOOP("Severity", "LOW"),
}


def role_text(role: str) -> str:
    """A role's name in the language shown (its code where it has none)."""
    name = ROLE_NAMES.get(role)  # type: ignore[call-overload]
    return QCoreApplication.translate("Role", name) if name else str(role)


def severity_text(severity: str) -> str:
    name = SEVERITY_NAMES.get(severity)
    return QCoreApplication.translate("Severity", name) if name else severity.upper()


class DecimalSpinBox(QDoubleSpinBox):
    """A number box that takes the language's decimal separator (38,5 in Spanish) and the point as
    well: a point typed where a comma is the separator means the same decimal (Qt's own box refuses
    it, which reads to a nurse as a broken field). A text with the language's thousands separator
    ("1.234,5" in Spanish, "1,234.5" in English) is read whole, never cut at the separator: a digit
    the box cannot take as a decimal is read as the thousands it is."""

    def _as_locale(self, text: str) -> str:
        separator = self.locale().decimalPoint()
        if separator == "." or separator in text:
            return text  # a comma typed: the points are thousands, as the language writes them
        return text.replace(".", separator)

    def validate(self, text: str, pos: int) -> object:  # type: ignore[override]
        state, fixed, where = super().validate(self._as_locale(text), pos)
        if state == QValidator.State.Invalid and self._as_locale(text) != text:
            state, fixed, where = super().validate(text, pos)  # "1.234": the point is thousands
        return QValidator.State(state), fixed, where

    def valueFromText(self, text: str) -> float:
        local = self._as_locale(text)
        if super().validate(local, 0)[0] == QValidator.State.Invalid:
            local = text
        return super().valueFromText(local)


def parse_typed_number(text: str) -> float:
    """A number a person typed, with a decimal comma or a point ("38,4", "38.4": either is the
    decimal, never a thousands separator, which a dose never needs); ValueError when not a number."""
    value = float(text.strip().replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


class ActionDialog(QDialog):
    """A form naming who acts, with OK/Cancel; OK only once the required fields are filled.
    `signed`: the action is a signature, given next with the password. Its texts are in their own
    context ("ActionDialog"): `self.tr` would look in each subclass's."""

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
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
                QCoreApplication.translate("ActionDialog", "Sign…")
            )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._required: list[QLineEdit] = []
        self._footer = layout

    def finish(self) -> None:
        signer = QLabel(
            QCoreApplication.translate("ActionDialog", "{name} ({role})").format(
                name=self.user.full_name, role=role_text(self.user.role)
            )
        )
        # A long name with its role (longer in Spanish) widens the dialog up to a line of its own,
        # and wraps beyond that: never cut.
        signer.setMinimumWidth(min(signer.fontMetrics().horizontalAdvance(signer.text()) + 4, 520))
        signer.setWordWrap(True)
        self.form.addRow(QCoreApplication.translate("ActionDialog", "By"), signer)
        note = QLabel(
            QCoreApplication.translate(
                "ActionDialog",
                "This is recorded in the safety log as yours, with the time: you sign it next, with "
                "your password.",
            )
            if self._signed
            else QCoreApplication.translate(
                "ActionDialog", "This is recorded in the safety log as yours, with the time."
            )
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


HEADER_TEXT = "#ffffff"
HEADER_BACKGROUND = "#455a64"
"""The calendar's weekday header: white on blue-grey reads on the dark and the light theme alike
(left to the theme's style sheet it was white on white in the dark one)."""


def readable_calendar() -> QCalendarWidget:
    calendar = QCalendarWidget()
    header = QTextCharFormat()
    header.setForeground(QBrush(QColor(HEADER_TEXT)))
    header.setBackground(QBrush(QColor(HEADER_BACKGROUND)))
    calendar.setHeaderTextFormat(header)
    calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    return calendar


def _time_edit(at: float) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(at)))
    edit.setDisplayFormat("dd MMM yyyy HH:mm")
    edit.setCalendarPopup(True)
    edit.setCalendarWidget(readable_calendar())
    return edit


def edit_time(edit: QDateTimeEdit) -> float:
    return float(edit.dateTime().toSecsSinceEpoch())


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
                rule=alert.rule_id,
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
        self.at = _time_edit(at)
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
        self.at = _time_edit(at)
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
        self.at = _time_edit(dose.start)
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
        self.at = _time_edit(at)
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
