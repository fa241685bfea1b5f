"""What every form a clinician fills shares: the form naming who acts, with OK only once the
required fields are filled (`ActionDialog`); a number box that takes the language's decimal
separator; a calendar whose header reads on both themes; the roles' and severities' names."""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.users import Role, User

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


def time_edit(at: float) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(at)))
    edit.setDisplayFormat("dd MMM yyyy HH:mm")
    edit.setCalendarPopup(True)
    edit.setCalendarWidget(readable_calendar())
    return edit


def edit_time(edit: QDateTimeEdit) -> float:
    return float(edit.dateTime().toSecsSinceEpoch())
